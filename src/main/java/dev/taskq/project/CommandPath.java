package dev.taskq.project;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds a command the way a shell or Claude Code's spawn does: the first executable file of that
 * name in the folders of PATH. Used to tell whether the {@code taskq} that .mcp.json names can be
 * started, and which one it is.
 */
public final class CommandPath {
  private CommandPath() {}

  /** The folders of {@code env}'s PATH, absolute and normalized, in order. */
  public static List<Path> folders(Map<String, String> env) {
    String path = env.get("PATH");
    List<Path> out = new ArrayList<>();
    if (path == null) {
      return out;
    }
    for (String part : path.split(File.pathSeparator, -1)) {
      if (!part.isEmpty() && Path.of(part).isAbsolute()) {
        out.add(Path.of(part).normalize());
      }
    }
    return out;
  }

  /** The file {@code name} resolves to on {@code env}'s PATH, or null. */
  public static Path find(String name, Map<String, String> env) {
    if (name.contains("/")) {
      Path p = Path.of(name);
      return Files.isRegularFile(p) && Files.isExecutable(p) ? p : null;
    }
    for (Path dir : folders(env)) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}

package dev.taskq.workers;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code claude} command workers run: {@code --claude PATH}, else {@code TASKQ_CLAUDE}, else
 * the first {@code claude} on PATH.
 *
 * @param path the executable, absolute
 * @param version what {@code claude --version} printed, e.g. "2.1.328 (Claude Code)"
 */
public record ClaudeExecutable(Path path, String version) {

  /** Finds claude and asks its version; NOT_FOUND says where it looked and what to do. */
  public static ClaudeExecutable find(String explicit, Map<String, String> env, Path cwd) {
    Path p = locate(explicit, env, cwd);
    return new ClaudeExecutable(p, version(p, env));
  }

  static Path locate(String explicit, Map<String, String> env, Path cwd) {
    String given = explicit != null && !explicit.isBlank() ? explicit : env.get("TASKQ_CLAUDE");
    String from = explicit != null && !explicit.isBlank() ? "--claude" : "TASKQ_CLAUDE";
    if (given != null && !given.isBlank()) {
      Path p = given.contains(File.separator) ? cwd.resolve(given) : onPath(given, env);
      if (p == null || !Files.isExecutable(p) || Files.isDirectory(p)) {
        throw notFound(from + " names " + given + ", which is not an executable file");
      }
      return p.toAbsolutePath().normalize();
    }
    Path p = onPath("claude", env);
    if (p == null) {
      throw notFound("no claude on PATH");
    }
    return p;
  }

  private static Path onPath(String name, Map<String, String> env) {
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir).resolve(name);
      if (Files.isExecutable(p) && !Files.isDirectory(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    return null;
  }

  private static TaskqException notFound(String what) {
    return new TaskqException(
        ErrorCode.NOT_FOUND,
        "--claude",
        "cannot find Claude Code: " + what,
        "install it (npm install -g @anthropic-ai/claude-code), or pass --claude PATH or set"
            + " TASKQ_CLAUDE",
        null);
  }

  /** "2.1.328 (Claude Code)", or "unknown (…)" when it does not answer within 20 s. */
  static String version(Path claude, Map<String, String> env) {
    ProcessBuilder pb = new ProcessBuilder(List.of(claude.toString(), "--version"));
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try {
      Process p = pb.start();
      byte[] out = p.getInputStream().readNBytes(4096);
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "unknown (claude --version did not answer)";
      }
      String v = new String(out, StandardCharsets.UTF_8).strip();
      return p.exitValue() == 0 && !v.isEmpty()
          ? v.lines().findFirst().orElse(v)
          : "unknown (claude --version exited " + p.exitValue() + ")";
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown (interrupted)";
    }
  }
}

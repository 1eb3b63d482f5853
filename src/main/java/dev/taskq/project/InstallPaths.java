package dev.taskq.project;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where {@code taskq install} puts things for one user, following the XDG base directories: the
 * versioned jar and launcher in {@code $XDG_DATA_HOME/taskq/<version>/} (default {@code
 * ~/.local/share}), the launcher on PATH as {@code $XDG_BIN_HOME/taskq} (default {@code
 * ~/.local/bin}), the class-data archives in {@code $XDG_CACHE_HOME/taskq/<version>/} (default
 * {@code ~/.cache}). A relative XDG value is ignored, as the specification says.
 *
 * @param bin the folder of the {@code taskq} command
 * @param data the folder holding one folder per installed version
 * @param cache the folder holding one folder of archives per version
 */
public record InstallPaths(Path bin, Path data, Path cache) {
  public static final String COMMAND = "taskq";

  public static InstallPaths of(Map<String, String> env) {
    String home = env.get("HOME");
    if (home == null || home.isBlank() || !Path.of(home).isAbsolute()) {
      throw new TaskqException(
          ErrorCode.INVALID_ARGUMENT,
          "HOME",
          "HOME is not set to an absolute folder, so there is no per-user place to install to",
          "set HOME (or XDG_DATA_HOME, XDG_BIN_HOME and XDG_CACHE_HOME) and run it again",
          null);
    }
    Path h = Path.of(home);
    return new InstallPaths(
        xdg(env, "XDG_BIN_HOME", h.resolve(".local/bin")),
        xdg(env, "XDG_DATA_HOME", h.resolve(".local/share")).resolve("taskq"),
        xdg(env, "XDG_CACHE_HOME", h.resolve(".cache")).resolve("taskq"));
  }

  private static Path xdg(Map<String, String> env, String name, Path fallback) {
    String v = env.get(name);
    return v != null && !v.isBlank() && Path.of(v).isAbsolute()
        ? Path.of(v).normalize()
        : fallback.normalize();
  }

  /** {@code ~/.local/bin/taskq}: a link to the installed version's launcher. */
  public Path command() {
    return bin.resolve(COMMAND);
  }

  public Path versionDir(String version) {
    return data.resolve(version);
  }

  public Path jar(String version) {
    return versionDir(version).resolve("taskq.jar");
  }

  /** The version's launcher script, which {@link #command()} links to. */
  public Path launcher(String version) {
    return versionDir(version).resolve(COMMAND);
  }

  /** The class-data archive of {@code version} for the Java named by {@code javaKey}. */
  public Path archive(String version, String javaKey) {
    return cache.resolve(version).resolve(javaKey + ".jsa");
  }
}

package dev.taskq.workers;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The java and the taskq jar this process runs on: what a pool it starts runs on too. */
public final class RunningJar {
  private RunningJar() {}

  public static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** The jar; when run from target/classes (tests), the jar the build makes beside them. */
  public static Path jar() {
    try {
      Path p =
          Path.of(RunningJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(p) ? p : p.resolveSibling("taskq.jar");
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return Path.of("target", "taskq.jar").toAbsolutePath();
    }
  }
}

package dev.taskq.mcp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The built jar, for tests that spawn it as a real server process. */
final class Jar {
  private Jar() {}

  static Path path() {
    String p = System.getProperty("taskq.jar");
    if (p == null || !Files.isRegularFile(Path.of(p))) {
      throw new IllegalStateException(
          "system property taskq.jar must name the built jar (run with mvn verify): " + p);
    }
    return Path.of(p).toAbsolutePath();
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static List<String> serveCommand() {
    return List.of(java(), "-jar", path().toString(), "serve");
  }

  /** stderr goes to a file next to the queue so a failing test can show it. */
  static ProcessBuilder serve(Map<String, String> env, Path cwd) {
    return launch(serveCommand(), env, cwd);
  }

  static ProcessBuilder launch(List<String> command, Map<String, String> env, Path cwd) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().remove("TASKQ_DIR");
    pb.environment().remove("CLAUDE_PROJECT_DIR");
    pb.environment().remove("CLAUDE_CODE_SESSION_ID");
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.appendTo(cwd.resolve("server-stderr.log").toFile()));
    return pb;
  }
}

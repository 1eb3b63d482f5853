package dev.taskq.claude;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The built taskq jar (system property taskq.jar, set by Maven): its CLI and its MCP server. */
public final class TaskqJar {
  private TaskqJar() {}

  public static Path path() {
    String p = System.getProperty("taskq.jar");
    if (p == null || !Files.isRegularFile(Path.of(p))) {
      throw new IllegalStateException(
          "system property taskq.jar must name the built jar (run with mvn verify): " + p);
    }
    return Path.of(p).toAbsolutePath();
  }

  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Writes an MCP config ({@code --mcp-config}) with one stdio server named "taskq" that runs
   * {@code java -jar taskq.jar serve} with the given environment (e.g. TASKQ_DIR).
   */
  public static Path writeMcpConfig(Path file, Map<String, String> serverEnv) throws IOException {
    ObjectNode root = ScriptedModel.JSON.createObjectNode();
    ObjectNode taskq = root.putObject("mcpServers").putObject("taskq");
    taskq.put("type", "stdio");
    taskq.put("command", java());
    ArrayNode args = taskq.putArray("args");
    args.add("-XX:TieredStopAtLevel=1");
    args.add("-XX:+UseSerialGC");
    args.add("-jar");
    args.add(path().toString());
    args.add("serve");
    ObjectNode env = taskq.putObject("env");
    serverEnv.forEach(env::put);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, ScriptedModel.JSON.writeValueAsString(root), StandardCharsets.UTF_8);
    return file;
  }

  /** Runs a taskq CLI command in {@code cwd} and returns its stdout; fails on a non-zero exit. */
  public static String run(Path cwd, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", path().toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("TASKQ_") || k.startsWith("CLAUDE"));
    pb.environment().putAll(env);
    Path err = Files.createTempFile("taskq-cli", ".err");
    try {
      pb.redirectError(err.toFile());
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("taskq " + String.join(" ", args) + " did not exit in 60 s");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(
            "taskq "
                + String.join(" ", args)
                + " exited "
                + p.exitValue()
                + ": "
                + Files.readString(err));
      }
      return out;
    } finally {
      Files.deleteIfExists(err);
    }
  }
}

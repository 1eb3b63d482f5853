package dev.taskq.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The command that starts a taskq server, taken from where users get it: {@code taskq init}
 * registers it in .mcp.json, so the benchmark runs init in a scratch project and reads it back.
 * When the jar has no working init yet, it falls back to {@link #plain}, and says so.
 *
 * @param command the program and its arguments, ending in {@code serve}
 * @param source where the command came from, for the report
 */
record ServerCommand(List<String> command, String source) {

  /** {@code java -jar <jar> serve} with no tuning at all: the baseline. */
  static ServerCommand plain(String java, Path jar) {
    return new ServerCommand(List.of(java, "-jar", jar.toString(), "serve"), "plain java -jar");
  }

  /** The same JVM flags as {@code command}, without any class-data archive. */
  ServerCommand withoutArchive() {
    List<String> c = new ArrayList<>();
    for (String a : command) {
      if (!a.startsWith("-XX:SharedArchiveFile=") && !a.startsWith("-XX:AOTCache=")) {
        c.add(a);
      }
    }
    return new ServerCommand(c, source + ", archive removed");
  }

  /** What {@code taskq init} registers, read from the .mcp.json it writes in a scratch project. */
  static ServerCommand registeredByInit(String java, Path jar, Path scratch)
      throws IOException, InterruptedException {
    Files.createDirectories(scratch);
    ProcessBuilder pb = new ProcessBuilder(java, "-jar", jar.toString(), "init");
    pb.directory(scratch.toFile());
    pb.environment().remove("TASKQ_DIR");
    pb.environment().remove("CLAUDE_PROJECT_DIR");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("taskq init failed: " + output.strip());
    }
    JsonNode server =
        McpClient.JSON
            .readTree(Files.readString(scratch.resolve(".mcp.json")))
            .path("mcpServers")
            .path("taskq");
    List<String> c = new ArrayList<>();
    c.add(server.path("command").asString());
    server.path("args").forEach(a -> c.add(a.asString()));
    if (c.size() < 3 || !c.contains("serve")) {
      throw new IOException("taskq init registered no serve command: " + server);
    }
    return new ServerCommand(List.copyOf(c), "registered by taskq init");
  }

  /** The command with {@code flags} added just before {@code -jar} (a later flag wins). */
  ServerCommand withFlags(List<String> flags) {
    if (flags.isEmpty()) {
      return this;
    }
    List<String> c = new ArrayList<>(command);
    c.addAll(c.indexOf("-jar"), flags);
    return new ServerCommand(List.copyOf(c), source + " + " + String.join(" ", flags));
  }

  /** The archive file this command uses, or null. */
  Path archive() {
    for (String a : command) {
      if (a.startsWith("-XX:SharedArchiveFile=")) {
        return Path.of(a.substring("-XX:SharedArchiveFile=".length()));
      }
    }
    return null;
  }

  /** The JVM flags only (between the program and -jar), for the report. */
  String flags() {
    int jar = command.indexOf("-jar");
    return String.join(" ", command.subList(1, jar < 0 ? command.size() : jar));
  }
}

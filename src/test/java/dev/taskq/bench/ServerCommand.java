package dev.taskq.bench;

import dev.taskq.project.CommandPath;
import dev.taskq.project.Launcher;
import dev.taskq.project.ServerFlags;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The command that starts a taskq server, taken from where users get it: {@code taskq install} puts
 * the launcher on PATH and {@code taskq init} registers {@code taskq serve} in .mcp.json, so the
 * benchmark installs the jar into a scratch HOME, runs init in a scratch project, and starts what
 * the entry names, looked up on that PATH as Claude Code does. When that fails it falls back to
 * {@link #plain}, and says so.
 *
 * @param command the program and its arguments, ending in {@code serve}
 * @param source where the command came from, for the report
 * @param launcher what the installed launcher runs (java, jar, archive), or null
 */
record ServerCommand(List<String> command, String source, Launcher launcher) {

  ServerCommand(List<String> command, String source) {
    this(command, source, null);
  }

  /** {@code java -jar <jar> serve} with no tuning at all: the baseline. */
  static ServerCommand plain(String java, Path jar) {
    return new ServerCommand(List.of(java, "-jar", jar.toString(), "serve"), "plain java -jar");
  }

  /** The java command the launcher execs, started directly: the launcher's own cost left out. */
  ServerCommand direct() {
    List<String> c = new ArrayList<>();
    c.add(launcher.java().toString());
    if (Files.isRegularFile(launcher.archive())) {
      c.add(ServerFlags.archive(launcher.archive()));
    }
    c.addAll(ServerFlags.FLAGS);
    c.addAll(List.of("-jar", launcher.jar().toString(), "serve"));
    return new ServerCommand(
        List.copyOf(c), "the launcher's java command, run without the launcher");
  }

  /** The same JVM flags as {@link #direct}, without any class-data archive. */
  ServerCommand withoutArchive() {
    List<String> c = new ArrayList<>();
    for (String a : (launcher != null ? direct() : this).command) {
      if (!a.startsWith("-XX:SharedArchiveFile=") && !a.startsWith("-XX:AOTCache=")) {
        c.add(a);
      }
    }
    return new ServerCommand(List.copyOf(c), "the launcher's java command, archive removed");
  }

  /**
   * Installs {@code jar} into {@code scratch/home} (with its archive), runs {@code taskq init} in
   * {@code scratch/project} and returns the command its .mcp.json registers.
   */
  static ServerCommand registeredByInit(String java, Path jar, Path scratch)
      throws IOException, InterruptedException {
    Path home = Files.createDirectories(scratch.resolve("home"));
    Path project = Files.createDirectories(scratch.resolve("project"));
    Map<String, String> env = new HashMap<>();
    env.put("HOME", home.toString());
    env.put(
        "PATH",
        home.resolve(".local/bin")
            + File.pathSeparator
            + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    run(List.of(java, "-jar", jar.toString(), "install"), scratch, env);
    run(List.of(home.resolve(".local/bin/taskq").toString(), "init"), project, env);
    JsonNode server =
        McpClient.JSON
            .readTree(Files.readString(project.resolve(".mcp.json")))
            .path("mcpServers")
            .path("taskq");
    List<String> c = new ArrayList<>();
    c.add(server.path("command").asString());
    server.path("args").forEach(a -> c.add(a.asString()));
    if (!c.contains("serve")) {
      throw new IOException("taskq init registered no serve command: " + server);
    }
    Path program = CommandPath.find(c.get(0), env);
    if (program == null) {
      throw new IOException(c.get(0) + " is not on PATH after taskq install: " + env.get("PATH"));
    }
    c.set(0, program.toString());
    Launcher l = Launcher.read(program);
    if (l == null) {
      throw new IOException(program + " is not a launcher taskq install wrote");
    }
    return new ServerCommand(
        List.copyOf(c),
        "registered by taskq init: `taskq serve` on PATH, the installed launcher",
        l);
  }

  private static void run(List<String> command, Path cwd, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment()
        .keySet()
        .removeIf(k -> k.startsWith("TASKQ_") || k.startsWith("CLAUDE") || k.startsWith("XDG_"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " failed: " + output.strip());
    }
  }

  /** The command with {@code flags} added just before {@code -jar} (a later flag wins). */
  ServerCommand withFlags(List<String> flags) {
    if (flags.isEmpty()) {
      return this;
    }
    ServerCommand base = launcher != null ? direct() : this;
    List<String> c = new ArrayList<>(base.command);
    c.addAll(c.indexOf("-jar"), flags);
    return new ServerCommand(
        List.copyOf(c), base.source + " + " + String.join(" ", flags), launcher);
  }

  /** The archive file this command uses, or null. */
  Path archive() {
    if (launcher != null) {
      return Files.isRegularFile(launcher.archive()) ? launcher.archive() : null;
    }
    for (String a : command) {
      if (a.startsWith("-XX:SharedArchiveFile=")) {
        return Path.of(a.substring("-XX:SharedArchiveFile=".length()));
      }
    }
    return null;
  }

  /** The JVM flags only (between the program and -jar), for the report. */
  String flags() {
    if (launcher != null && !command.contains("-jar")) {
      return "via " + command.get(0) + ": " + direct().flags();
    }
    int jar = command.indexOf("-jar");
    return String.join(" ", command.subList(1, jar < 0 ? command.size() : jar));
  }
}

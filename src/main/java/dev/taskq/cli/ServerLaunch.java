package dev.taskq.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * The command Claude Code runs to start taskq for a session: this JVM's java binary (a different
 * java on the session's PATH could be too old), the start-up flags, and the absolute jar path.
 *
 * @param queueDir the TASKQ_DIR to register, or null: a session finds the project's queue itself
 *     (walking up from where it starts), so only a queue outside the project is named
 */
record ServerLaunch(Path java, List<String> jvmFlags, Path jar, String queueDir) {
  static final String ARCHIVE_FLAG = "-XX:SharedArchiveFile=";

  /**
   * Start-up flags for a short-lived stdio server, measured in issue 5 (bench/run): the
   * class-data-sharing archive {@code init} makes (half the start-up time; a missing or stale one
   * is ignored silently), C1 only (the server never runs long enough to profit from C2), the serial
   * collector with a small first heap (no GC threads to start; RSS 65 instead of 100 MB), no
   * hsperfdata file in /tmp, and JVM messages (e.g. a stale archive) to stderr, never stdout.
   */
  static List<String> jvmFlags(Path archive) {
    return List.of(
        ARCHIVE_FLAG + archive,
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-Xms16m",
        "-XX:-UsePerfData",
        "-Xlog:disable",
        "-Xlog:all=warning:stderr");
  }

  static ServerLaunch of(Path java, Path jar, String queueDir, Path archive) {
    return new ServerLaunch(java, jvmFlags(archive), jar, queueDir);
  }

  /** The archive the flags name. */
  Path archive() {
    for (String f : jvmFlags) {
      if (f.startsWith(ARCHIVE_FLAG)) {
        return Path.of(f.substring(ARCHIVE_FLAG.length()));
      }
    }
    throw new IllegalStateException("no " + ARCHIVE_FLAG + " in " + jvmFlags);
  }

  /** The same server, run once to write its archive to {@code dump} when it exits. */
  List<String> trainingCommand(Path dump) {
    List<String> c = new ArrayList<>();
    c.add(java.toString());
    for (String f : jvmFlags) {
      c.add(f.startsWith(ARCHIVE_FLAG) ? "-XX:ArchiveClassesAtExit=" + dump : f);
    }
    c.addAll(List.of("-jar", jar.toString(), "serve"));
    return c;
  }

  /**
   * A JVM that only starts when the archive fits this java and this exact jar (path, size, time).
   */
  List<String> archiveCheckCommand() {
    return List.of(
        java.toString(),
        "-Xshare:on",
        ARCHIVE_FLAG + archive(),
        "-Xlog:disable",
        "-cp",
        jar.toString(),
        "-version");
  }

  List<String> args() {
    List<String> a = new ArrayList<>(jvmFlags);
    a.add("-jar");
    a.add(jar.toString());
    a.add("serve");
    return a;
  }

  Map<String, String> env() {
    return queueDir == null ? Map.of() : Map.of("TASKQ_DIR", queueDir);
  }

  /** The .mcp.json entry: {"type":"stdio","command":...,"args":[...],"env":{...}}. */
  ObjectNode toJson() {
    ObjectNode o = JsonText.MAPPER.createObjectNode();
    o.put("type", "stdio");
    o.put("command", java.toString());
    args().forEach(o.putArray("args")::add);
    if (queueDir != null) {
      o.putObject("env").put("TASKQ_DIR", queueDir);
    }
    return o;
  }

  /**
   * The same registration as a {@code claude mcp add} line. The name comes before {@code -e}
   * because {@code -e} takes several values and would swallow it.
   */
  String claudeMcpAdd(String scope) {
    List<String> words =
        new ArrayList<>(List.of("claude", "mcp", "add", "taskq", "--scope", scope));
    if (queueDir != null) {
      words.add("-e");
      words.add(ShellQuote.quote("TASKQ_DIR=" + queueDir));
    }
    words.add("--");
    words.add(ShellQuote.quote(java.toString()));
    args().forEach(a -> words.add(ShellQuote.quote(a)));
    return String.join(" ", words);
  }
}

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
 * @param queueDir the TASKQ_DIR value to register, e.g. {@code ${CLAUDE_PROJECT_DIR:-.}/tasks}
 */
record ServerLaunch(Path java, List<String> jvmFlags, Path jar, String queueDir) {
  /**
   * Start-up flags for a short-lived stdio server: C1 only (the server never runs long enough to
   * profit from C2) and the serial collector (one small heap, no GC threads to start). The
   * performance issue (#5) measures and owns this list.
   */
  static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  static ServerLaunch of(Path java, Path jar, String queueDir) {
    return new ServerLaunch(java, JVM_FLAGS, jar, queueDir);
  }

  List<String> args() {
    List<String> a = new ArrayList<>(jvmFlags);
    a.add("-jar");
    a.add(jar.toString());
    a.add("serve");
    return a;
  }

  Map<String, String> env() {
    return Map.of("TASKQ_DIR", queueDir);
  }

  /** The .mcp.json entry: {"type":"stdio","command":...,"args":[...],"env":{...}}. */
  ObjectNode toJson() {
    ObjectNode o = JsonText.MAPPER.createObjectNode();
    o.put("type", "stdio");
    o.put("command", java.toString());
    args().forEach(o.putArray("args")::add);
    o.putObject("env").put("TASKQ_DIR", queueDir);
    return o;
  }

  /**
   * The same registration as a {@code claude mcp add} line. The name comes before {@code -e}
   * because {@code -e} takes several values and would swallow it.
   */
  String claudeMcpAdd(String scope) {
    List<String> words =
        new ArrayList<>(List.of("claude", "mcp", "add", "taskq", "--scope", scope));
    words.add("-e");
    words.add(ShellQuote.quote("TASKQ_DIR=" + queueDir));
    words.add("--");
    words.add(ShellQuote.quote(java.toString()));
    args().forEach(a -> words.add(ShellQuote.quote(a)));
    return String.join(" ", words);
  }
}

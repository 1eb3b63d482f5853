package dev.taskq.cli;

import dev.taskq.project.InstallPaths;
import dev.taskq.project.ShellQuote;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The server entry {@code taskq init} writes: {@code taskq serve}, found on PATH as the installed
 * launcher, the same on every machine, so .mcp.json can be committed and shared. The launcher holds
 * the start-up flags and this machine's paths; the session finds the queue itself.
 *
 * @param queueDir an absolute TASKQ_DIR, only for a queue sessions would not find by walking up
 *     from the project (say {@code init --dir /srv/queue}); null otherwise
 */
record Registration(String queueDir) {
  static final List<String> ARGS = List.of("serve");

  /** {"type":"stdio","command":"taskq","args":["serve"]}, plus env only for a far queue. */
  ObjectNode toJson() {
    ObjectNode o = JsonText.MAPPER.createObjectNode();
    o.put("type", "stdio");
    o.put("command", InstallPaths.COMMAND);
    ARGS.forEach(o.putArray("args")::add);
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
    words.add(InstallPaths.COMMAND);
    words.addAll(ARGS);
    return String.join(" ", words);
  }
}

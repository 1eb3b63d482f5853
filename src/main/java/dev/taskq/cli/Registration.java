package dev.taskq.cli;

import dev.taskq.project.InstallPaths;
import dev.taskq.project.ShellQuote;
import dev.taskq.store.StoreConfig;
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
 * @param database true when the queue is in PostgreSQL: the entry passes {@code TASKQ_DATABASE_URL}
 *     on from each machine's own environment ({@link #DATABASE_URL_REFERENCE}), never the URL
 *     itself, which may hold a password
 */
record Registration(String queueDir, boolean database) {
  static final List<String> ARGS = List.of("serve");

  /**
   * Claude Code expands {@code ${VAR:-default}} in .mcp.json from the environment it starts in. The
   * empty default matters: a bare {@code ${TASKQ_DATABASE_URL}} that is not set makes Claude Code
   * refuse the whole file, while an empty value reaches taskq, whose every answer then says which
   * variable to set (the project's tasks/queue.json says the queue is in PostgreSQL).
   */
  static final String DATABASE_URL_REFERENCE = "${" + StoreConfig.URL_VARIABLE + ":-}";

  /** A file queue's entry. */
  Registration(String queueDir) {
    this(queueDir, false);
  }

  /**
   * {"type":"stdio","command":"taskq","args":["serve"]}, plus env for a far queue or a database.
   */
  ObjectNode toJson() {
    ObjectNode o = JsonText.MAPPER.createObjectNode();
    o.put("type", "stdio");
    o.put("command", InstallPaths.COMMAND);
    ARGS.forEach(o.putArray("args")::add);
    if (queueDir != null || database) {
      ObjectNode env = o.putObject("env");
      if (queueDir != null) {
        env.put("TASKQ_DIR", queueDir);
      }
      if (database) {
        env.put(StoreConfig.URL_VARIABLE, DATABASE_URL_REFERENCE);
      }
    }
    return o;
  }

  /** The env keys this entry decides (a re-run of init replaces them; others are the user's). */
  List<String> ownedEnv() {
    return database ? List.of("TASKQ_DIR", StoreConfig.URL_VARIABLE) : List.of("TASKQ_DIR");
  }

  /**
   * The same registration as a {@code claude mcp add} line. The name comes before {@code -e}
   * because {@code -e} takes several values and would swallow it. It carries no database URL: the
   * server inherits TASKQ_DATABASE_URL from the environment Claude Code starts in, and a {@code
   * ${…}} written into Claude Code's own per-user config is not known to be expanded there (a
   * literal would override the inherited value).
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

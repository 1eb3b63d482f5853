package dev.taskq.workers;

import dev.taskq.project.ServerFlags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How one worker run is started: the {@code claude -p} command line, its environment, and the MCP
 * config that gives it a taskq server on the same queue. Pure: the supervisor does the spawning.
 */
public final class WorkerLaunch {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Variables that belong to the Claude Code session that ran {@code taskq workers start} (when it
   * was started from a Bash tool call), not to the person's login: a worker is a session of its
   * own, and its taskq server must not take the parent's session id as its holder name. Everything
   * else (the login, {@code ANTHROPIC_*}, PATH, HOME, proxies) reaches the worker unchanged.
   */
  static final Set<String> PARENT_SESSION_VARS =
      Set.of(
          // what Claude Code 2.1.328 gives a Bash tool call's command about its own session
          "CLAUDECODE",
          "CLAUDE_PID",
          "CLAUDE_CODE_ENTRYPOINT",
          "CLAUDE_CODE_SESSION_ID",
          "CLAUDE_CODE_CHILD_SESSION",
          "CLAUDE_CODE_CHILD_NOTES_DIR",
          "CLAUDE_CODE_EXECPATH",
          "CLAUDE_CODE_LAUNCHED_BY_SESSION_IDS",
          "CLAUDE_CODE_MESSAGING_SOCKET",
          "CLAUDE_CODE_MESSAGING_TOKEN",
          "CLAUDE_CODE_SSE_PORT",
          "CLAUDE_EFFORT",
          "CLAUDE_ENV_FILE",
          "CLAUDE_PROJECT_DIR",
          "TASKQ_HOLDER");

  private WorkerLaunch() {}

  /**
   * {@code claude -p PROMPT --output-format stream-json --verbose --mcp-config FILE
   * --strict-mcp-config --allowedTools=… --permission-mode MODE …}. The prompt comes first: the
   * list-taking options would swallow a prompt that followed them.
   *
   * @param budgetLeft what is left of the pool's budget for this run, or null
   */
  public static List<String> argv(
      Path claude, PoolConfig c, String worker, String prompt, Path mcpConfig, Double budgetLeft) {
    List<String> a = new ArrayList<>();
    a.add(claude.toString());
    a.add("-p");
    a.add(prompt);
    a.addAll(List.of("--output-format", "stream-json", "--verbose"));
    a.addAll(List.of("--mcp-config", mcpConfig.toString(), "--strict-mcp-config"));
    a.add("--allowedTools=" + String.join(",", c.allowedTools()));
    a.addAll(List.of("--permission-mode", c.permissionMode()));
    if (c.model() != null) {
      a.addAll(List.of("--model", c.model()));
    }
    if (budgetLeft != null) {
      a.addAll(List.of("--max-budget-usd", String.format(Locale.ROOT, "%.2f", budgetLeft)));
    }
    if (c.worktree()) {
      a.add("--worktree=taskq-" + worker);
    }
    return a;
  }

  /** The person's environment, minus the parent session's own variables, plus the queue. */
  public static Map<String, String> env(Map<String, String> base, Path queueDir) {
    Map<String, String> env = new HashMap<>(base);
    PARENT_SESSION_VARS.forEach(env::remove);
    env.put("TASKQ_DIR", queueDir.toString());
    return env;
  }

  /**
   * The MCP config for one worker: a taskq server on the same queue whose claims read {@code
   * worker-2@host#pid}. Secrets such as a database URL are not written here: the server inherits
   * them from the worker's environment.
   */
  public static String mcpConfig(List<String> serverCommand, Path queueDir, String worker) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode s = root.putObject("mcpServers").putObject("taskq");
    s.put("type", "stdio");
    s.put("command", serverCommand.get(0));
    ArrayNode args = s.putArray("args");
    serverCommand.subList(1, serverCommand.size()).forEach(args::add);
    s.putObject("env").put("TASKQ_DIR", queueDir.toString()).put("TASKQ_HOLDER", worker);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
  }

  /** {@code java <flags> -jar taskq.jar serve}, with the JVM and jar the supervisor runs on. */
  public static List<String> serverCommand(Path java, Path jar) {
    List<String> c = new ArrayList<>();
    c.add(java.toString());
    c.addAll(ServerFlags.FLAGS); // the start-up flags the installed launcher uses too
    c.addAll(List.of("-jar", jar.toString(), "serve"));
    return c;
  }

  /**
   * What a worker is told. Unlike /mcp__taskq__work, a background worker never waits for work: an
   * idle model still costs tokens, and the supervisor starts a fresh worker when work arrives.
   */
  public static String prompt(String worker, PoolConfig c) {
    String claim =
        c.lane() == null
            ? "mcp__taskq__claim_next"
            : "mcp__taskq__claim_next with lane \"" + c.lane() + "\"";
    String repeat =
        c.maxTasks() == null
            ? "until claim_next says there is nothing to claim."
            : "until you have finished "
                + c.maxTasks()
                + (c.maxTasks() == 1 ? " task" : " tasks")
                + " or claim_next says there is nothing to claim; then stop (a fresh worker"
                + " takes over).";
    return "You are "
        + worker
        + ", a background worker started by `taskq workers` for this project. Nobody reads your"
        + " replies while you work: the task queue is where your work goes.\n"
        + "1. Call "
        + claim
        + ". If it answers that there is nothing to claim, stop at once with a one-line reply,"
        + " even if it suggests waiting: do not wait and do not call it again (taskq starts a"
        + " new worker when work arrives).\n"
        + "2. Do the task as its instructions say. If the work packet has a Resume section,"
        + " continue from that checkpoint instead of starting over.\n"
        + "3. While working, call write_checkpoint with the id and token about every 10 minutes"
        + " or 20 files: what is done, progress {done,total}, findings so far, the next step."
        + " It renews your lease.\n"
        + "4. When finished, judge the work against the success criterion and call complete_task:"
        + " done with a result that shows the criterion is met, failed with why, or released if"
        + " you cannot go on.\n"
        + "5. If a call answers FENCED, drop that task at once and go back to step 1.\n"
        + "6. Repeat "
        + repeat;
  }
}

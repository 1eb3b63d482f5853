package dev.taskq.workers;

import dev.taskq.core.TaskId;
import dev.taskq.core.TaskqException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a person asked the pool for with {@code taskq workers start}.
 *
 * @param workers at most this many workers run at once
 * @param lane only this lane's tasks, or null for any
 * @param maxTasks each worker run finishes at most this many tasks, then a fresh run (a clean
 *     context) takes over; null for no limit
 * @param model {@code claude --model}, or null for Claude Code's default
 * @param permissionMode {@code claude --permission-mode}
 * @param allowedTools {@code claude --allowedTools}
 * @param worktree each worker in its own git worktree ({@code claude -w})
 * @param maxBudgetUsd the whole pool stops starting runs once it has spent this much; each run gets
 *     what is left as its {@code --max-budget-usd}; null for no budget
 * @param stay keep the supervisor when the queue is drained, and start workers when work arrives
 * @param claude the claude command as given ({@code --claude}, {@code TASKQ_CLAUDE}) or null
 * @param waitOnLimit pause on a usage limit and resume at the reset; false stops the pool instead
 */
public record PoolConfig(
    int workers,
    String lane,
    Integer maxTasks,
    String model,
    String permissionMode,
    List<String> allowedTools,
    boolean worktree,
    Double maxBudgetUsd,
    boolean stay,
    String claude,
    boolean waitOnLimit) {

  public static final int MAX_WORKERS = 32;

  /** The taskq tools plus tools that only read: a worker can look, claim and report, not edit. */
  public static final List<String> DEFAULT_TOOLS = List.of("mcp__taskq__*", "Read", "Grep", "Glob");

  /**
   * Never asks, never widens: a tool not in the allowed list is refused (a worker has nobody to
   * ask).
   */
  public static final String DEFAULT_PERMISSION_MODE = "dontAsk";

  /** The modes of Claude Code 2.1.328's --permission-mode. */
  public static final Set<String> PERMISSION_MODES =
      Set.of("acceptEdits", "auto", "bypassPermissions", "manual", "default", "dontAsk", "plan");

  public PoolConfig {
    if (workers < 1 || workers > MAX_WORKERS) {
      throw TaskqException.invalid(
          "-n", "must be between 1 and " + MAX_WORKERS + ", got " + workers);
    }
    if (lane != null) {
      TaskId.check("--lane", lane);
    }
    if (maxTasks != null && maxTasks < 1) {
      throw TaskqException.invalid("--max-tasks", "must be 1 or more, got " + maxTasks);
    }
    if (model != null && (model.isBlank() || !model.matches("[A-Za-z0-9._:\\[\\]/@-]{1,100}"))) {
      throw TaskqException.invalid("--model", "expected a model name or alias such as sonnet");
    }
    permissionMode = permissionMode == null ? DEFAULT_PERMISSION_MODE : permissionMode;
    if (!PERMISSION_MODES.contains(permissionMode)) {
      throw TaskqException.invalid(
          "--permission-mode",
          "unknown mode '"
              + permissionMode
              + "'; use one of acceptEdits, auto, bypassPermissions, default, dontAsk, plan");
    }
    allowedTools =
        allowedTools == null || allowedTools.isEmpty() ? DEFAULT_TOOLS : List.copyOf(allowedTools);
    for (String t : allowedTools) {
      if (t.isBlank() || t.length() > 200 || t.chars().anyMatch(c -> c < 0x20)) {
        throw TaskqException.invalid(
            "--allowed-tools", "a tool name is empty or not one line: '" + t + "'");
      }
    }
    if (maxBudgetUsd != null && !(maxBudgetUsd > 0 && maxBudgetUsd <= 100_000)) {
      throw TaskqException.invalid(
          "--max-budget-usd", "must be a positive amount of dollars, got " + maxBudgetUsd);
    }
    if (claude != null && claude.isBlank()) {
      claude = null;
    }
  }

  /** The same pool with room for {@code n} workers. */
  public PoolConfig withWorkers(int n) {
    return new PoolConfig(
        n,
        lane,
        maxTasks,
        model,
        permissionMode,
        allowedTools,
        worktree,
        maxBudgetUsd,
        stay,
        claude,
        waitOnLimit);
  }

  /** The same pool run with this claude command. */
  public PoolConfig withClaude(String command) {
    return new PoolConfig(
        workers,
        lane,
        maxTasks,
        model,
        permissionMode,
        allowedTools,
        worktree,
        maxBudgetUsd,
        stay,
        command,
        waitOnLimit);
  }

  /** The same pool, waiting for new work when drained. */
  public PoolConfig staying() {
    return new PoolConfig(
        workers,
        lane,
        maxTasks,
        model,
        permissionMode,
        allowedTools,
        worktree,
        maxBudgetUsd,
        true,
        claude,
        waitOnLimit);
  }

  /**
   * The options that differ between this pool and {@code other}, ignoring the number of workers and
   * --stay (which a second start may raise or turn on); empty when they are the same pool.
   */
  public List<String> differences(PoolConfig other) {
    List<String> d = new ArrayList<>();
    diff(d, "--lane", lane, other.lane);
    diff(d, "--max-tasks", maxTasks, other.maxTasks);
    diff(d, "--model", model, other.model);
    diff(d, "--permission-mode", permissionMode, other.permissionMode);
    diff(d, "--allowed-tools", allowedTools, other.allowedTools);
    diff(d, "--worktree", worktree, other.worktree);
    diff(d, "--max-budget-usd", maxBudgetUsd, other.maxBudgetUsd);
    diff(d, "--no-wait-on-limit", !waitOnLimit, !other.waitOnLimit);
    return d;
  }

  private static void diff(List<String> out, String name, Object a, Object b) {
    if (!java.util.Objects.equals(a, b)) {
      out.add(name + " " + show(a) + " (running) vs " + show(b) + " (asked)");
    }
  }

  private static String show(Object v) {
    if (v == null) {
      return "unset";
    }
    return v instanceof List<?> l
        ? String.join(",", l.stream().map(String::valueOf).toList())
        : v.toString();
  }

  public ObjectNode toJson(ObjectNode o) {
    o.put("workers", workers);
    if (lane != null) {
      o.put("lane", lane);
    }
    if (maxTasks != null) {
      o.put("max_tasks", maxTasks);
    }
    if (model != null) {
      o.put("model", model);
    }
    o.put("permission_mode", permissionMode);
    ArrayNode tools = o.putArray("allowed_tools");
    allowedTools.forEach(tools::add);
    o.put("worktree", worktree);
    if (maxBudgetUsd != null) {
      o.put("max_budget_usd", maxBudgetUsd);
    }
    o.put("stay", stay);
    if (claude != null) {
      o.put("claude", claude);
    }
    o.put("wait_on_limit", waitOnLimit);
    return o;
  }

  public static PoolConfig fromJson(JsonNode o) {
    List<String> tools = new ArrayList<>();
    o.path("allowed_tools").forEach(t -> tools.add(t.asString()));
    return new PoolConfig(
        o.path("workers").asInt(1),
        text(o, "lane"),
        o.has("max_tasks") ? o.path("max_tasks").asInt() : null,
        text(o, "model"),
        text(o, "permission_mode"),
        tools,
        o.path("worktree").asBoolean(false),
        o.has("max_budget_usd") ? o.path("max_budget_usd").asDouble() : null,
        o.path("stay").asBoolean(false),
        text(o, "claude"),
        o.path("wait_on_limit").asBoolean(true));
  }

  private static String text(JsonNode o, String key) {
    JsonNode v = o.get(key);
    return v == null || v.isNull() ? null : v.asString();
  }
}

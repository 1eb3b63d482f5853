package dev.taskq.workers;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows one worker run's stream: what it is working on, how far it got, what it cost, and in the
 * end why it stopped. Not thread-safe; the run's reader thread feeds it and the supervisor reads
 * snapshots through its accessors under the supervisor's lock.
 */
public final class RunTracker {
  private static final Pattern CLAIMED = Pattern.compile("^Claimed task (\\S+) \\(attempt");
  private static final Pattern ENDED =
      Pattern.compile("^(Completed|Marked|Released) (\\S+) (as done|as failed|back to pending)");

  private final Map<String, String> toolNames = new HashMap<>();
  private String sessionId = "";
  private String model = "";
  private String version = "";
  private String taskqServer = "";
  private String task;
  private int claims;
  private int done;
  private int failed;
  private int idleAnswers;
  private int turns;
  private String lastMessage;
  private int toolCalls;
  private StreamEvent.ApiError apiError;
  private StreamEvent.RateLimit rejected;
  private StreamEvent.ApiRetry lastRetry;
  private StreamEvent.ApiRetry retrying;
  private StreamEvent.Result result;

  /** Takes one event; returns true when it changed something the pool shows. */
  public boolean accept(StreamEvent e) {
    // Java 17: no pattern matching in switch yet, so a chain of instanceof.
    if (e instanceof StreamEvent.Init i) {
      sessionId = i.sessionId();
      model = i.model();
      version = i.version();
      taskqServer = i.mcpServers().getOrDefault("taskq", "");
      return true;
    } else if (e instanceof StreamEvent.Turn t) {
      retrying = null; // an answer came: whatever was being retried went through
      if (result == null && !t.messageId().equals(lastMessage)) {
        lastMessage = t.messageId();
        turns++;
        return true;
      }
    } else if (e instanceof StreamEvent.ToolCall c) {
      toolNames.put(c.id(), c.name());
      toolCalls++;
    } else if (e instanceof StreamEvent.ToolResult r) {
      return toolResult(toolNames.getOrDefault(r.toolUseId(), ""), r);
    } else if (e instanceof StreamEvent.ApiRetry r) {
      lastRetry = r;
      retrying = r;
      return true;
    } else if (e instanceof StreamEvent.RateLimit l && l.status().equals("rejected")) {
      rejected = l;
      return true;
    } else if (e instanceof StreamEvent.ApiError a) {
      apiError = a;
      return true;
    } else if (e instanceof StreamEvent.Result r) {
      result = r;
      turns = r.turns();
      return true;
    }
    return false;
  }

  private boolean toolResult(String tool, StreamEvent.ToolResult r) {
    if (!tool.startsWith("mcp__taskq__") || r.isError()) {
      return false;
    }
    String text = r.text().strip();
    Matcher m = CLAIMED.matcher(text);
    if (m.find()) {
      task = m.group(1);
      claims++;
      idleAnswers = 0;
      return true;
    }
    if (text.startsWith("Nothing to claim")) {
      idleAnswers++;
      task = null;
      return true;
    }
    Matcher end = ENDED.matcher(text);
    if (end.find() && end.group(2).equals(task)) {
      switch (end.group(1)) {
        case "Completed" -> done++;
        case "Marked" -> failed++;
        default -> {}
      }
      task = null;
      return true;
    }
    return false;
  }

  /**
   * Why the run ended, from what it printed and its exit code.
   *
   * @param stoppedByUs the supervisor sent the signal that ended it
   * @param claimable whether work was claimable when it ended (for {@link RunEnd.Kind#NO_PROGRESS})
   */
  public RunEnd end(int exitCode, boolean stoppedByUs, boolean claimable) {
    if (stoppedByUs && loginRefused()) {
      return new RunEnd(
          RunEnd.Kind.AUTH,
          exitCode,
          null,
          "authentication failed: the API refused the login "
              + retrying.attempt()
              + " times ("
              + retrying.status()
              + " "
              + retrying.error()
              + ")");
    }
    if (stoppedByUs) {
      return new RunEnd(RunEnd.Kind.STOPPED, exitCode, null, "stopped by the supervisor");
    }
    String error = apiError == null ? "" : apiError.error();
    int status = result == null ? 0 : result.apiErrorStatus();
    String said = apiError != null && !apiError.text().isBlank() ? apiError.text().strip() : "";
    if (said.isEmpty() && result != null && result.isError()) {
      said = result.text().strip();
    }
    if (rejected != null || error.equals("rate_limit") || status == 429) {
      Instant reset = rejected == null ? null : rejected.resetsAt();
      String what =
          rejected != null && !rejected.limitType().isEmpty()
              ? "usage limit (" + rejected.limitType() + ")"
              : "usage limit";
      return new RunEnd(RunEnd.Kind.USAGE_LIMIT, exitCode, reset, join(what, said));
    }
    if (error.equals("overloaded") || status == 529) {
      return new RunEnd(RunEnd.Kind.OVERLOADED, exitCode, null, join("API overloaded", said));
    }
    if (error.equals("authentication_failed") || status == 401 || status == 403) {
      return new RunEnd(RunEnd.Kind.AUTH, exitCode, null, join("authentication failed", said));
    }
    if (error.equals("billing_error") || status == 402) {
      return new RunEnd(RunEnd.Kind.BILLING, exitCode, null, join("billing error", said));
    }
    if (result != null && result.subtype().equals("error_max_budget_usd")) {
      return new RunEnd(RunEnd.Kind.BUDGET, exitCode, null, "spent its budget");
    }
    if (!error.isEmpty() || (result != null && result.isError() && status != 0)) {
      return new RunEnd(
          RunEnd.Kind.CRASHED, exitCode, null, join("API error " + orStatus(error, status), said));
    }
    if (result == null || exitCode != 0) {
      String why = exitCode > 128 ? "killed by signal " + (exitCode - 128) : "exit " + exitCode;
      return new RunEnd(
          RunEnd.Kind.CRASHED,
          exitCode,
          null,
          result == null ? why + " before its result" : join(why, said));
    }
    if (claims == 0 && claimable && idleAnswers == 0) {
      String tools =
          taskqServer.isEmpty() || taskqServer.equals("connected")
              ? "it never called claim_next"
              : "its taskq server was " + taskqServer;
      return new RunEnd(
          RunEnd.Kind.NO_PROGRESS, exitCode, null, "ended without claiming a task: " + tools);
    }
    return new RunEnd(RunEnd.Kind.FINISHED, exitCode, null, finishedDetail());
  }

  private String finishedDetail() {
    return done + " done, " + failed + " failed";
  }

  private static String orStatus(String error, int status) {
    return error.isEmpty() ? String.valueOf(status) : error;
  }

  private static String join(String what, String said) {
    String one = said.lines().findFirst().orElse("").strip();
    if (one.length() > 200) {
      one = one.substring(0, 199) + "…";
    }
    return one.isEmpty() ? what : what + ": " + one;
  }

  public String sessionId() {
    return sessionId;
  }

  public String model() {
    return model;
  }

  public String version() {
    return version;
  }

  /** The task the run holds now, or null. */
  public String task() {
    return task;
  }

  public int done() {
    return done;
  }

  public int failed() {
    return failed;
  }

  public int claims() {
    return claims;
  }

  /** How often claim_next answered "Nothing to claim" since the run's last claim. */
  public int idleAnswers() {
    return idleAnswers;
  }

  public int turns() {
    return turns;
  }

  public int toolCalls() {
    return toolCalls;
  }

  /** The cost from the run's result, 0 until it ends. */
  public double costUsd() {
    return result == null ? 0 : result.costUsd();
  }

  /** The retry Claude Code is waiting on now (no answer since), or null. */
  public StreamEvent.ApiRetry retrying() {
    return retrying;
  }

  /**
   * True when the run is retrying a refused login: Claude Code 2.1.328 retries a 401 ten times over
   * six and a half minutes, but a login refused twice in a row does not come back by itself (one
   * refusal may be a glitch of a proxy; the second retry comes a second later).
   */
  public boolean loginRefused() {
    return retrying != null
        && (retrying.status() == 401
            || retrying.status() == 403
            || retrying.error().equals("authentication_failed"))
        && retrying.attempt() >= 2;
  }

  /** The latest automatic retry Claude Code reported, or null. */
  public StreamEvent.ApiRetry lastRetry() {
    return lastRetry;
  }
}

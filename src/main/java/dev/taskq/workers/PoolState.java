package dev.taskq.workers;

import dev.taskq.core.Holder;
import dev.taskq.store.ProcessIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pool as its supervisor last wrote it to {@code .taskq/workers/state.json}: the file {@code
 * taskq workers status}, {@code taskq status}, {@code taskq wait} and the dashboard read. Written
 * whole (temp file, then rename) on every change, so a reader never sees half of it. The file stays
 * after the supervisor exits, saying why it stopped; {@link #alive()} tells a live supervisor from
 * one that was killed without writing its last state.
 *
 * @param state running, paused, stopping or stopped
 * @param reason why it is paused or stopped (a person reads it), or null
 * @param pausedUntil when a paused pool tries again, or null
 * @param pid the supervisor's process id; {@code pidStart} its start stamp (pids are reused)
 * @param launch the id the start command gave this supervisor
 * @param handled ids of the requests (more workers, stop) it has acted on, newest last
 * @param error true when it stopped (or is stopping) on an error a person must see to: a refused
 *     login, a usage limit with --no-wait-on-limit, every worker given up
 */
public record PoolState(
    String state,
    String reason,
    Instant pausedUntil,
    long pid,
    long pidStart,
    String launch,
    Instant started,
    Instant updated,
    String queue,
    String claude,
    String claudeVersion,
    PoolConfig config,
    Totals totals,
    List<Worker> workers,
    List<String> handled,
    boolean error) {

  public static final int VERSION = 1;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  public PoolState {
    workers = List.copyOf(workers);
    handled = List.copyOf(handled);
  }

  /**
   * The pool's sums over every run since the supervisor started.
   *
   * @param claimable tasks the pool's workers could claim at the last look
   * @param inProgress tasks claimed by anyone at the last look
   */
  public record Totals(
      int runs, int done, int failed, double costUsd, int turns, int claimable, int inProgress) {}

  /**
   * One worker slot.
   *
   * @param state starting, working (holds a task), claiming (running, no task yet), idle (no run:
   *     nothing to do), backoff (waiting to restart after a failed run), paused, given_up, stopped
   * @param pid the running claude's pid, or 0
   * @param run the current or last run's number (its transcript is run-NNNN.jsonl)
   * @param task the task the run holds now, or null
   * @param turns the current run's turns so far; {@code costUsd} all runs' cost
   * @param failuresInARow failed runs since the last good one (given up at {@link
   *     Supervisor#GIVE_UP_AFTER})
   * @param nextStart when a worker in backoff starts again, or null
   * @param lastExit how the last run ended, as a person reads it, or null
   */
  public record Worker(
      String name,
      String state,
      long pid,
      int run,
      Instant runStarted,
      String task,
      int turns,
      double costUsd,
      int runs,
      int done,
      int failuresInARow,
      Instant nextStart,
      String lastExit,
      String transcript) {}

  /**
   * True while the supervisor that wrote this runs (same pid and process start) and has not
   * finished: a supervisor that wrote "stopped" is done even while its JVM is still exiting.
   */
  public boolean alive() {
    return !state.equals("stopped")
        && pid > 0
        && ProcessIdentity.isAlive(new Holder("", ProcessIdentity.host(), pid, pidStart));
  }

  /** True when the supervisor runs and has not begun to stop. */
  public boolean active() {
    return alive() && !state.equals("stopping") && !state.equals("stopped");
  }

  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("version", VERSION);
    o.put("state", state);
    if (reason != null) {
      o.put("reason", reason);
    }
    if (pausedUntil != null) {
      o.put("paused_until", pausedUntil.toString());
    }
    o.put("pid", pid).put("pid_start", pidStart).put("launch", launch);
    o.put("started", started.toString()).put("updated", updated.toString());
    o.put("queue", queue).put("claude", claude).put("claude_version", claudeVersion);
    config.toJson(o.putObject("config"));
    o.putObject("totals")
        .put("runs", totals.runs())
        .put("done", totals.done())
        .put("failed", totals.failed())
        .put("cost_usd", round(totals.costUsd()))
        .put("turns", totals.turns())
        .put("claimable", totals.claimable())
        .put("in_progress", totals.inProgress());
    ArrayNode ws = o.putArray("workers");
    for (Worker w : workers) {
      ObjectNode n = ws.addObject();
      n.put("name", w.name()).put("state", w.state()).put("pid", w.pid()).put("run", w.run());
      if (w.runStarted() != null) {
        n.put("run_started", w.runStarted().toString());
      }
      if (w.task() != null) {
        n.put("task", w.task());
      }
      n.put("turns", w.turns()).put("cost_usd", round(w.costUsd()));
      n.put("runs", w.runs()).put("done", w.done()).put("failures_in_a_row", w.failuresInARow());
      if (w.nextStart() != null) {
        n.put("next_start", w.nextStart().toString());
      }
      if (w.lastExit() != null) {
        n.put("last_exit", w.lastExit());
      }
      if (w.transcript() != null) {
        n.put("transcript", w.transcript());
      }
    }
    ArrayNode h = o.putArray("handled");
    handled.forEach(h::add);
    o.put("error", error);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
  }

  public static PoolState fromJson(String text) {
    JsonNode o = JSON.readTree(text);
    JsonNode t = o.path("totals");
    List<Worker> ws = new ArrayList<>();
    for (JsonNode n : o.path("workers")) {
      ws.add(
          new Worker(
              n.path("name").asString(""),
              n.path("state").asString(""),
              n.path("pid").asLong(0),
              n.path("run").asInt(0),
              instant(n, "run_started"),
              str(n, "task"),
              n.path("turns").asInt(0),
              n.path("cost_usd").asDouble(0),
              n.path("runs").asInt(0),
              n.path("done").asInt(0),
              n.path("failures_in_a_row").asInt(0),
              instant(n, "next_start"),
              str(n, "last_exit"),
              str(n, "transcript")));
    }
    List<String> handled = new ArrayList<>();
    o.path("handled").forEach(h -> handled.add(h.asString()));
    return new PoolState(
        o.path("state").asString("stopped"),
        str(o, "reason"),
        instant(o, "paused_until"),
        o.path("pid").asLong(0),
        o.path("pid_start").asLong(0),
        o.path("launch").asString(""),
        instant(o, "started"),
        instant(o, "updated"),
        o.path("queue").asString(""),
        o.path("claude").asString(""),
        o.path("claude_version").asString(""),
        PoolConfig.fromJson(o.path("config")),
        new Totals(
            t.path("runs").asInt(0),
            t.path("done").asInt(0),
            t.path("failed").asInt(0),
            t.path("cost_usd").asDouble(0),
            t.path("turns").asInt(0),
            t.path("claimable").asInt(0),
            t.path("in_progress").asInt(0)),
        ws,
        handled,
        o.path("error").asBoolean(false));
  }

  /** The state file of the queue's pool, or empty when no pool ever ran (or it is unreadable). */
  public static Optional<PoolState> read(PoolFiles files) {
    try {
      return Optional.of(fromJson(Files.readString(files.state(), StandardCharsets.UTF_8)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // a damaged file says as much as no file: no pool to talk to
    }
  }

  /** Writes the file whole: a temp file beside it, then a rename over the old one. */
  public void write(PoolFiles files) throws IOException {
    AtomicWrite.write(files.state(), toJson());
  }

  private static double round(double usd) {
    return Math.round(usd * 10_000) / 10_000.0;
  }

  private static String str(JsonNode o, String key) {
    JsonNode v = o.get(key);
    return v == null || v.isNull() ? null : v.asString();
  }

  private static Instant instant(JsonNode o, String key) {
    String s = str(o, key);
    try {
      return s == null ? null : Instant.parse(s);
    } catch (RuntimeException e) {
      return null;
    }
  }
}

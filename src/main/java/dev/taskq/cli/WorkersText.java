package dev.taskq.cli;

import dev.taskq.cli.TextTable.Cell;
import dev.taskq.core.Progress;
import dev.taskq.core.TaskqException;
import dev.taskq.store.TaskStore;
import dev.taskq.workers.PoolState;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code taskq workers status} and the pool's line in {@code taskq status}. */
final class WorkersText {
  private static final DateTimeFormatter HHMM =
      DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private WorkersText() {}

  /** One line for {@code taskq status}, or null when no pool ever ran on this queue. */
  static String summary(Optional<PoolState> state, Instant now) {
    if (state.isEmpty()) {
      return null;
    }
    PoolState s = state.get();
    String totals =
        s.totals().done()
            + " done"
            + (s.totals().failed() > 0 ? ", " + s.totals().failed() + " failed" : "")
            + String.format(Locale.ROOT, ", $%.2f", s.totals().costUsd());
    if (!s.alive()) {
      return s.state().equals("stopped")
          ? "workers: stopped " + ago(s.updated(), now) + ": " + s.reason() + " (" + totals + ")"
          : "workers: the supervisor (pid " + s.pid() + ") is gone without a word; " + totals;
    }
    long busy = s.workers().stream().filter(w -> w.pid() > 0).count();
    String head =
        switch (s.state()) {
          case "paused" ->
              "workers: PAUSED until " + HHMM.format(s.pausedUntil()) + " (" + s.reason() + ")";
          case "stopping" -> "workers: stopping (" + s.reason() + ")";
          default -> "workers: running, " + busy + " of " + s.config().workers() + " busy";
        };
    return head + "; " + totals;
  }

  static String status(
      Optional<PoolState> state, TaskStore store, String queue, Instant now, Style st) {
    if (state.isEmpty()) {
      return "no worker pool has run on "
          + queue
          + "; start one with `taskq workers start` (see taskq workers start --help)\n";
    }
    PoolState s = state.get();
    List<String> out = new ArrayList<>();
    String life;
    if (s.alive()) {
      life =
          switch (s.state()) {
            case "paused" -> st.yellow("paused") + " until " + HHMM.format(s.pausedUntil());
            case "stopping" -> st.yellow("stopping");
            default -> st.green("running");
          };
      life +=
          " · supervisor pid "
              + s.pid()
              + ", up "
              + HumanFormat.duration(between(s.started(), now));
    } else if (s.state().equals("stopped")) {
      life = "stopped " + ago(s.updated(), now);
    } else {
      life = st.red("gone") + " (supervisor pid " + s.pid() + " ended without saying why)";
    }
    out.add(st.bold("workers") + "  " + queue + "  " + life);
    out.add(
        String.format(
            Locale.ROOT,
            "%d %s · %d runs · %d done · %d failed · %d turns · $%.4f · %d claimable · %d in"
                + " progress · %s",
            s.config().workers(),
            s.config().workers() == 1 ? "worker" : "workers",
            s.totals().runs(),
            s.totals().done(),
            s.totals().failed(),
            s.totals().turns(),
            s.totals().costUsd(),
            s.totals().claimable(),
            s.totals().inProgress(),
            s.claudeVersion()));
    if (s.reason() != null && !s.state().equals("running")) {
      out.add((s.state().equals("paused") ? "paused: " : "why: ") + s.reason());
    }
    TextTable t = new TextTable();
    for (PoolState.Worker w : s.workers()) {
      boolean live = s.alive() && w.pid() > 0;
      String task = w.task() == null ? "" : w.task();
      String progress = live && w.task() != null ? progress(store, w.task()) : "";
      String run = w.run() == 0 ? "" : "run " + w.run();
      String time =
          live && w.runStarted() != null ? HumanFormat.duration(between(w.runStarted(), now)) : "";
      String last =
          live
              ? w.state().equals("retrying") ? nz(w.lastExit()) : ""
              : w.state().equals("backoff") && w.nextStart() != null
                  ? "restarts " + HHMM.format(w.nextStart()) + "; last: " + nz(w.lastExit())
                  : nz(w.lastExit()).isEmpty() ? "" : "last: " + w.lastExit();
      t.add(
          List.of(
              Cell.of(w.name()),
              Cell.of(w.state()),
              Cell.of(task),
              Cell.of(progress),
              Cell.of(run),
              Cell.of(live ? w.turns() + (w.turns() == 1 ? " turn" : " turns") : ""),
              Cell.of(String.format(Locale.ROOT, "$%.4f", w.costUsd())),
              Cell.of(time),
              Cell.of(last)));
    }
    out.add("");
    out.addAll(t.lines(2, st.width()));
    return String.join("\n", out) + "\n";
  }

  /** The state file as JSON, with {@code alive} and each working worker's task progress. */
  static String json(Optional<PoolState> state, TaskStore store) {
    if (state.isEmpty()) {
      return "{\"state\": \"none\"}\n";
    }
    PoolState s = state.get();
    ObjectNode o = (ObjectNode) JsonText.MAPPER.readTree(s.toJson());
    o.put("alive", s.alive());
    ArrayNode ws = (ArrayNode) o.get("workers");
    for (int i = 0; i < ws.size(); i++) {
      ObjectNode w = (ObjectNode) ws.get(i);
      if (w.has("task")) {
        Progress p = progressOf(store, w.get("task").asString());
        if (p != null) {
          w.putObject("progress")
              .put("done", p.done())
              .put("total", p.total())
              .put("percent", p.percent());
        }
      }
    }
    return JsonText.pretty(o);
  }

  private static String progress(TaskStore store, String id) {
    Progress p = progressOf(store, id);
    return p == null
        ? ""
        : HumanFormat.bar(p, StatusText.BAR_CELLS) + " " + String.format("%3d%% ", p.percent()) + p;
  }

  private static Progress progressOf(TaskStore store, String id) {
    try {
      return store.get(id).task().progress();
    } catch (TaskqException e) {
      return null;
    }
  }

  private static Duration between(Instant a, Instant b) {
    if (a == null) {
      return Duration.ZERO;
    }
    Duration d = Duration.between(a, b);
    return d.isNegative() ? Duration.ZERO : d.plusSeconds(d.isZero() ? 1 : 0);
  }

  private static String ago(Instant at, Instant now) {
    return at == null ? "" : HumanFormat.duration(between(at, now)) + " ago";
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}

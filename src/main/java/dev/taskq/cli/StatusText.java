package dev.taskq.cli;

import dev.taskq.cli.TextTable.Cell;
import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskState;
import dev.taskq.core.Unreadable;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Draws a {@link StatusView} for a person: counts, then one section per state that has tasks. */
final class StatusText {
  static final int BAR_CELLS = 16;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private static final Duration LEASE_WARNING = Duration.ofMinutes(1);

  private StatusText() {}

  static String render(StatusView v, Style s) {
    List<String> out = new ArrayList<>();
    String lane = v.lane() == null ? "" : "  lane " + v.lane();
    out.add(s.bold("taskq") + "  " + v.queue().label() + lane + "  " + s.dim(TIME.format(v.at())));
    out.add(counts(v, s));
    if (v.pool() != null) {
      out.add(
          v.pool().contains("PAUSED") || v.pool().contains("gone") ? s.yellow(v.pool()) : v.pool());
    }
    v.warnings().forEach(w -> out.add(s.yellow("warning: " + w)));
    if (v.isEmpty() && v.lane() != null) {
      out.add("");
      out.add("No tasks in lane " + v.lane() + ".");
      return String.join("\n", out) + "\n";
    }
    if (v.isEmpty()) {
      out.add("");
      out.add("The queue is empty. Add work with `taskq add TITLE --criterion TEXT`,");
      out.add("or from a Claude Code session with the enqueue_task tool.");
      return String.join("\n", out) + "\n";
    }
    section(out, s, "In progress", inProgress(v, s), v.inProgress().more());
    section(out, s, "Pending", pending(v), v.claimable().more());
    section(out, s, "Blocked", blocked(v, s), v.waiting().more());
    section(out, s, "Failed", failed(v, s), v.failed().more());
    section(out, s, "Corrupt files (never claimed; fix or move them)", corrupt(v, s), 0);
    section(out, s, "Completed, newest first", completed(v, s), v.completed().more());
    return String.join("\n", out) + "\n";
  }

  private static String counts(StatusView v, Style s) {
    List<String> parts = new ArrayList<>();
    parts.add(s.cyan(v.count(TaskState.IN_PROGRESS) + " in progress"));
    String pending = v.count(TaskState.PENDING) + " pending";
    parts.add(v.blocked() > 0 ? pending + " (" + v.blocked() + " blocked)" : pending);
    parts.add(s.green(v.count(TaskState.COMPLETED) + " completed"));
    int failed = v.count(TaskState.FAILED);
    parts.add(failed > 0 ? s.red(failed + " failed") : failed + " failed");
    if (!v.corrupt().isEmpty()) {
      parts.add(s.red(v.corrupt().size() + " corrupt"));
    }
    return String.join(" · ", parts);
  }

  private static void section(List<String> out, Style s, String title, TextTable t, int more) {
    if (t.isEmpty()) {
      return;
    }
    out.add("");
    out.add(s.bold(title));
    out.addAll(t.lines(2, s.width()));
    if (more > 0) {
      out.add(s.dim(String.format("  … and %,d more", more)));
    }
  }

  /** Two lines a task: id and title, then progress, attempt, lease and holder under the title. */
  private static TextTable inProgress(StatusView v, Style s) {
    TextTable t = new TextTable();
    for (TaskRow r : v.inProgress().rows()) {
      Duration left = r.leaseLeft();
      boolean low = r.claimEnded() != null || left != null && left.compareTo(LEASE_WARNING) < 0;
      String lease =
          r.claimEnded() != null
              ? r.claimEnded()
              : left == null ? "" : "lease " + HumanFormat.duration(left);
      t.add(List.of(Cell.of(r.id()), Cell.of(r.title())));
      t.add(
          List.of(
              Cell.of(""),
              progressCell(r, s),
              Cell.of("attempt " + r.attempt() + "/" + r.maxAttempts()),
              new Cell(lease, low ? s::red : x -> x),
              new Cell(r.holder() == null ? "" : r.holder(), s::dim)));
      String limit = v.limits().get(r.id());
      if (limit != null) {
        t.add(List.of(Cell.of(""), new Cell("LIMIT: " + limit, s::yellow)));
      }
    }
    return t;
  }

  private static Cell progressCell(TaskRow r, Style s) {
    if (r.progress() == null) {
      return new Cell("no checkpoint yet", s::dim);
    }
    String text =
        HumanFormat.bar(r.progress(), BAR_CELLS)
            + " "
            + String.format("%3d%%", r.progress().percent())
            + " "
            + r.progress();
    return new Cell(text, s::cyan);
  }

  private static TextTable pending(StatusView v) {
    TextTable t = new TextTable();
    for (TaskRow r : v.claimable().rows()) {
      t.add(
          List.of(
              Cell.of(r.id()),
              Cell.of(r.priority() == 0 ? "" : "priority " + r.priority()),
              Cell.of(r.lane() == null ? "" : "lane " + r.lane()),
              Cell.of(
                  r.attempt() > 0 ? "attempts used " + r.attempt() + "/" + r.maxAttempts() : ""),
              Cell.of(r.title())));
    }
    return t;
  }

  private static TextTable blocked(StatusView v, Style s) {
    TextTable t = new TextTable();
    for (TaskRow r : v.waiting().rows()) {
      t.add(
          List.of(
              Cell.of(r.id()),
              r.stuck() != null
                  ? new Cell("STUCK: " + r.stuck(), s::red)
                  : new Cell("waits for " + String.join(", ", r.blockedBy()), s::yellow),
              Cell.of(r.title())));
    }
    return t;
  }

  private static TextTable failed(StatusView v, Style s) {
    TextTable t = new TextTable();
    for (TaskRow r : v.failed().rows()) {
      String why = v.failReasons().get(r.id());
      t.add(
          List.of(
              new Cell(r.id(), s::red),
              Cell.of("attempt " + r.attempt() + "/" + r.maxAttempts()),
              Cell.of(why == null ? r.title() : r.title() + " — " + why)));
    }
    return t;
  }

  private static TextTable corrupt(StatusView v, Style s) {
    TextTable t = new TextTable();
    for (Unreadable c : v.corrupt()) {
      t.add(List.of(new Cell(c.where(), s::red), Cell.of(c.reason())));
    }
    return t;
  }

  private static TextTable completed(StatusView v, Style s) {
    TextTable t = new TextTable();
    for (TaskRow r : v.completed().rows()) {
      t.add(List.of(new Cell(r.id(), s::green), Cell.of(r.title())));
    }
    return t;
  }
}

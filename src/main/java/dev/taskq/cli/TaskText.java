package dev.taskq.cli;

import dev.taskq.cli.TextTable.Cell;
import dev.taskq.core.Checkpoint;
import dev.taskq.core.Task;
import dev.taskq.core.TaskDetail;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code taskq show}: one task in full, for a person. */
final class TaskText {
  private TaskText() {}

  static String render(TaskDetail d, Path queueDir, Instant now, Style s) {
    Task t = d.task();
    List<String> out = new ArrayList<>();
    out.add(s.bold(t.id()) + "  " + t.title());
    TextTable facts = new TextTable();
    facts.add(List.of(Cell.of("state"), Cell.of(state(t, d.claimEnded(), now))));
    if (t.lane() != null) {
      facts.add(List.of(Cell.of("lane"), Cell.of(t.lane())));
    }
    facts.add(List.of(Cell.of("priority"), Cell.of(String.valueOf(t.priority()))));
    if (!t.after().isEmpty()) {
      String waits =
          d.stuck() != null
              ? " (STUCK: " + d.stuck() + ")"
              : d.blockedBy().isEmpty()
                  ? ""
                  : " (still waiting for " + String.join(", ", d.blockedBy()) + ")";
      facts.add(List.of(Cell.of("after"), Cell.of(String.join(", ", t.after()) + waits)));
    }
    if (t.progress() != null) {
      facts.add(
          List.of(
              Cell.of("progress"),
              Cell.of(HumanFormat.bar(t.progress(), StatusText.BAR_CELLS) + " " + t.progress())));
    }
    facts.add(List.of(Cell.of("criterion"), Cell.of(t.criterion())));
    facts.add(List.of(Cell.of("created"), Cell.of(String.valueOf(t.created()))));
    if (t.finished() != null) {
      facts.add(List.of(Cell.of("finished"), Cell.of(t.finished().toString())));
    }
    if (t.reason() != null) {
      facts.add(List.of(Cell.of("reason"), new Cell(t.reason(), s::red)));
    }
    if (queueDir != null) {
      facts.add(
          List.of(
              Cell.of("file"),
              Cell.of(queueDir.resolve(t.state().folder()).resolve(t.id() + ".md").toString())));
    }
    out.addAll(facts.lines(2, Integer.MAX_VALUE / 2));
    block(out, s, "Instructions", t.instructions());
    if (!d.checkpoints().isEmpty()) {
      out.add("");
      out.add(s.bold("Checkpoints"));
      TextTable cps = new TextTable();
      for (Checkpoint c : d.checkpoints()) {
        cps.add(
            List.of(
                Cell.of("#" + c.n()),
                Cell.of(String.valueOf(c.at())),
                Cell.of("attempt " + c.attempt()),
                Cell.of(c.progress() == null ? "" : c.progress().toString()),
                Cell.of(firstLine(c.summary()))));
      }
      out.addAll(cps.lines(2, s.width()));
      Checkpoint latest = d.checkpoints().get(d.checkpoints().size() - 1);
      block(out, s, "Latest findings", latest.findings());
      block(out, s, "Next", latest.next());
    }
    block(out, s, "Result", t.result());
    return String.join("\n", out) + "\n";
  }

  private static String state(Task t, String claimEnded, Instant now) {
    String base = t.state().folder();
    if (t.isClaimed()) {
      return base
          + ", attempt "
          + t.attempt()
          + "/"
          + t.maxAttempts()
          + ", held by "
          + t.lease().holder().label()
          + (claimEnded != null
              ? ", " + claimEnded + " (the next claim takes it back)"
              : ", lease " + HumanFormat.duration(t.leaseLeft(now)) + " left");
    }
    return base + ", attempts used " + t.attempt() + "/" + t.maxAttempts();
  }

  private static void block(List<String> out, Style s, String title, String text) {
    if (text == null || text.isBlank()) {
      return;
    }
    out.add("");
    out.add(s.bold(title));
    text.strip().lines().forEach(l -> out.add("  " + l));
  }

  private static String firstLine(String text) {
    return text == null ? "" : text.strip().lines().findFirst().orElse("");
  }
}

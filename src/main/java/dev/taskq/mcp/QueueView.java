package dev.taskq.mcp;

import dev.taskq.core.QueuePage;
import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskState;
import dev.taskq.core.Unreadable;
import java.time.Duration;
import java.util.List;

/** The queue at a glance as Markdown, for people and models; bounded to one page of rows. */
final class QueueView {
  static final int ROWS = 100;

  private QueueView() {}

  static String render(QueuePage page, List<String> warnings, String queue) {
    StringBuilder sb = new StringBuilder(256 + page.rows().size() * 120);
    sb.append("# taskq queue ").append(queue).append('\n');
    for (String w : warnings) {
      sb.append("WARNING: ").append(w).append('\n');
    }
    sb.append(TaskState.PENDING).append(' ').append(page.count(TaskState.PENDING));
    if (page.blocked() > 0) {
      sb.append(" (").append(page.blocked()).append(" blocked)");
    }
    for (TaskState s :
        new TaskState[] {TaskState.IN_PROGRESS, TaskState.COMPLETED, TaskState.FAILED}) {
      sb.append(" · ").append(s).append(' ').append(page.count(s));
    }
    sb.append('\n');
    if (!page.rows().isEmpty()) {
      sb.append("\n| id | state | lane | pri | holder | attempt | progress | lease left |");
      sb.append(" blocked by | title |\n|---|---|---|---|---|---|---|---|---|---|\n");
      page.rows().forEach(r -> row(sb, r));
    }
    int more = page.remainingAfterPage();
    if (more > 0) {
      sb.append(
          String.format(
              "%nand %,d more not shown (in-progress and claimable tasks come" + " first).%n",
              more));
    }
    if (!page.unreadable().isEmpty()) {
      sb.append("\nUnreadable task files (never claimed; fix or remove them by hand):\n");
      for (Unreadable c : page.unreadable()) {
        sb.append("- ").append(c.where()).append(": ").append(c.reason()).append('\n');
      }
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, TaskRow r) {
    sb.append("| ").append(r.id());
    cell(sb, r.state().toString());
    cell(sb, r.lane());
    cell(sb, Integer.toString(r.priority()));
    cell(sb, r.holder());
    cell(sb, r.attempt() + "/" + r.maxAttempts());
    cell(sb, r.progress() == null ? null : r.progress().toString());
    cell(
        sb,
        r.claimEnded() != null
            ? r.claimEnded()
            : r.leaseLeft() == null ? null : duration(r.leaseLeft()));
    cell(
        sb,
        r.stuck() != null
            ? "STUCK: " + r.stuck()
            : r.blockedBy().isEmpty() ? null : String.join(", ", r.blockedBy()));
    cell(sb, r.problem() != null ? "UNREADABLE: " + r.problem() : Text.firstLine(r.title(), 60));
    sb.append(" |\n");
  }

  private static void cell(StringBuilder sb, String value) {
    sb.append(" | ").append(value == null || value.isEmpty() ? "-" : value.replace('|', '/'));
  }

  static String duration(Duration d) {
    long s = d.toSeconds();
    if (s >= 3600) {
      return s / 3600 + "h" + (s % 3600) / 60 + "m";
    }
    return s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
  }
}

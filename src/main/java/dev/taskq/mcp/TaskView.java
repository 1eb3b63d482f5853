package dev.taskq.mcp;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.Task;
import dev.taskq.core.TaskDetail;
import java.time.Instant;
import java.util.List;

/**
 * One task as Markdown: what it is, its checkpoints in brief, its result. The claim token is left
 * out: every session can read this, and only the holder may act on the task.
 */
final class TaskView {
  static final int CHECKPOINTS = 20;

  private TaskView() {}

  static String render(TaskDetail d, Instant now) {
    Task t = d.task();
    StringBuilder sb = new StringBuilder(512 + t.instructions().length());
    sb.append("# ").append(t.id()).append(" — ").append(t.title()).append('\n');
    sb.append("state: ").append(t.state());
    if (t.lane() != null) {
      sb.append(" · lane: ").append(t.lane());
    }
    sb.append(" · priority: ").append(t.priority());
    sb.append(" · attempt: ").append(t.attempt()).append('/').append(t.maxAttempts()).append('\n');
    if (t.isClaimed()) {
      sb.append("holder: ").append(t.lease().holder().label());
      if (d.claimEnded() != null) {
        sb.append(" · ").append(d.claimEnded()).append(" (the next claim takes the task back)\n");
      } else {
        sb.append(" · lease left: ").append(QueueView.duration(t.leaseLeft(now))).append('\n');
      }
    }
    if (!t.after().isEmpty()) {
      sb.append("after: ").append(String.join(", ", t.after()));
      if (d.stuck() != null) {
        sb.append(" (stuck: ").append(d.stuck()).append(')');
      } else if (!d.blockedBy().isEmpty()) {
        sb.append(" (still waiting for ").append(String.join(", ", d.blockedBy())).append(')');
      }
      sb.append('\n');
    }
    sb.append("created: ").append(ClaimPacket.instant(t.created())).append('\n');
    sb.append("\n## Success criterion\n").append(t.criterion()).append('\n');
    if (Text.has(t.instructions())) {
      sb.append("\n## Instructions\n").append(t.instructions().strip()).append('\n');
    }
    checkpoints(sb, d.checkpoints());
    if (t.outcome() != null || Text.has(t.result())) {
      sb.append("\n## Result");
      if (t.outcome() != null) {
        sb.append(" (").append(t.outcome().wire()).append(", ");
        sb.append(ClaimPacket.instant(t.finished())).append(')');
      }
      sb.append('\n');
      if (Text.has(t.reason())) {
        sb.append("reason: ").append(t.reason()).append('\n');
      }
      sb.append(Text.or(t.result(), "(no result text)")).append('\n');
    }
    return sb.toString();
  }

  private static void checkpoints(StringBuilder sb, List<Checkpoint> all) {
    if (all.isEmpty()) {
      return;
    }
    sb.append("\n## Checkpoints (").append(all.size()).append(")\n");
    int from = Math.max(0, all.size() - CHECKPOINTS);
    if (from > 0) {
      sb.append("(").append(from).append(" earlier not shown)\n");
    }
    for (Checkpoint c : all.subList(from, all.size())) {
      sb.append("- #").append(c.n()).append(' ').append(ClaimPacket.instant(c.at()));
      sb.append(" attempt ").append(c.attempt());
      if (c.progress() != null) {
        sb.append(' ').append(c.progress());
      }
      sb.append(" — ").append(Text.firstLine(c.summary(), 120)).append('\n');
    }
    Checkpoint latest = all.get(all.size() - 1);
    if (Text.has(latest.next())) {
      sb.append("Next (from checkpoint ").append(latest.n()).append("): ");
      sb.append(latest.next().strip()).append('\n');
    }
  }
}

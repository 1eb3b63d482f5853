package dev.taskq.mcp;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.EnqueueResult;
import dev.taskq.core.Outcome;
import dev.taskq.core.Task;
import java.util.List;

/** Short answers to the mutating tools, each ending with the next step. */
final class Replies {
  private Replies() {}

  static String enqueued(List<EnqueueResult> results, String queue) {
    long created = results.stream().filter(EnqueueResult::created).count();
    StringBuilder sb = new StringBuilder(64 + results.size() * 64);
    sb.append("Enqueued ").append(created).append(created == 1 ? " task" : " tasks");
    if (created < results.size()) {
      sb.append("; ").append(results.size() - created);
      sb.append(" already existed with the same dedupe_key and were not added again");
    }
    sb.append(":\n");
    for (EnqueueResult r : results) {
      Task t = r.task();
      sb.append("- ").append(t.id()).append(" — ").append(t.title());
      if (t.lane() != null) {
        sb.append(" [lane ").append(t.lane()).append(']');
      }
      if (!t.after().isEmpty()) {
        sb.append(" [after ").append(String.join(", ", t.after())).append(']');
      }
      if (!r.created()) {
        sb.append(" (existing, ").append(t.state()).append(')');
      }
      sb.append('\n');
    }
    sb.append("Queue: ").append(queue).append('\n');
    sb.append(
        "Next step: sessions pick these up with claim_next (or the /mcp__taskq__work prompt);");
    sb.append(" read taskq://queue to follow progress.");
    return sb.toString();
  }

  static String checkpointed(Checkpoint c) {
    StringBuilder sb = new StringBuilder(200);
    sb.append("Checkpoint ").append(c.n()).append(" saved for ").append(c.taskId());
    if (c.progress() != null) {
      sb.append(" (").append(c.progress()).append(')');
    }
    sb.append("; lease renewed.\nNext step: keep working; checkpoint again in about 10 minutes");
    sb.append(" or 20 files, and call complete_task when the criterion is met.");
    return sb.toString();
  }

  static String completed(Task t, Outcome outcome) {
    return switch (outcome) {
      case DONE ->
          "Completed "
              + t.id()
              + " as done; the result is saved with the task.\nNext step: call claim_next for more"
              + " work.";
      case FAILED ->
          "Marked "
              + t.id()
              + " as failed; the result explains why.\nNext step: call claim_next for more work.";
      case RELEASED ->
          "Released "
              + t.id()
              + " back to pending; no attempt was used up and its checkpoints are kept for the"
              + " next holder.\nNext step: call claim_next, or stop if you are done working.";
      case CANCELLED -> throw new IllegalArgumentException("a holder cannot cancel");
    };
  }
}

package dev.taskq.mcp;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.Claim;
import dev.taskq.core.IdleReason;
import dev.taskq.core.ResumePacket;
import dev.taskq.core.Task;
import dev.taskq.core.Upstream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The self-contained text a worker gets from claim_next: everything needed to do the task. */
final class ClaimPacket {
  private ClaimPacket() {}

  /** The packet for a claim from the queue people know as {@code queue} (e.g. ~/src/shop/tasks). */
  static String render(Claim claim, String queue) {
    Task t = claim.task();
    StringBuilder sb = new StringBuilder(512 + t.instructions().length());
    sb.append("Claimed task ").append(t.id()).append(" (attempt ").append(claim.attempt());
    sb.append(" of ").append(t.maxAttempts()).append(").\n");
    sb.append("id: ").append(t.id()).append('\n');
    sb.append("token: ").append(claim.token()).append('\n');
    sb.append("lease_until: ").append(instant(claim.leaseUntil()));
    sb.append(" (write_checkpoint and append_log with the token renew it)\n");
    sb.append("title: ").append(t.title()).append('\n');
    if (t.lane() != null) {
      sb.append("lane: ").append(t.lane()).append('\n');
    }
    sb.append("queue: ").append(queue).append('\n');
    sb.append("\n## Success criterion\n").append(t.criterion()).append('\n');
    if (Text.has(t.instructions())) {
      sb.append("\n## Instructions\n").append(t.instructions().strip()).append('\n');
    }
    if (!claim.upstream().isEmpty()) {
      appendUpstream(sb, claim.upstream());
    }
    ResumePacket resume = claim.resume();
    if (resume != null && !resume.isEmpty()) {
      appendResume(sb, resume);
    }
    sb.append("\nNext step: do the work");
    if (resume != null && resume.latest() != null) {
      sb.append(", resuming from the checkpoint above");
    }
    sb.append(". Call write_checkpoint {id:\"").append(t.id()).append("\", token:\"");
    sb.append(claim.token()).append("\", summary, progress:{done,total}, findings, next} about ");
    sb.append("every 10 minutes or 20 files. When finished, judge the result against the ");
    sb.append("criterion and call complete_task {id:\"").append(t.id()).append("\", token:\"");
    sb.append(claim.token()).append("\", outcome:\"done\"|\"failed\"|\"released\", result}. ");
    sb.append("If a call answers FENCED, stop this task and call claim_next.");
    return sb.toString();
  }

  /** Fan-in: the results of the tasks this one waited for (first lines; the rest where named). */
  private static void appendUpstream(StringBuilder sb, List<Upstream> upstream) {
    sb.append("\n## Results of the tasks this one waited for\n");
    for (Upstream u : upstream) {
      sb.append("### ").append(u.id()).append(" — ").append(u.title()).append(" (");
      sb.append(u.outcome() == null ? "not finished" : u.outcome().wire()).append(")\n");
      sb.append("Full result: ");
      sb.append(u.where() != null ? u.where() : "taskq://tasks/" + u.id()).append('\n');
      if (u.excerpt().isEmpty()) {
        sb.append("(no result text)\n");
      } else {
        sb.append(u.excerpt()).append('\n');
        if (u.cut()) {
          sb.append("(first lines only; read the full result above)\n");
        }
      }
    }
  }

  private static void appendResume(StringBuilder sb, ResumePacket resume) {
    sb.append("\n## Resume: an earlier attempt stopped before finishing\n");
    Checkpoint c = resume.latest();
    if (c != null) {
      sb.append("Latest checkpoint #").append(c.n()).append(" (attempt ").append(c.attempt());
      sb.append(", ").append(instant(c.at()));
      if (c.progress() != null) {
        sb.append(", progress ").append(c.progress());
      }
      sb.append("):\n").append(Text.or(c.summary(), "(no summary)")).append('\n');
      if (Text.has(c.findings())) {
        sb.append("Findings so far:\n").append(c.findings().strip()).append('\n');
      }
      if (Text.has(c.next())) {
        sb.append("Next (from that attempt):\n").append(c.next().strip()).append('\n');
      }
    }
    if (!resume.recentLog().isEmpty()) {
      sb.append("Recent log lines:\n");
      resume.recentLog().forEach(line -> sb.append(line).append('\n'));
    }
  }

  /** The answer when nothing can be claimed, with what to do about it. */
  static String idle(IdleReason reason, String queue) {
    String next =
        reason.worthWaiting()
            ? "other work is in progress or waiting on it; wait a few minutes (or do other work)"
                + " and call claim_next again."
            : reason.stuckCount() > 0
                ? "do not wait: the stuck tasks above need a person (requeue or cancel), not a"
                    + " worker; stop the worker loop and tell the user what is stuck."
                : "there is no work for you in this queue; stop the worker loop and report.";
    return "Nothing to claim: " + reason.describe() + ".\nQueue: " + queue + "\nNext step: " + next;
  }

  static String instant(Instant i) {
    return i == null ? "-" : i.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}

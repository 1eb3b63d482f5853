package dev.taskq.store;

import dev.taskq.core.Holder;
import dev.taskq.core.Outcome;
import dev.taskq.core.Progress;
import dev.taskq.core.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The log lines of the queue's events, one function per event: every store writes these exact lines
 * with the change they describe (in the same lock section or transaction), so the log reads the
 * same whichever store keeps it.
 */
public final class Events {
  private Events() {}

  public static String enqueued(Task t, Instant now) {
    return LogLine.of(now, "ENQUEUED", t.id(), "— " + t.title());
  }

  /**
   * A claim took {@code after}. When it took the task from a claim that had ended ({@code endedWhy}
   * not null), the EXPIRED line of that claim comes first.
   */
  public static List<String> claimed(Task before, Task after, String endedWhy, Instant now) {
    List<String> lines = new ArrayList<>(2);
    if (endedWhy != null) {
      lines.add(expired(before, endedWhy, now));
    }
    lines.add(
        LogLine.of(
            now,
            "CLAIMED",
            after.id(),
            "attempt "
                + after.attempt()
                + "/"
                + after.maxAttempts()
                + " by "
                + after.lease().holder().label()));
    return lines;
  }

  /** A claim that ended on the last attempt: the task fails. */
  public static List<String> exhausted(Task before, Task failed, String why, Instant now) {
    return List.of(
        expired(before, why, now),
        LogLine.of(
            now, "FAILED", failed.id(), "— " + failed.title() + " (" + failed.reason() + ")"));
  }

  private static String expired(Task before, String why, Instant now) {
    return LogLine.of(
        now,
        "EXPIRED",
        before.id(),
        "attempt " + before.attempt() + "/" + before.maxAttempts() + " (" + why + ")");
  }

  public static String checkpoint(
      String id, int n, Progress progress, String summary, Instant now) {
    String p = progress == null ? "" : " " + progress;
    return LogLine.of(now, "CHECKPOINT", id, "#" + n + p + " — " + LogLine.firstLine(summary));
  }

  /** The holder ended its claim. */
  public static String finished(Task held, Outcome outcome, String result, Instant now) {
    return switch (outcome) {
      case DONE -> LogLine.of(now, "DONE", held.id(), "— " + held.title());
      case FAILED ->
          LogLine.of(
              now,
              "FAILED",
              held.id(),
              "— " + held.title() + " (" + LogLine.firstLine(result) + ")");
      case RELEASED ->
          LogLine.of(now, "RELEASED", held.id(), "by " + held.lease().holder().label());
      case CANCELLED -> throw new IllegalArgumentException("a holder cannot cancel");
    };
  }

  /** A person cancelled the task; a holder, if there was one, is fenced from now on. */
  public static String cancelled(Task before, String by, String reason, Instant now) {
    String fenced = before.isClaimed() ? "; " + before.lease().holder().label() + " is fenced" : "";
    String why = reason == null || reason.isBlank() ? "" : ": " + reason;
    return LogLine.of(
        now, "CANCELLED", before.id(), "— " + before.title() + " (by " + by + why + ")" + fenced);
  }

  public static String priority(Task before, int to, String by, Instant now) {
    return LogLine.of(now, "PRIORITY", before.id(), before.priority() + " → " + to + " by " + by);
  }

  /** The last holder finished after its task had failed for want of attempts. */
  public static String lateDone(Task failed, Instant now) {
    return LogLine.of(
        now,
        "DONE",
        failed.id(),
        "— "
            + failed.title()
            + " (late: by "
            + failed.lease().holder().label()
            + " after its"
            + " last lease ran out, result kept)");
  }

  /** A resumed session's new process took over its claim (same token and attempt). */
  public static String resumed(Task before, Task after, Instant now) {
    return LogLine.of(
        now,
        "RESUMED",
        after.id(),
        "attempt "
            + after.attempt()
            + "/"
            + after.maxAttempts()
            + " by "
            + after.lease().holder().label()
            + " (its session resumed; was "
            + before.lease().holder().label()
            + ")");
  }

  /** The holder's session hit a usage limit: why its claim may go quiet for a while. */
  public static String usageLimit(String id, String holder, String detail, Instant now) {
    String d = detail == null || detail.isBlank() ? "" : " (" + LogLine.firstLine(detail) + ")";
    return LogLine.of(now, "LIMIT", id, holder + " hit a usage limit while holding " + id + d);
  }

  public static String note(String id, String message, Instant now) {
    return LogLine.of(now, "LOG", id, message);
  }

  public static String releasedOnShutdown(String id, Holder holder, Instant now) {
    return LogLine.of(now, "RELEASED", id, "by " + holder.label() + " (shutting down)");
  }

  public static String releasedByPerson(Task held, Instant now) {
    return LogLine.of(
        now, "RELEASED", held.id(), "by a person; " + held.lease().holder().label() + " is fenced");
  }

  public static String requeued(Task before, Instant now) {
    return LogLine.of(
        now, "REQUEUED", before.id(), "from " + before.state().wire() + " by a person");
  }
}

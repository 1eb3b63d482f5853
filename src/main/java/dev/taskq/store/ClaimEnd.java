package dev.taskq.store;

import dev.taskq.core.Task;
import dev.taskq.core.TaskState;
import java.time.Instant;

/**
 * When a claim is over although its task is still in progress: its lease passed without renewal, or
 * its holder's process is known to be gone. Such a claim is only a view until a claim takes the
 * task (reads never end it): its token keeps working meanwhile, and status views show it as ended.
 */
public final class ClaimEnd {
  public static final String LEASE_RAN_OUT = "lease ran out";
  public static final String HOLDER_GONE = "holder process gone";

  private ClaimEnd() {}

  /**
   * Why {@code t}'s claim is over at {@code now}, or null while it is live (or {@code t} is not in
   * progress).
   *
   * @param holderAlive false only when the store knows the holder's process is gone
   */
  public static String why(Task t, Instant now, boolean holderAlive) {
    if (t.state() != TaskState.IN_PROGRESS) {
      return null;
    }
    if (t.lease() == null || t.lease().expiredAt(now)) {
      return LEASE_RAN_OUT;
    }
    return holderAlive ? null : HOLDER_GONE;
  }

  /** How a view shows an ended claim: "lease expired" or "holder process gone". */
  public static String view(String why) {
    return LEASE_RAN_OUT.equals(why) ? "lease expired" : why;
  }
}

package dev.taskq.store;

import dev.taskq.core.Task;
import dev.taskq.core.TaskRow;
import java.time.Instant;
import java.util.function.Function;

/**
 * A task as a listing shows it, the same on every store: its holder, lease left, what it waits for,
 * whether it is stuck, and why its claim ended (views end nothing: an ended claim is only shown).
 */
public final class Rows {
  private Rows() {}

  /**
   * The row of {@code t} at {@code now}; {@code holderAlive} is whether its holder's process still
   * runs, {@code lookup} finds the tasks it waits for (null when there is none).
   */
  public static TaskRow of(
      Task t, Instant now, boolean holderAlive, Function<String, Task> lookup) {
    String ended = ClaimEnd.why(t, now, holderAlive);
    return new TaskRow(
        t.id(),
        t.state(),
        t.title(),
        t.lane(),
        t.priority(),
        t.isClaimed() ? t.lease().holder().label() : null,
        t.attempt(),
        t.maxAttempts(),
        t.progress(),
        t.isClaimed() ? t.leaseLeft(now) : null,
        Blockers.waitingFor(t, lookup),
        Blockers.stuck(t, lookup),
        ended == null ? null : ClaimEnd.view(ended),
        null);
  }
}

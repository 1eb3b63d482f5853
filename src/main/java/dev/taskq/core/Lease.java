package dev.taskq.core;

import java.time.Duration;
import java.time.Instant;

/**
 * A live claim on a task: who holds it, the fencing token, until when, and when its holder last
 * showed progress.
 *
 * <p>Liveness and progress are kept apart (as pg-boss does): any sign of life (a heartbeat, a log
 * line) moves {@code until}, but never past {@code progressAt} plus the progress deadline, and only
 * the claim itself and checkpoints move {@code progressAt}. So a session that keeps working keeps
 * its claim with a short lease, and one that works without ever saving progress still loses it.
 *
 * @param progressAt when the claim was taken or its latest checkpoint written; null for a claim
 *     recorded before taskq tracked it (its deadline then counts from its next renewal)
 */
public record Lease(Holder holder, String token, Instant until, Instant progressAt) {

  public Lease(Holder holder, String token, Instant until) {
    this(holder, token, until, null);
  }

  /**
   * A new claim at {@code now}: progress counts from now. (The progress deadline is never shorter
   * than the lease, see {@code StoreConfig}, so it caps nothing here.)
   */
  public static Lease taken(Holder holder, String token, Instant now, Duration leaseFor) {
    return new Lease(holder, token, now.plus(leaseFor), now);
  }

  public boolean expiredAt(Instant now) {
    return !now.isBefore(until);
  }

  public Lease renewedUntil(Instant newUntil) {
    return new Lease(holder, token, newUntil, progressAt);
  }

  /** A checkpoint at {@code now}: progress, so both the lease and the progress deadline restart. */
  public Lease progressed(Instant now, Duration leaseFor) {
    return new Lease(holder, token, now.plus(leaseFor), now);
  }

  /**
   * A sign of life at {@code now} without progress (a heartbeat, a log line): the lease runs from
   * now again, but never past the progress deadline. It may stay where it is, never move back.
   */
  public Lease kept(Instant now, Duration leaseFor, Duration progressDeadline) {
    Instant since = progressAt == null ? now : progressAt;
    Instant next = capped(now.plus(leaseFor), since, progressDeadline);
    return new Lease(holder, token, next.isAfter(until) ? next : until, since);
  }

  /** The same claim, its token unchanged, held by {@code by} from now on (a resumed session). */
  public Lease heldBy(Holder by) {
    return new Lease(by, token, until, progressAt);
  }

  /** When the claim ends whatever the heartbeats, or null when unknown (an old record). */
  public Instant progressDue(Duration progressDeadline) {
    return progressAt == null ? null : progressAt.plus(progressDeadline);
  }

  private static Instant capped(Instant until, Instant since, Duration progressDeadline) {
    Instant due = since.plus(progressDeadline);
    return until.isAfter(due) ? due : until;
  }
}

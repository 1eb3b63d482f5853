package dev.taskq.workers;

import java.time.Instant;

/**
 * How one worker run ended, told apart so the pool reacts to each the right way.
 *
 * @param resetAt for a usage limit, when it resets if the stream said so; else null
 * @param detail what a person reads after "worker-2 exited: "
 */
public record RunEnd(Kind kind, int exitCode, Instant resetAt, String detail) {

  public enum Kind {
    /** The run ended by itself (nothing left to claim, max tasks reached, max turns). */
    FINISHED(false),
    /** A usage or rate limit: the pool pauses until the reset; not the task's fault. */
    USAGE_LIMIT(false),
    /** The API is overloaded: the pool backs off and tries again. */
    OVERLOADED(false),
    /** The login is missing or refused: the pool stops, a person must log in. */
    AUTH(false),
    /** The account cannot pay: the pool stops, a person must act. */
    BILLING(false),
    /** The run spent the budget it was given. */
    BUDGET(false),
    /** The run ended without claiming anything although work was claimable (tools missing?). */
    NO_PROGRESS(true),
    /** Another API error, a crash, or an exit without a result: restart with backoff. */
    CRASHED(true),
    /** The supervisor stopped it (taskq workers stop, or the pool paused). */
    STOPPED(false);

    private final boolean countsAsFailure;

    Kind(boolean countsAsFailure) {
      this.countsAsFailure = countsAsFailure;
    }

    /** True for ends that count toward giving a worker up. */
    public boolean countsAsFailure() {
      return countsAsFailure;
    }
  }
}

package dev.taskq.core;

import java.time.Instant;

/**
 * How a task ended: completed, or failed and why. Present only on finished tasks (a hand-written
 * file may hold parts of one anywhere; they are kept as read).
 *
 * @param outcome DONE for completed, FAILED for failed
 * @param at when it ended
 * @param reason why it failed: its holder's word, or "max attempts reached (...)"; else null
 */
public record Ending(Outcome outcome, Instant at, String reason) {
  /**
   * Null when there is nothing to say, so a task without an ending has {@code ending() == null}.
   */
  public static Ending of(Outcome outcome, Instant at, String reason) {
    return outcome == null && at == null && reason == null ? null : new Ending(outcome, at, reason);
  }
}

package dev.taskq.workers;

import java.time.Duration;
import java.time.Instant;

/**
 * How long the pool pauses after a usage limit or an overload: until the reset plus a little jitter
 * when the stream named it (so pools of many people do not all call at the same second), else a
 * backoff that doubles with each pause in a row.
 */
final class PauseRule {
  static final Duration LIMIT_FIRST = Duration.ofMinutes(1);
  static final Duration LIMIT_MAX = Duration.ofMinutes(30);
  static final Duration OVERLOAD_FIRST = Duration.ofSeconds(15);
  static final Duration OVERLOAD_MAX = Duration.ofMinutes(10);

  /** Jitter after a known reset: 3 to 20 seconds. */
  static final int JITTER_MIN = 3;

  static final int JITTER_SPAN = 18;

  private PauseRule() {}

  /**
   * @param streak pauses in a row before this one (0 for the first)
   * @param jitter a number in [0, 1) that picks the jitter
   */
  static Instant until(RunEnd end, int streak, Instant now, double jitter) {
    if (end.resetAt() != null && end.resetAt().isAfter(now)) {
      return end.resetAt().plusSeconds(JITTER_MIN + (long) (jitter * JITTER_SPAN));
    }
    boolean limit = end.kind() == RunEnd.Kind.USAGE_LIMIT;
    Duration first = limit ? LIMIT_FIRST : OVERLOAD_FIRST;
    Duration max = limit ? LIMIT_MAX : OVERLOAD_MAX;
    Duration d = first.multipliedBy(1L << Math.min(streak, 10));
    return now.plus(d.compareTo(max) > 0 ? max : d);
  }
}

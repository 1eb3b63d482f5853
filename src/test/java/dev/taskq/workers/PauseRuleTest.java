package dev.taskq.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How long the pool pauses, and how the pause is announced. */
class PauseRuleTest {
  private static final Instant NOW = Instant.parse("2026-11-24T13:00:00Z");

  private static RunEnd limit(Instant reset) {
    return new RunEnd(RunEnd.Kind.USAGE_LIMIT, 1, reset, "usage limit");
  }

  @Test
  void a_known_reset_is_waited_for_plus_3_to_20_seconds_of_jitter() {
    Instant reset = NOW.plusSeconds(90);

    assertThat(PauseRule.until(limit(reset), 5, NOW, 0.0)).isEqualTo(reset.plusSeconds(3));
    assertThat(PauseRule.until(limit(reset), 0, NOW, 0.999)).isEqualTo(reset.plusSeconds(20));
  }

  @Test
  void an_unknown_reset_backs_off_1_2_4_minutes_up_to_30() {
    assertThat(PauseRule.until(limit(null), 0, NOW, 0.5)).isEqualTo(NOW.plusSeconds(60));
    assertThat(PauseRule.until(limit(null), 1, NOW, 0.5)).isEqualTo(NOW.plusSeconds(120));
    assertThat(PauseRule.until(limit(null), 2, NOW, 0.5)).isEqualTo(NOW.plusSeconds(240));
    assertThat(PauseRule.until(limit(null), 5, NOW, 0.5)).isEqualTo(NOW.plusSeconds(1800));
    assertThat(PauseRule.until(limit(null), 30, NOW, 0.5)).isEqualTo(NOW.plusSeconds(1800));
    assertThat(PauseRule.until(limit(NOW.minusSeconds(5)), 0, NOW, 0.5))
        .as("a reset already past is no reset")
        .isEqualTo(NOW.plusSeconds(60));
  }

  @Test
  void an_overload_backs_off_from_15_seconds_up_to_10_minutes() {
    RunEnd busy = new RunEnd(RunEnd.Kind.OVERLOADED, 1, null, "API overloaded");

    assertThat(PauseRule.until(busy, 0, NOW, 0.5)).isEqualTo(NOW.plusSeconds(15));
    assertThat(PauseRule.until(busy, 3, NOW, 0.5)).isEqualTo(NOW.plusSeconds(120));
    assertThat(PauseRule.until(busy, 9, NOW, 0.5)).isEqualTo(NOW.plusSeconds(600));
  }

  @Test
  void the_pause_line_names_the_time_with_seconds_when_it_is_soon_and_the_day_when_not_today() {
    assertThat(Supervisor.when(NOW.plusSeconds(3900), NOW)).isEqualTo("14:05 UTC");
    assertThat(Supervisor.when(NOW.plusSeconds(75), NOW)).isEqualTo("13:01:15 UTC");
    assertThat(Supervisor.when(NOW.plusSeconds(15 * 3600), NOW)).isEqualTo("Nov 25 04:00 UTC");
  }
}

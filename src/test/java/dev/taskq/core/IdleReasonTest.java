package dev.taskq.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdleReasonTest {

  @Test
  void an_empty_queue_says_so_and_is_not_worth_waiting_for() {
    IdleReason r = new IdleReason(null, 0, 0, Map.of(), 0, 0, 0);

    assertThat(r.describe()).isEqualTo("the queue is empty");
    assertThat(r.worthWaiting()).isFalse();
  }

  @Test
  void every_cause_is_described_with_its_number() {
    Map<String, List<String>> blocked = new LinkedHashMap<>();
    blocked.put("b", List.of("audit-users"));
    blocked.put("c", List.of("audit-users", "audit-db"));

    IdleReason r = new IdleReason(null, 2, 4, blocked, 2, 3, 1);

    assertThat(r.describe())
        .isEqualTo(
            "2 pending wait for audit-users, audit-db; 3 in progress; 4 claimable in other lanes;"
                + " 1 unreadable task(s), see taskq status");
    assertThat(r.worthWaiting()).isTrue();
  }

  @Test
  void a_lane_is_named_first() {
    IdleReason r = new IdleReason("db", 0, 0, Map.of(), 0, 2, 0);

    assertThat(r.describe()).isEqualTo("lane db: 2 in progress");
    assertThat(r.worthWaiting()).isTrue();
  }

  @Test
  void at_most_five_waited_for_tasks_are_named() {
    Map<String, List<String>> blocked = new LinkedHashMap<>();
    for (int i = 0; i < 8; i++) {
      blocked.put("t" + i, List.of("dep-" + i));
    }

    String text = new IdleReason(null, 8, 0, blocked, 8, 0, 0).describe();

    assertThat(text).startsWith("8 pending wait for dep-0, dep-1, dep-2, dep-3, dep-4");
    assertThat(text).doesNotContain("dep-5");
  }

  @Test
  void only_claimable_work_elsewhere_is_not_worth_waiting_for() {
    IdleReason r = new IdleReason("web", 0, 3, Map.of(), 0, 0, 0);

    assertThat(r.describe()).isEqualTo("lane web: 3 claimable in other lanes");
    assertThat(r.worthWaiting()).isFalse();
  }
}

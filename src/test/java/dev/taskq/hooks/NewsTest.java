package dev.taskq.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NewsTest {
  @Test
  void a_done_or_failed_log_line_is_news_and_other_lines_are_not() {
    assertThat(News.finished("2026-12-02T06:00:00.120Z DONE: db-audit — Find every N+1 query"))
        .isEqualTo(new News.Finished("2026-12-02T06:00:00.120Z", true, "db-audit"));
    assertThat(News.finished("2026-12-02T06:00:00.120Z FAILED: api — Tests (max attempts)"))
        .isEqualTo(new News.Finished("2026-12-02T06:00:00.120Z", false, "api"));
    assertThat(News.finished("2026-12-02T06:00:00.120Z CLAIMED: db-audit attempt 1/3 by x"))
        .isNull();
    assertThat(News.finished("2026-12-02T06:00:00.120Z LOG: db-audit DONE: not really")).isNull();
  }

  @Test
  void nothing_finished_means_no_news_file() {
    assertThat(new News().render()).isNull();
  }

  @Test
  void tasks_this_session_enqueued_come_first_then_at_most_five_lines() {
    News n = new News();
    n.enqueued(List.of("mine-1", "mine-2"));
    for (int i = 1; i <= 5; i++) {
      n.add("other-" + i, i != 3, (i != 3 ? "DONE: other-" : "FAILED: other-") + i);
    }
    n.add("mine-2", true, "DONE: mine-2");
    n.add("mine-1", false, "FAILED: mine-1");

    assertThat(n.render())
        .isEqualTo(
            """
            7
            DONE: mine-2
            FAILED: mine-1
            DONE: other-1
            DONE: other-2
            … and 3 more finished since (2 done, 1 failed): read taskq://queue
            """);
  }

  @Test
  void what_a_prompt_showed_is_dropped_and_later_news_stays() {
    News n = new News();
    n.add("a", true, "DONE: a");
    n.add("b", true, "DONE: b");
    String shown = n.render();
    n.add("c", true, "DONE: c");

    assertThat(n.acknowledge(Long.parseLong(shown.lines().findFirst().orElseThrow()))).isTrue();

    assertThat(n.render()).isEqualTo("3\nDONE: c\n");
    assertThat(n.acknowledge(3)).isTrue();
    assertThat(n.render()).isNull();
  }

  @Test
  void a_task_that_finished_twice_is_told_once_as_it_ended_last() {
    News n = new News();
    n.add("a", false, "FAILED: a");
    n.add("a", true, "DONE: a");

    assertThat(n.render()).isEqualTo("2\nDONE: a\n");
  }
}

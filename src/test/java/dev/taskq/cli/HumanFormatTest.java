package dev.taskq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.Progress;
import dev.taskq.project.ShellQuote;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanFormatTest {
  @Test
  void durations_read_at_a_glance() {
    assertThat(HumanFormat.duration(Duration.ZERO)).isEqualTo("expired");
    assertThat(HumanFormat.duration(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(HumanFormat.duration(Duration.ofSeconds(12 * 60 + 4))).isEqualTo("12m04s");
    assertThat(HumanFormat.duration(Duration.ofMinutes(125))).isEqualTo("2h05m");
    assertThat(HumanFormat.duration(Duration.ofHours(76))).isEqualTo("3d04h");
  }

  @Test
  void a_bar_is_full_only_when_the_work_is_done() {
    assertThat(HumanFormat.bar(new Progress(0, 10), 10)).isEqualTo("░".repeat(10));
    assertThat(HumanFormat.bar(new Progress(99, 100), 10)).isEqualTo("█".repeat(9) + "░");
    assertThat(HumanFormat.bar(new Progress(100, 100), 10)).isEqualTo("█".repeat(10));
    assertThat(HumanFormat.bar(new Progress(1, 3), 16)).isEqualTo("█".repeat(5) + "░".repeat(11));
  }

  @Test
  void long_text_is_cut_with_an_ellipsis() {
    assertThat(HumanFormat.truncate("Audit N+1 queries", 9)).isEqualTo("Audit N+…");
    assertThat(HumanFormat.truncate("short", 9)).isEqualTo("short");
    assertThat(HumanFormat.truncate(null, 9)).isEmpty();
  }

  @Test
  void shell_words_are_quoted_only_when_needed() {
    assertThat(ShellQuote.quote("/usr/bin/java")).isEqualTo("/usr/bin/java");
    assertThat(ShellQuote.quote("TASKQ_DIR=${CLAUDE_PROJECT_DIR:-.}/tasks"))
        .isEqualTo("'TASKQ_DIR=${CLAUDE_PROJECT_DIR:-.}/tasks'");
    assertThat(ShellQuote.quote("/home/o'neil/taskq.jar"))
        .isEqualTo("'/home/o'\\''neil/taskq.jar'");
    assertThat(ShellQuote.quote("")).isEqualTo("''");
  }
}

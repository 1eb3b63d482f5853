package dev.taskq.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreConfigTest {
  private static final Path CWD = Path.of("/work/project");
  private static final Clock CLOCK = Clock.systemUTC();

  @Test
  void taskq_dir_wins_and_is_resolved_against_the_working_directory() {
    StoreConfig c =
        StoreConfig.fromEnv(
            Map.of("TASKQ_DIR", "queue", "CLAUDE_PROJECT_DIR", "/elsewhere"), CWD, CLOCK);

    assertThat(c.dir()).isEqualTo(Path.of("/work/project/queue"));
    assertThat(c.lease()).isEqualTo(StoreConfig.DEFAULT_LEASE);
    assertThat(c.lease()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void the_claude_project_dir_gets_a_tasks_folder() {
    assertThat(StoreConfig.queueDir(Map.of("CLAUDE_PROJECT_DIR", "/repo"), CWD))
        .isEqualTo(Path.of("/repo/tasks"));
    assertThat(StoreConfig.queueDir(Map.of("TASKQ_DIR", " "), CWD))
        .isEqualTo(Path.of("/work/project/tasks"));
  }

  @Test
  void without_variables_the_queue_is_tasks_under_the_working_directory() {
    assertThat(StoreConfig.fromEnv(Map.of(), CWD, CLOCK).dir())
        .isEqualTo(Path.of("/work/project/tasks"));
  }

  @Test
  void the_dir_is_made_absolute_and_normal() {
    StoreConfig c = new StoreConfig(Path.of("a/../b"), Duration.ofSeconds(1), CLOCK);

    assertThat(c.dir()).isEqualTo(Path.of("b").toAbsolutePath());
  }

  @Test
  void lease_seconds_come_from_the_environment() {
    StoreConfig c = StoreConfig.fromEnv(Map.of("TASKQ_LEASE_SECONDS", " 90 "), CWD, CLOCK);

    assertThat(c.lease()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void a_bad_lease_is_refused_naming_the_variable() {
    for (String bad : new String[] {"0", "-5", "ten", "1.5"}) {
      TaskqException e =
          catchThrowableOfType(
              TaskqException.class,
              () -> StoreConfig.fromEnv(Map.of("TASKQ_LEASE_SECONDS", bad), CWD, CLOCK));
      assertThat(e).as(bad).isNotNull();
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
      assertThat(e.field()).isEqualTo("TASKQ_LEASE_SECONDS");
    }
  }
}

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
  private static final Path QUEUE = Path.of("/work/project/tasks");
  private static final Clock CLOCK = Clock.systemUTC();

  @Test
  void the_queue_is_the_folder_given_and_the_lease_defaults_to_15_minutes() {
    StoreConfig c = StoreConfig.fromEnv(Path.of("/work/project/tasks"), Map.of(), CLOCK);

    assertThat(c.dir()).isEqualTo(Path.of("/work/project/tasks"));
    assertThat(c.lease()).isEqualTo(StoreConfig.DEFAULT_LEASE);
    assertThat(c.lease()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void the_dir_is_made_absolute_and_normal() {
    StoreConfig c = new StoreConfig(Path.of("a/../b"), Duration.ofSeconds(1), CLOCK);

    assertThat(c.dir()).isEqualTo(Path.of("b").toAbsolutePath());
  }

  @Test
  void lease_seconds_come_from_the_environment() {
    StoreConfig c = StoreConfig.fromEnv(QUEUE, Map.of("TASKQ_LEASE_SECONDS", " 90 "), CLOCK);

    assertThat(c.lease()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void a_bad_lease_is_refused_naming_the_variable() {
    for (String bad : new String[] {"0", "-5", "ten", "1.5"}) {
      TaskqException e =
          catchThrowableOfType(
              TaskqException.class,
              () -> StoreConfig.fromEnv(QUEUE, Map.of("TASKQ_LEASE_SECONDS", bad), CLOCK));
      assertThat(e).as(bad).isNotNull();
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
      assertThat(e.field()).isEqualTo("TASKQ_LEASE_SECONDS");
    }
  }
}

package dev.taskq.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreConfigTest {
  private static final Path QUEUE = Path.of("/work/project/tasks");
  private static final Clock CLOCK = Clock.systemUTC();

  @Test
  void the_queue_is_the_folder_given_the_lease_defaults_to_5_minutes_and_progress_to_45() {
    StoreConfig c = StoreConfig.fromEnv(Path.of("/work/project/tasks"), Map.of(), CLOCK);

    assertThat(c.dir()).isEqualTo(Path.of("/work/project/tasks"));
    assertThat(c.lease()).isEqualTo(StoreConfig.DEFAULT_LEASE);
    assertThat(c.lease()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.progressDeadline()).isEqualTo(Duration.ofMinutes(45));
  }

  @Test
  void the_progress_deadline_comes_from_its_variable_and_follows_a_longer_lease() {
    assertThat(
            StoreConfig.fromEnv(QUEUE, Map.of("TASKQ_PROGRESS_DEADLINE_SECONDS", "1800"), CLOCK)
                .progressDeadline())
        .isEqualTo(Duration.ofMinutes(30));
    assertThat(
            StoreConfig.fromEnv(QUEUE, Map.of("TASKQ_LEASE_SECONDS", "7200"), CLOCK)
                .progressDeadline())
        .isEqualTo(Duration.ofHours(2));
  }

  @Test
  void a_progress_deadline_shorter_than_the_lease_or_not_a_number_is_refused_naming_it() {
    for (Map<String, String> env :
        List.of(
            Map.of("TASKQ_LEASE_SECONDS", "600", "TASKQ_PROGRESS_DEADLINE_SECONDS", "300"),
            Map.of("TASKQ_PROGRESS_DEADLINE_SECONDS", "soon"))) {
      TaskqException e =
          catchThrowableOfType(TaskqException.class, () -> StoreConfig.fromEnv(QUEUE, env, CLOCK));
      assertThat(e.field()).isEqualTo("TASKQ_PROGRESS_DEADLINE_SECONDS");
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
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

  @Test
  void a_database_url_selects_postgresql_with_the_project_folder_as_the_queue_name() {
    StoreConfig c =
        StoreConfig.fromEnv(
            Path.of("/work/My Shop/tasks"),
            Map.of("TASKQ_DATABASE_URL", "postgresql://ann:pw@db/app"),
            CLOCK);

    assertThat(c.usesDatabase()).isTrue();
    assertThat(c.queue()).isEqualTo("my-shop");
    assertThat(c.schema()).isEqualTo("taskq");
    assertThat(c.toString()).doesNotContain("pw@");
  }

  @Test
  void queue_and_schema_come_from_the_environment_then_the_settings_file(
      @org.junit.jupiter.api.io.TempDir Path tasks) throws Exception {
    java.nio.file.Files.writeString(
        tasks.resolve(StoreConfig.SETTINGS_FILE),
        "{\"store\": \"postgresql\", \"queue\": \"shop\", \"schema\": \"jobs\"}");
    Map<String, String> env = Map.of("TASKQ_DATABASE_URL", "postgresql://db/app");

    StoreConfig fromFile = StoreConfig.fromEnv(tasks, env, CLOCK);
    StoreConfig fromEnv =
        StoreConfig.fromEnv(
            tasks,
            Map.of("TASKQ_DATABASE_URL", "postgresql://db/app", "TASKQ_QUEUE", "other"),
            CLOCK);

    assertThat(fromFile.queue()).isEqualTo("shop");
    assertThat(fromFile.schema()).isEqualTo("jobs");
    assertThat(fromEnv.queue()).isEqualTo("other");
  }

  @Test
  void a_project_set_up_for_postgresql_without_the_variable_is_an_error_never_a_file_queue(
      @org.junit.jupiter.api.io.TempDir Path tasks) throws Exception {
    java.nio.file.Files.writeString(
        tasks.resolve(StoreConfig.SETTINGS_FILE), "{\"store\": \"postgresql\"}");

    TaskqException e =
        catchThrowableOfType(
            TaskqException.class, () -> StoreConfig.fromEnv(tasks, Map.of(), CLOCK));

    assertThat(e.code()).isEqualTo(ErrorCode.STORE_ERROR);
    assertThat(e.getMessage()).contains("TASKQ_DATABASE_URL is not set").doesNotContain("\n");
    assertThat(e.hint(dev.taskq.core.Audience.PERSON)).contains("TASKQ_DATABASE_URL=postgresql://");
  }

  @Test
  void without_the_variable_or_settings_the_queue_stays_in_files() {
    assertThat(StoreConfig.fromEnv(QUEUE, Map.of(), CLOCK).usesDatabase()).isFalse();
  }

  @Test
  void a_bad_queue_name_is_refused_naming_queue() {
    TaskqException e =
        catchThrowableOfType(
            TaskqException.class,
            () ->
                StoreConfig.fromEnv(
                    QUEUE,
                    Map.of("TASKQ_DATABASE_URL", "postgresql://db/app", "TASKQ_QUEUE", "a b;--"),
                    CLOCK));

    assertThat(e.field()).isEqualTo("queue");
  }
}

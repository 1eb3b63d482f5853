package dev.taskq.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.NewTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eight JVMs drain one PostgreSQL queue: every task is completed exactly once, one DONE each. */
class PostgresManyProcessesIT {
  private static final int WORKERS = 8;
  private static final int TASKS = 2_000;

  @TempDir Path root;
  private final List<PgWorkerProcess> workers = new ArrayList<>();

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (PgWorkerProcess w : workers) {
      w.kill();
    }
  }

  @Test
  void eight_processes_drain_2000_tasks_each_completed_exactly_once() throws Exception {
    PostgresQueues queues = PostgresQueues.onSharedServer();
    String queue = queues.fresh();
    Set<String> expected = new HashSet<>();
    try (var store = queues.open(queue, Duration.ofMinutes(5))) {
      for (int start = 0; start < TASKS; start += 100) {
        List<NewTask> batch = new ArrayList<>();
        for (int i = start; i < start + 100; i++) {
          String id = "t-" + i;
          batch.add(new NewTask(id, "Task " + i, "done once", null, null, i % 7, null, 3, null));
          expected.add(id);
        }
        store.enqueue(batch);
      }
    }
    Path dir = Files.createDirectories(root.resolve("tasks"));
    Path go = root.resolve("go");
    Map<String, String> env = Map.of("TASKQ_DATABASE_URL", queues.url(), "TASKQ_QUEUE", queue);
    for (int k = 0; k < WORKERS; k++) {
      workers.add(
          PgWorkerProcess.start(
              root.resolve("logs"), "w" + k, env, "drain", dir.toString(), "w" + k, go.toString()));
    }
    for (PgWorkerProcess w : workers) {
      w.awaitLine("READY", Duration.ofSeconds(60));
    }
    long started = System.nanoTime();
    Files.createFile(go);

    List<String> done = new ArrayList<>();
    for (PgWorkerProcess w : workers) {
      assertThat(w.awaitExit(Duration.ofMinutes(4))).as("%s exit: %s", w.name, w.stderr()).isZero();
      assertThat(w.lines()).last().isEqualTo("END");
      assertThat(w.after("ERR")).as("errors of " + w.name).isEmpty();
      done.addAll(w.after("DONE"));
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("8 processes drained %d tasks in %.1f s%n", TASKS, seconds);

    assertThat(done).as("ids completed across all processes").doesNotHaveDuplicates();
    assertThat(new HashSet<>(done)).isEqualTo(expected);
    assertThat(workers)
        .as("every process completed some tasks (they really worked together)")
        .allMatch(w -> !PgWorkerProcess.unchecked(() -> w.after("DONE")).isEmpty());
    try (Connection c = queues.server().admin(queues.database())) {
      assertThat(
              countBy(
                  c,
                  queue,
                  "SELECT state, count(*) FROM taskq.tasks WHERE queue = ?" + " GROUP BY state"))
          .isEqualTo(Map.of("completed", (long) TASKS));
      Map<String, Long> doneLines =
          countBy(
              c,
              queue,
              "SELECT task_id, count(*) FROM taskq.log WHERE queue = ? AND line LIKE '% DONE: %'"
                  + " GROUP BY task_id");
      assertThat(doneLines.keySet()).isEqualTo(expected);
      assertThat(new HashSet<>(doneLines.values())).as("DONE lines per task").containsOnly(1L);
      Map<String, Long> claimLines =
          countBy(
              c,
              queue,
              "SELECT task_id, count(*) FROM taskq.log WHERE queue = ? AND line LIKE '% CLAIMED: %'"
                  + " GROUP BY task_id");
      assertThat(new HashSet<>(claimLines.values())).as("CLAIMED lines per task").containsOnly(1L);
    }
  }

  static Map<String, Long> countBy(Connection c, String queue, String sql) throws Exception {
    Map<String, Long> out = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, queue);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return out;
  }
}

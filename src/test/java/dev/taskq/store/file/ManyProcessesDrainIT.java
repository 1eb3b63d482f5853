package dev.taskq.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.TaskState;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Separate JVMs share one queue folder: every task is done exactly once and none is lost. */
class ManyProcessesDrainIT {
  private static final int WORKERS = 4;
  private static final int TASKS_EACH = 125;

  @TempDir Path root;
  private final List<WorkerProcess> workers = new ArrayList<>();

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (WorkerProcess w : workers) {
      w.kill();
    }
  }

  @Test
  void four_processes_enqueue_and_drain_500_tasks_each_done_exactly_once() throws Exception {
    Path dir = root.resolve("tasks");
    Path go = root.resolve("go");
    Set<String> expected = new HashSet<>();
    for (int k = 0; k < WORKERS; k++) {
      String name = "w" + k;
      workers.add(
          WorkerProcess.start(
              root.resolve("logs"),
              name,
              "drain",
              dir.toString(),
              name,
              "" + TASKS_EACH,
              go.toString()));
      for (int i = 0; i < TASKS_EACH; i++) {
        expected.add(name + "-" + i);
      }
    }
    for (WorkerProcess w : workers) {
      w.awaitLine("READY", Duration.ofSeconds(60));
    }
    Files.createFile(go);

    List<String> done = new ArrayList<>();
    Set<String> enqueued = new HashSet<>();
    for (WorkerProcess w : workers) {
      assertThat(w.awaitExit(Duration.ofSeconds(180)))
          .as("%s exit: %s", w.name, w.stderr())
          .isZero();
      assertThat(w.lines()).last().isEqualTo("END");
      done.addAll(w.ids("DONE"));
      enqueued.addAll(w.ids("ENQ"));
    }

    assertThat(enqueued).isEqualTo(expected);
    assertThat(done).as("ids completed across all processes").doesNotHaveDuplicates();
    assertThat(new HashSet<>(done)).isEqualTo(expected);
    assertThat(workers)
        .as("every process completed some tasks (they really worked together)")
        .allMatch(w -> !uncheckedIds(w).isEmpty());
    QueueAudit audit = QueueAudit.of(dir);
    assertThat(audit.in(TaskState.COMPLETED)).isEqualTo(expected);
    assertThat(audit.states).hasSize(expected.size());
    assertThat(audit.doneIds).hasSize(expected.size());
    try (TaskStore fresh = StoreFactory.open(StoreConfig.of(dir))) {
      QueuePage page = fresh.list(new QueueQuery(null, null, 0, 10));
      assertThat(page.count(TaskState.COMPLETED)).isEqualTo(expected.size());
      assertThat(page.count(TaskState.PENDING) + page.count(TaskState.IN_PROGRESS)).isZero();
      assertThat(page.unreadable()).isEmpty();
    }
  }

  private static List<String> uncheckedIds(WorkerProcess w) {
    try {
      return w.ids("DONE");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

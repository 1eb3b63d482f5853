package dev.taskq.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.claude.DisciplinedWorker;
import dev.taskq.core.Task;
import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code taskq workers stop}: the claims go back, nothing of the pool keeps running. */
class WorkerStopIT {
  @TempDir Path tmp;

  /** Two workers, each mid-task: claimed, checkpointed once, then stalled on the model. */
  private static List<TaskRow> twoBusyWorkers(PoolTestbed bed) throws Exception {
    bed.enqueue(3, null);
    PoolTestbed.Run start = bed.taskq(Duration.ofSeconds(60), "workers", "start", "-n", "2");
    assertThat(start.code()).as(start.err()).isZero();
    bed.await(
        () -> bed.inProgress().stream().filter(r -> r.progress() != null).count() == 2,
        Duration.ofSeconds(60),
        "two checkpointed claims");
    return bed.inProgress();
  }

  @Test
  void stop_hands_each_claim_back_without_using_an_attempt_and_leaves_no_process()
      throws Exception {
    try (PoolTestbed bed =
        new PoolTestbed(
            tmp, new DisciplinedWorker().stallAfterCheckpoint(Duration.ofSeconds(90)))) {
      List<TaskRow> held = twoBusyWorkers(bed);

      PoolTestbed.Run stop = bed.taskq(Duration.ofSeconds(90), "workers", "stop");

      assertThat(stop.code()).as(stop.err()).isZero();
      assertThat(stop.out()).startsWith("stopped the worker pool (supervisor pid ");
      for (TaskRow r : held) {
        Task t = bed.task(r.id());
        assertThat(t.state()).isEqualTo(TaskState.PENDING);
        assertThat(t.attempt()).as("no attempt used").isZero();
        assertThat(bed.checkpoints(r.id())).hasSize(1);
        assertThat(bed.logLines())
            .filteredOn(l -> l.contains("RELEASED: " + r.id()))
            .singleElement()
            .asString()
            .doesNotContain("by a person"); // the worker's own server handed it back
      }
      PoolState end = bed.state().orElseThrow();
      assertThat(end.state()).isEqualTo("stopped");
      assertThat(end.reason()).isEqualTo("stopped by taskq workers stop");
      assertThat(end.workers()).allMatch(w -> w.lastExit().startsWith("stopped"));
      bed.assertNoProcessLeft(Duration.ofSeconds(15));
    }
  }

  @Test
  void stop_now_kills_the_workers_and_still_hands_their_claims_back_at_once() throws Exception {
    try (PoolTestbed bed =
        new PoolTestbed(
            tmp, new DisciplinedWorker().stallAfterCheckpoint(Duration.ofSeconds(90)))) {
      List<TaskRow> held = twoBusyWorkers(bed);

      PoolTestbed.Run stop = bed.taskq(Duration.ofSeconds(60), "workers", "stop", "--now");

      assertThat(stop.code()).as(stop.err()).isZero();
      for (TaskRow r : held) {
        Task t = bed.task(r.id());
        assertThat(t.state()).isEqualTo(TaskState.PENDING);
        assertThat(t.attempt()).isZero();
      }
      bed.assertNoProcessLeft(Duration.ofSeconds(15));
    }
  }

  @Test
  void a_second_start_raises_the_number_of_workers_instead_of_starting_a_second_supervisor()
      throws Exception {
    try (PoolTestbed bed =
        new PoolTestbed(
            tmp, new DisciplinedWorker().stallAfterCheckpoint(Duration.ofSeconds(90)))) {
      bed.enqueue(3, null);
      PoolTestbed.Run first = bed.taskq(Duration.ofSeconds(60), "workers", "start", "-n", "1");
      PoolState one = bed.state().orElseThrow();

      PoolTestbed.Run second = bed.taskq(Duration.ofSeconds(60), "workers", "start", "-n", "3");
      PoolTestbed.Run other =
          bed.taskq(Duration.ofSeconds(60), "workers", "start", "-n", "3", "--lane", "db");

      assertThat(first.code()).isZero();
      assertThat(second.code()).as(second.err()).isZero();
      assertThat(second.out())
          .contains("a worker pool already runs on")
          .contains("(supervisor pid " + one.pid() + "); it now runs up to 3 workers");
      bed.await(() -> bed.inProgress().size() == 3, Duration.ofSeconds(60), "three workers busy");
      assertThat(bed.state().orElseThrow().pid()).isEqualTo(one.pid());
      assertThat(other.code()).isEqualTo(1);
      assertThat(other.err())
          .contains(
              "a worker pool already runs on this queue with other options: --lane unset"
                  + " (running) vs db (asked)");
      bed.taskq(Duration.ofSeconds(90), "workers", "stop");
      bed.assertNoProcessLeft(Duration.ofSeconds(15));
    }
  }
}

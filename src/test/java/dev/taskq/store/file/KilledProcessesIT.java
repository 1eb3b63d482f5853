package dev.taskq.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.ClaimResult;
import dev.taskq.core.Holder;
import dev.taskq.core.Outcome;
import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.TaskState;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes doing a mixed workload are killed with SIGKILL at random moments, round after round;
 * then a fresh store must find a consistent queue and go on working.
 */
class KilledProcessesIT {
  @TempDir Path root;
  private final List<WorkerProcess> running = new ArrayList<>();
  private final Set<String> reportedEnqueued = new HashSet<>();
  private final Set<String> reportedDone = new HashSet<>();
  private int kills;

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (WorkerProcess w : running) {
      w.kill();
    }
  }

  @Test
  void a_queue_survives_processes_killed_at_random_moments() throws Exception {
    killRounds(5, 4, 20261124L);
  }

  @Test
  @Tag("slow")
  void a_queue_survives_many_rounds_of_kills() throws Exception {
    killRounds(25, 6, System.nanoTime());
  }

  private void killRounds(int rounds, int workers, long seed) throws Exception {
    Path dir = root.resolve("tasks");
    Random rnd = new Random(seed);
    for (int r = 0; r < rounds; r++) {
      List<WorkerProcess> round = new ArrayList<>();
      for (int k = 0; k < workers; k++) {
        String name = "r" + r + "w" + k;
        round.add(
            WorkerProcess.start(
                root.resolve("logs"), name, "chaos", dir.toString(), name, "" + rnd.nextLong()));
      }
      running.addAll(round);
      for (WorkerProcess w : round) {
        w.awaitLine("READY", Duration.ofSeconds(60));
      }
      for (WorkerProcess w : round) {
        // Kill only once it is into the workload, at a random moment of it.
        w.awaitLinePrefix("ENQ ", Duration.ofSeconds(60));
        Thread.sleep(rnd.nextInt(1000));
        assertThat(w.process.isAlive()).as("%s still working: %s", w.name, w.stderr()).isTrue();
        w.kill();
        kills++;
        reportedEnqueued.addAll(w.ids("ENQ"));
        reportedDone.addAll(w.ids("DONE"));
      }
    }

    try (TaskStore fresh = StoreFactory.open(StoreConfig.of(dir))) {
      QueuePage page = fresh.list(new QueueQuery(null, null, 0, 10_000));
      assertThat(page.unreadable()).as("corrupt after %s kills", kills).isEmpty();
      QueueAudit audit = QueueAudit.of(dir);
      assertThat(audit.states.keySet()).containsAll(reportedEnqueued);
      assertThat(audit.in(TaskState.COMPLETED)).containsAll(reportedDone);
      assertThat(page.total()).isEqualTo(audit.states.size());
      assertThat(reportedDone).as("the workload really ran").isNotEmpty();

      // The queue still works: every claim left by a killed process ends, the rest is drained.
      Holder me = ProcessIdentity.current("after-the-kills");
      while (fresh.claimNext(me, null) instanceof ClaimResult.Claimed got) {
        fresh.complete(got.claim().task().id(), got.claim().token(), Outcome.DONE, "drained");
      }
      QueuePage after = fresh.list(new QueueQuery(null, null, 0, 10));
      assertThat(after.count(TaskState.IN_PROGRESS)).isZero();
      assertThat(after.count(TaskState.PENDING)).isEqualTo(after.blocked());
      QueueAudit end = QueueAudit.of(dir);
      System.out.printf(
          "%d kills; %d tasks: %d completed, %d failed, %d pending; %d log lines, %d EXPIRED, %d"
              + " ROLLED-BACK%n",
          kills,
          end.states.size(),
          end.in(TaskState.COMPLETED).size(),
          end.in(TaskState.FAILED).size(),
          end.in(TaskState.PENDING).size(),
          end.logLines.size(),
          end.logLines.stream().filter(l -> l.contains(" EXPIRED: ")).count(),
          end.logLines.stream().filter(l -> l.contains(" ROLLED-BACK: ")).count());
    }
  }
}

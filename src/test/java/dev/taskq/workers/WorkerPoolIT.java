package dev.taskq.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.claude.DisciplinedWorker;
import dev.taskq.core.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker pool with the real {@code claude} (driven by the scripted model on loopback) and real
 * taskq processes: {@code taskq workers start} as a person runs it, {@code taskq wait} to be told.
 */
class WorkerPoolIT {
  @TempDir Path tmp;

  @Test
  void three_workers_drain_nine_tasks_each_completed_once_and_the_supervisor_exits()
      throws Exception {
    try (PoolTestbed bed = new PoolTestbed(tmp, new DisciplinedWorker())) {
      List<String> ids = bed.enqueue(9, null);

      PoolTestbed.Run start = bed.taskq(Duration.ofSeconds(60), "workers", "start", "-n", "3");
      PoolTestbed.Run wait = bed.taskq(Duration.ofMinutes(3), "wait", "--timeout", "150s");
      PoolState end = bed.awaitSupervisorGone(Duration.ofSeconds(60));

      assertThat(start.code()).as(start.err()).isZero();
      assertThat(start.out())
          .contains("started workers on " + bed.queue)
          .contains("up to 3 at once, 9 claimable now");
      assertThat(wait.code()).as(wait.out() + wait.err()).isZero();
      assertThat(wait.out().lines().filter(l -> l.startsWith("DONE    "))).hasSize(9);
      assertThat(wait.out()).endsWith("all 9 tasks done\n");

      assertThat(end.state()).isEqualTo("stopped");
      assertThat(end.reason()).isEqualTo("nothing left to do: no claimable or in-progress tasks");
      assertThat(end.totals().done()).isEqualTo(9);
      List<String> log = bed.logLines();
      for (String id : ids) {
        assertThat(log.stream().filter(l -> l.contains(" DONE: " + id + " "))).hasSize(1);
        assertThat(log.stream().filter(l -> l.contains(" CLAIMED: " + id + " ")))
            .singleElement()
            .asString()
            .containsPattern("by worker-[123]@");
        assertThat(bed.queue.resolve("completed").resolve(id + ".md")).isRegularFile();
      }
      try (var s = bed.store()) {
        assertThat(s.list(dev.taskq.core.QueueQuery.firstPage(1)).count(TaskState.COMPLETED))
            .isEqualTo(9);
      }
      assertThat(bed.poolLog())
          .contains("STARTED: up to 3 workers")
          .contains("worker-1 run 1 started")
          .contains("worker-2 run 1 started")
          .contains("worker-3 run 1 started")
          .contains("STOPPED: nothing left to do");
      assertThat(log).anyMatch(l -> l.contains("LOG: - workers STOPPED: nothing left to do"));
      assertThat(Files.readString(bed.files.transcript("worker-1", 1)))
          .contains("\"type\":\"result\"");
      assertThat(bed.model.brainErrors()).isEmpty();
      bed.assertNoProcessLeft(Duration.ofSeconds(20));

      PoolTestbed.Run status = bed.taskq(Duration.ofSeconds(30), "workers", "status", "--json");
      PoolTestbed.Run logs = bed.taskq(Duration.ofSeconds(30), "workers", "logs", "worker-1");
      PoolTestbed.Run doctor = bed.taskq(Duration.ofSeconds(60), "doctor");
      assertThat(status.out()).contains("\"state\": \"stopped\"").contains("\"alive\": false");
      assertThat(logs.out())
          .startsWith("── worker-1 run 1 · ")
          .contains("\n→ claim_next\n")
          .containsPattern("\n← Claimed task t\\d \\(attempt 1 of 3\\)\\.\n")
          .containsPattern("\n= success · \\d+ turns · \\$");
      assertThat(doctor.out())
          .contains("claude 2.1.328 (Claude Code) at " + bed.claude)
          .contains("workers: stopped");
    }
  }

  @Test
  void with_stay_the_pool_waits_without_workers_and_starts_one_when_work_arrives()
      throws Exception {
    try (PoolTestbed bed = new PoolTestbed(tmp, new DisciplinedWorker())) {
      bed.enqueue(1, "a");
      bed.taskq(Duration.ofSeconds(60), "workers", "start", "-n", "2", "--stay");
      assertThat(bed.taskq(Duration.ofMinutes(2), "wait", "--timeout", "90s").code()).isZero();
      PoolState idle =
          bed.awaitState(
              s -> s.workers().stream().allMatch(w -> w.pid() == 0),
              Duration.ofSeconds(30),
              "every worker to end");

      // Drained: the supervisor stays, alone; no model is called while it waits.
      int requests = bed.model.messageRequests().size();
      Thread.sleep(3_000);
      assertThat(bed.processes())
          .singleElement()
          .satisfies(h -> assertThat(h.pid()).isEqualTo(idle.pid()));
      assertThat(bed.model.messageRequests()).hasSize(requests);
      assertThat(idle.state()).isEqualTo("running");

      bed.enqueue(2, "b");
      assertThat(bed.taskq(Duration.ofMinutes(2), "wait", "--timeout", "90s").code()).isZero();
      assertThat(bed.task("b-1").state()).isEqualTo(TaskState.COMPLETED);
      assertThat(bed.poolLog()).contains("run 2 started");
      assertThat(bed.taskq(Duration.ofSeconds(90), "workers", "stop").code()).isZero();
      bed.assertNoProcessLeft(Duration.ofSeconds(15));
    }
  }

  @Test
  void with_worktree_each_worker_works_in_its_own_git_worktree_on_the_same_queue()
      throws Exception {
    try (PoolTestbed bed = new PoolTestbed(tmp, new DisciplinedWorker())) {
      dev.taskq.project.Git.run(bed.project, "init", "-q");
      Files.writeString(bed.project.resolve("README.md"), "shop\n");
      dev.taskq.project.Git.commitAll(bed.project);
      bed.enqueue(2, null);

      bed.taskq(Duration.ofSeconds(60), "workers", "start", "-n", "1", "--worktree");
      PoolTestbed.Run wait = bed.taskq(Duration.ofMinutes(2), "wait", "--timeout", "90s");

      assertThat(wait.code()).as(wait.out()).isZero();
      assertThat(bed.project.resolve(".claude/worktrees/taskq-worker-1/README.md")).isRegularFile();
      assertThat(dev.taskq.project.Git.run(bed.project, "worktree", "list"))
          .contains(".claude/worktrees/taskq-worker-1");
      assertThat(bed.state().orElseThrow().config().worktree()).isTrue();
      bed.awaitSupervisorGone(Duration.ofSeconds(30));
      bed.assertNoProcessLeft(Duration.ofSeconds(20));
    }
  }

  @Test
  void wait_exits_124_when_the_tasks_do_not_finish_in_time() throws Exception {
    try (PoolTestbed bed = new PoolTestbed(tmp, new DisciplinedWorker())) {
      bed.enqueue(2, null);

      PoolTestbed.Run wait = bed.taskq(Duration.ofSeconds(60), "wait", "--timeout", "2s");

      assertThat(wait.code()).isEqualTo(124);
      assertThat(wait.out())
          .startsWith("waiting for 2 tasks: t1, t2\ntimed out after 2s: 2 of 2 not finished\n")
          .contains("PENDING t1  not claimed yet");
    }
  }

  @Test
  void wait_ended_by_a_signal_says_what_is_still_open_and_to_wait_again() throws Exception {
    try (PoolTestbed bed = new PoolTestbed(tmp, new DisciplinedWorker())) {
      bed.enqueue(2, null);
      Path out = tmp.resolve("wait.out");
      Process wait = bed.spawn(out, "wait");
      // Claude Code ends a background command at its Bash timeout with SIGTERM.
      bed.await(
          () -> {
            try {
              return Files.readString(out).startsWith("waiting for 2 tasks: t1, t2\n");
            } catch (java.io.IOException e) {
              return false;
            }
          },
          Duration.ofSeconds(30),
          "wait to start waiting");
      wait.destroy();

      assertThat(wait.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(wait.exitValue()).isEqualTo(143);
      assertThat(Files.readString(out))
          .containsPattern(
              "stopped by a signal after \\d+s: 2 of 2 not finished \\(t1, t2\\);"
                  + " run taskq wait again");
    }
  }
}

package dev.taskq.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.claude.Conversation;
import dev.taskq.claude.DisciplinedWorker;
import dev.taskq.claude.Fault;
import dev.taskq.core.Checkpoint;
import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool under faults, with the real {@code claude} and the scripted model: a usage limit
 * mid-task, a worker killed mid-task, a refused login.
 */
class WorkerFaultsIT {
  @TempDir Path tmp;

  private static boolean checkpointed(Conversation c) {
    return c.toolCalls().stream().anyMatch(t -> t.name().endsWith("__write_checkpoint"));
  }

  @Test
  void
      a_usage_limit_mid_task_pauses_the_pool_hands_the_claim_back_unused_and_resumes_after_the_reset()
          throws Exception {
    try (PoolTestbed bed =
        new PoolTestbed(tmp, new DisciplinedWorker().checkpointsPerTask(2), true)) {
      bed.enqueue(2, null);
      // The subscription's limit strikes after a task's first checkpoint, resetting in ~90 s.
      Instant reset = Instant.now().plusSeconds(94);
      bed.model.failWhen(
          c -> checkpointed(c) && Instant.now().isBefore(reset), 10_000, Fault.usageLimit(reset));

      PoolTestbed.Run start = bed.taskq(Duration.ofSeconds(60), "workers", "start", "-n", "1");
      assertThat(start.code()).as(start.err()).isZero();
      PoolState paused =
          bed.awaitState(s -> s.state().equals("paused"), Duration.ofSeconds(60), "the pause");

      assertThat(paused.pausedUntil()).isAfterOrEqualTo(reset).isBefore(reset.plusSeconds(25));
      assertThat(paused.reason())
          .startsWith("usage limit (five_hour): You've hit your 5-hour limit");
      assertThat(bed.poolLog())
          .containsPattern("PAUSED: usage limit; resuming at \\d\\d:\\d\\d(:\\d\\d)? UTC");
      assertThat(bed.logLines()).anyMatch(l -> l.contains("LOG: - workers PAUSED: usage limit"));
      // The claim came back at once: pending, its checkpoint kept, no attempt used up.
      bed.await(() -> bed.inProgress().isEmpty(), Duration.ofSeconds(15), "the claim back");
      dev.taskq.core.Task t1 = bed.task("t1");
      assertThat(t1.state()).isEqualTo(TaskState.PENDING);
      assertThat(t1.attempt()).isZero();
      assertThat(bed.checkpoints("t1")).hasSize(1);
      assertThat(bed.logLines()).anyMatch(l -> l.contains("RELEASED: t1"));
      assertThat(bed.processes())
          .as("only the supervisor waits out the pause")
          .singleElement()
          .satisfies(h -> assertThat(h.pid()).isEqualTo(paused.pid()));

      PoolTestbed.Run wait = bed.taskq(Duration.ofMinutes(4), "wait", "--timeout", "200s");

      assertThat(wait.code()).as(wait.out()).isZero();
      assertThat(bed.poolLog()).contains("RESUMED: usage limit over");
      List<String> claims =
          bed.logLines().stream().filter(l -> l.contains("CLAIMED: t1 ")).toList();
      assertThat(claims).hasSize(2).allMatch(l -> l.contains("attempt 1/3"));
      assertThat(Instant.parse(claims.get(1).substring(0, claims.get(1).indexOf(' '))))
          .isAfterOrEqualTo(reset);
      List<Checkpoint> cps = bed.checkpoints("t1");
      assertThat(cps.get(1).summary()).startsWith("resumed from checkpoint #1");
      assertThat(bed.task("t2").state()).isEqualTo(TaskState.COMPLETED);
      bed.awaitSupervisorGone(Duration.ofSeconds(30));
      bed.assertNoProcessLeft(Duration.ofSeconds(20));
    }
  }

  @Test
  void a_worker_killed_mid_task_is_replaced_and_its_task_resumed_from_its_checkpoint()
      throws Exception {
    try (PoolTestbed bed =
        new PoolTestbed(
            tmp, new DisciplinedWorker().stallAfterCheckpoint(Duration.ofSeconds(90)), false)) {
      bed.enqueue(2, null);
      bed.taskq(Duration.ofSeconds(60), "workers", "start", "-n", "1");
      bed.await(
          () -> bed.inProgress().stream().anyMatch(r -> r.progress() != null),
          Duration.ofSeconds(60),
          "a checkpointed claim");
      TaskRow held = bed.inProgress().get(0);
      PoolState before = bed.state().orElseThrow();
      long pid = before.workers().get(0).pid();
      assertThat(held.holder()).startsWith("worker-1@");
      bed.model.brain(new DisciplinedWorker());

      Instant killed = Instant.now();
      ProcessHandle.of(pid).orElseThrow().destroyForcibly();

      bed.await(
          () -> bed.poolLog().contains("worker-1 run 2 started"),
          Duration.ofSeconds(30),
          "the replacement");
      assertThat(bed.poolLog())
          .contains("worker-1 run 1 exited (137): killed by signal 9 before its result");
      String released =
          bed.logLines().stream()
              .filter(l -> l.contains("RELEASED: " + held.id()))
              .findFirst()
              .orElseThrow();
      assertThat(
              Duration.between(killed, Instant.parse(released.substring(0, released.indexOf(' ')))))
          .as("the task comes back at once")
          .isLessThan(Duration.ofSeconds(10));
      PoolTestbed.Run wait = bed.taskq(Duration.ofMinutes(2), "wait", "--timeout", "90s");
      assertThat(wait.code()).as(wait.out()).isZero();
      List<Checkpoint> cps = bed.checkpoints(held.id());
      assertThat(cps.get(1).summary()).startsWith("resumed from checkpoint #1");
      assertThat(bed.task(held.id()).attempt()).as("the kill used no attempt").isEqualTo(1);
      bed.awaitSupervisorGone(Duration.ofSeconds(30));
      bed.assertNoProcessLeft(Duration.ofSeconds(20));
    }
  }

  @Test
  void a_refused_login_stops_the_pool_at_once_with_what_to_do() throws Exception {
    try (PoolTestbed bed = new PoolTestbed(tmp, new DisciplinedWorker(), false)) {
      bed.enqueue(3, null);
      bed.model.failUntil(Instant.now().plusSeconds(600), Fault.authentication());

      bed.taskq(Duration.ofSeconds(60), "workers", "start", "-n", "2");
      Path waitOut = tmp.resolve("wait.out");
      Process wait = bed.spawn(waitOut, "wait");
      PoolState end = bed.awaitSupervisorGone(Duration.ofSeconds(60));

      // Someone waiting in the background is told at once, not at their timeout.
      assertThat(wait.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(wait.exitValue()).isEqualTo(1);
      assertThat(java.nio.file.Files.readString(waitOut))
          .contains("PENDING t1")
          .containsPattern("the worker pool stopped: authentication failed.*; 3 of 3 not finished");

      assertThat(end.state()).isEqualTo("stopped");
      assertThat(end.reason())
          .startsWith("authentication failed")
          .endsWith("log in (run claude, or set ANTHROPIC_API_KEY) and start the workers again");
      assertThat(bed.logLines())
          .anyMatch(l -> l.contains("workers STOPPED: authentication failed"));
      assertThat(bed.inProgress()).isEmpty();
      PoolTestbed.Run status = bed.taskq(Duration.ofSeconds(30), "status");
      assertThat(status.out()).contains("workers: stopped").contains("authentication failed");
      bed.assertNoProcessLeft(Duration.ofSeconds(20));
    }
  }

  @Test
  void an_overloaded_api_pauses_the_pool_briefly_and_then_the_work_goes_on() throws Exception {
    try (PoolTestbed bed = new PoolTestbed(tmp, new DisciplinedWorker(), false)) {
      bed.env("CLAUDE_CODE_MAX_RETRIES", "0"); // claude gives up at once instead of in 3 minutes
      bed.enqueue(2, null);
      bed.model.failNext(1, Fault.overloaded());

      bed.taskq(Duration.ofSeconds(60), "workers", "start", "-n", "1");
      PoolState paused =
          bed.awaitState(s -> s.state().equals("paused"), Duration.ofSeconds(60), "the pause");
      PoolTestbed.Run wait = bed.taskq(Duration.ofMinutes(2), "wait", "--timeout", "90s");

      assertThat(paused.reason()).startsWith("API overloaded");
      assertThat(Duration.between(paused.updated(), paused.pausedUntil()))
          .isBetween(Duration.ofSeconds(10), Duration.ofSeconds(16));
      assertThat(wait.code()).as(wait.out()).isZero();
      assertThat(bed.poolLog())
          .containsPattern("PAUSED: API overloaded; resuming at \\d\\d:\\d\\d:\\d\\d UTC")
          .contains("RESUMED: API overloaded over");
      bed.awaitSupervisorGone(Duration.ofSeconds(30));
      bed.assertNoProcessLeft(Duration.ofSeconds(20));
    }
  }

  @Test
  void a_worker_that_keeps_failing_is_given_up_with_a_clear_line_and_the_pool_stops()
      throws Exception {
    try (PoolTestbed bed = new PoolTestbed(tmp, new DisciplinedWorker(), false)) {
      bed.env("CLAUDE_CODE_MAX_RETRIES", "0");
      bed.enqueue(1, null);
      bed.model.failUntil(Instant.now().plusSeconds(600), Fault.serverError());

      bed.taskq(Duration.ofSeconds(60), "workers", "start", "-n", "1");
      PoolState end = bed.awaitSupervisorGone(Duration.ofSeconds(120));

      assertThat(bed.poolLog())
          .contains("worker-1 restarts in 1s (failure 1)")
          .contains("worker-1 restarts in 5s (failure 2)")
          .contains("worker-1 restarts in 15s (failure 3)")
          .containsPattern(
              "GAVE UP: worker-1 failed 4 times in a row; last: crashed: API error server_error.*"
                  + " \\(see taskq workers logs worker-1\\)");
      assertThat(end.reason()).isEqualTo("gave up: every worker failed 4 times in a row");
      assertThat(end.workers().get(0).state()).isEqualTo("given_up");
      assertThat(bed.logLines()).anyMatch(l -> l.contains("workers GAVE UP: worker-1"));
      assertThat(bed.task("t1").state()).isEqualTo(TaskState.PENDING);
      bed.assertNoProcessLeft(Duration.ofSeconds(20));
    }
  }

  @Test
  void with_no_wait_on_limit_a_usage_limit_stops_the_pool_instead() throws Exception {
    try (PoolTestbed bed = new PoolTestbed(tmp, new DisciplinedWorker(), false)) {
      bed.enqueue(1, null);
      Instant reset = Instant.now().plusSeconds(3600);
      bed.model.failUntil(reset, Fault.usageLimit(reset));

      bed.taskq(Duration.ofSeconds(60), "workers", "start", "-n", "1", "--no-wait-on-limit");
      PoolState end = bed.awaitSupervisorGone(Duration.ofSeconds(60));

      assertThat(end.reason())
          .startsWith("usage limit")
          .endsWith("(--no-wait-on-limit: not waiting for the reset)");
      assertThat(bed.task("t1").state()).isEqualTo(TaskState.PENDING);
      assertThat(bed.task("t1").attempt()).isZero();
      bed.assertNoProcessLeft(Duration.ofSeconds(20));
    }
  }
}

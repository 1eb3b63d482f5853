package dev.taskq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.Claim;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.Outcome;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code taskq wait}: blocks while tasks run, then one line per task and an exit code. */
class WaitCommandTest {
  @TempDir Path tmp;
  CliRun cli;

  @BeforeEach
  void setUp() throws IOException {
    cli = new CliRun(Files.createDirectories(tmp.resolve("proj")));
    cli.initQueue();
  }

  private TaskStore store() {
    return StoreFactory.open(new StoreConfig(cli.queue(), Duration.ofMinutes(15), cli.clock));
  }

  private void add(String id, String... more) {
    String[] args = new String[4 + more.length];
    args[0] = "add";
    args[1] = "Task " + id;
    args[2] = "--id=" + id;
    args[3] = "-c=done when done";
    System.arraycopy(more, 0, args, 4, more.length);
    assertThat(cli.run(args).code()).isZero();
  }

  private Claim claim(TaskStore s, String lane) {
    return ((ClaimResult.Claimed) s.claimNext(ProcessIdentity.current("w"), lane)).claim();
  }

  /**
   * Starts {@code taskq wait} on another thread and returns once it printed its first line
   * ("waiting for ..."), so it has read the queue and fixed the tasks it waits for: what the test
   * does next happens while it waits, however slow the machine.
   */
  private CompletableFuture<CliRun.Result> waitInBackground(String... args)
      throws InterruptedException {
    String[] all = new String[args.length + 1];
    all[0] = "wait";
    System.arraycopy(args, 0, all, 1, args.length);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<CliRun.Result> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              int code = Cli.run(cli.context(out, err), all);
              return new CliRun.Result(code, out.toString(), err.toString());
            });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!out.toString().contains("\n") && !waiting.isDone()) {
      assertThat(System.nanoTime())
          .as("wait printed its first line within 30 s")
          .isLessThan(deadline);
      Thread.sleep(10);
    }
    assertThat(out.toString()).as(err.toString()).startsWith("waiting for ");
    return waiting;
  }

  /** Time in which a waiter that wrongly ends would have ended (for asserting it did not). */
  private static void letItSettle() throws InterruptedException {
    Thread.sleep(600);
  }

  @Test
  void wait_returns_0_once_the_named_tasks_complete_with_one_line_each() throws Exception {
    add("alpha");
    add("beta");
    CompletableFuture<CliRun.Result> waiting = waitInBackground("alpha", "beta");
    assertThat(waiting).isNotDone();

    try (TaskStore s = store()) {
      Claim a = claim(s, null);
      s.complete(a.task().id(), a.token(), Outcome.DONE, "Found 3 things\nsecond line");
      letItSettle();
      assertThat(waiting).as("one of two tasks is still pending").isNotDone();
      Claim b = claim(s, null);
      s.complete(b.task().id(), b.token(), Outcome.DONE, "All good");
    }

    CliRun.Result r = waiting.get(30, TimeUnit.SECONDS);
    assertThat(r.code()).as(r.err()).isZero();
    Path completed = cli.queue().resolve("completed").toAbsolutePath();
    assertThat(r.out())
        .isEqualTo(
            "waiting for 2 tasks: alpha, beta\n"
                + "DONE    alpha  "
                + completed.resolve("alpha.md")
                + "  Found 3 things\n"
                + "DONE    beta   "
                + completed.resolve("beta.md")
                + "  All good\n"
                + "all 2 tasks done\n");
  }

  @Test
  void wait_times_out_with_124_and_says_what_is_still_open() throws Exception {
    add("alpha");
    add("beta");
    try (TaskStore s = store()) {
      claim(s, null);
    }

    CliRun.Result r = cli.run("wait", "--timeout", "1s");

    assertThat(r.code()).isEqualTo(124);
    assertThat(r.out())
        .startsWith("waiting for 2 tasks: alpha, beta\ntimed out after 1s: 2 of 2 not finished\n")
        .contains("RUNNING alpha  attempt 1/3  w@")
        .contains("PENDING beta   not claimed yet");
  }

  @Test
  void a_failed_task_makes_wait_exit_1_with_its_reason() throws Exception {
    add("alpha");
    add("beta");
    try (TaskStore s = store()) {
      Claim a = claim(s, null);
      s.complete(a.task().id(), a.token(), Outcome.FAILED, "the importer needs a database");
      Claim b = claim(s, null);
      s.complete(b.task().id(), b.token(), Outcome.DONE, "ok");
    }

    CliRun.Result r = cli.run("wait", "alpha", "beta");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "FAILED  alpha  "
                + cli.queue().resolve("failed/alpha.md").toAbsolutePath()
                + "  failed by its holder: the importer needs a database")
        .endsWith("1 done, 1 failed\n");
  }

  @Test
  void without_ids_wait_takes_every_task_unfinished_when_it_was_called_of_the_lane_given()
      throws Exception {
    add("old");
    try (TaskStore s = store()) {
      Claim c = claim(s, null);
      s.complete(c.task().id(), c.token(), Outcome.DONE, "old work");
    }
    add("db-1", "--lane", "db");
    add("ui-1", "--lane", "ui");
    CompletableFuture<CliRun.Result> waiting = waitInBackground("--lane", "db");

    try (TaskStore s = store()) {
      Claim c = claim(s, "db");
      s.complete(c.task().id(), c.token(), Outcome.DONE, "db done");
    }

    CliRun.Result r = waiting.get(30, TimeUnit.SECONDS);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("DONE    db-1").doesNotContain("old").doesNotContain("ui-1");
    assertThat(r.out()).endsWith("the task is done\n");
  }

  @Test
  void a_task_behind_a_failed_one_ends_the_wait_as_stuck_instead_of_hanging() throws Exception {
    add("audit");
    add("report", "--after", "audit");
    CompletableFuture<CliRun.Result> waiting = waitInBackground();

    try (TaskStore s = store()) {
      Claim a = claim(s, null);
      s.complete(a.task().id(), a.token(), Outcome.FAILED, "cannot read the logs");
    }

    CliRun.Result r = waiting.get(30, TimeUnit.SECONDS);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("FAILED  audit")
        .contains("STUCK   report  waits for audit (failed)")
        .contains("0 done, 1 failed, 1 stuck");
  }

  @Test
  void with_nothing_unfinished_wait_returns_0_at_once() {
    CliRun.Result r = cli.run("add", "x", "-c", "y", "--id", "x");
    assertThat(r.code()).isZero();
    try (TaskStore s = store()) {
      Claim c = claim(s, null);
      s.complete(c.task().id(), c.token(), Outcome.DONE, "ok");
    }

    r = cli.run("wait");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("nothing to wait for: no unfinished tasks\n");
  }

  @Test
  void an_unknown_id_or_a_bad_timeout_is_a_usage_error_that_names_it() {
    add("alpha");

    CliRun.Result unknown = cli.run("wait", "alpha", "alpah");
    CliRun.Result badTimeout = cli.run("wait", "--timeout", "soon");
    CliRun.Result both = cli.run("wait", "alpha", "--lane", "db");

    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("no task with id 'alpah'");
    assertThat(badTimeout.code()).isEqualTo(2);
    assertThat(badTimeout.err())
        .contains("--timeout: expected a duration such as 90s, 30m, 2h or 1h30m, got 'soon'");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("give task ids or --lane, not both");
  }
}

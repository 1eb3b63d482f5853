package dev.taskq.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.NewTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops in the middle of a run and starts again: the workers get a clear error while it
 * is down and go on after, every task completes, nothing is lost and no task is ever held by two
 * live claims.
 */
class PostgresRestartIT {
  private static final int WORKERS = 4;
  private static final int TASKS = 300;

  @TempDir Path root;
  private PostgresServer server;
  private final List<PgWorkerProcess> workers = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (PgWorkerProcess w : workers) {
      w.kill();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void a_server_restart_mid_run_gives_clear_errors_then_every_task_completes_once()
      throws Exception {
    server = PostgresServer.start();
    PostgresQueues queues = new PostgresQueues(server);
    String queue = queues.fresh();
    Set<String> expected = new HashSet<>();
    try (var store = queues.open(queue, Duration.ofMinutes(5))) {
      for (int start = 0; start < TASKS; start += 100) {
        List<NewTask> batch = new ArrayList<>();
        for (int i = start; i < start + 100; i++) {
          batch.add(new NewTask("r-" + i, "Task " + i, "done once", null, null, 0, null, 3, null));
          expected.add("r-" + i);
        }
        store.enqueue(batch);
      }
    }
    Path dir = Files.createDirectories(root.resolve("tasks"));
    Path go = root.resolve("go");
    Map<String, String> env =
        Map.of(
            "TASKQ_DATABASE_URL",
            queues.url(),
            "TASKQ_QUEUE",
            queue,
            // A claim whose answer was lost with the server comes back after this lease.
            "TASKQ_LEASE_SECONDS",
            "5");
    for (int k = 0; k < WORKERS; k++) {
      workers.add(
          PgWorkerProcess.start(
              root.resolve("logs"), "w" + k, env, "drain", dir.toString(), "w" + k, go.toString()));
    }
    for (PgWorkerProcess w : workers) {
      w.awaitLine("READY", Duration.ofSeconds(60));
    }
    Files.createFile(go);
    awaitDone(40, Duration.ofSeconds(120));

    server.stop();
    Thread.sleep(3_000);
    int doneWhileDown = totalDone();
    Thread.sleep(1_000);
    assertThat(totalDone())
        .as("nothing completes while the server is down")
        .isEqualTo(doneWhileDown);
    server.restart();

    List<String> done = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (PgWorkerProcess w : workers) {
      assertThat(w.awaitExit(Duration.ofMinutes(4))).as("%s exit: %s", w.name, w.stderr()).isZero();
      done.addAll(w.after("DONE"));
      errors.addAll(w.after("ERR"));
      assertThat(String.join("\n", w.lines()) + w.stderr())
          .as("the password never shows")
          .doesNotContain(server.appPassword());
    }

    assertThat(errors).as("errors while the server was down").isNotEmpty();
    assertThat(errors)
        .as("each error says the database is unreachable or the commit's fate is unknown")
        .allMatch(
            e ->
                e.startsWith("STORE_ERROR ")
                    && (e.contains("database unreachable") || e.contains("while committing")));
    assertThat(done).as("completions the workers heard of").doesNotHaveDuplicates();
    try (Connection c = server.admin(queues.database())) {
      assertThat(
              PostgresManyProcessesIT.countBy(
                  c,
                  queue,
                  "SELECT state, count(*) FROM taskq.tasks WHERE queue = ? GROUP BY state"))
          .isEqualTo(Map.of("completed", (long) TASKS));
      var doneLines =
          PostgresManyProcessesIT.countBy(
              c,
              queue,
              "SELECT task_id, count(*) FROM taskq.log WHERE queue = ? AND line LIKE '% DONE: %'"
                  + " GROUP BY task_id");
      assertThat(doneLines.keySet()).isEqualTo(expected);
      assertThat(new HashSet<>(doneLines.values())).as("DONE lines per task").containsOnly(1L);
      // Every claim after the first of a task ended the one before (EXPIRED): never two live.
      var liveClaims =
          PostgresManyProcessesIT.countBy(
              c,
              queue,
              "SELECT task_id, count(*) FILTER (WHERE line LIKE '% CLAIMED: %')"
                  + " - count(*) FILTER (WHERE line LIKE '% EXPIRED: %') FROM taskq.log"
                  + " WHERE queue = ? AND task_id IS NOT NULL GROUP BY task_id");
      assertThat(new HashSet<>(liveClaims.values())).containsOnly(1L);
    }
    System.out.printf(
        "restart: %d errors while down, %d completions heard of, %d tasks completed%n",
        errors.size(), done.size(), TASKS);
  }

  @Test
  void a_server_restart_fences_no_live_holder() throws Exception {
    server = PostgresServer.start();
    PostgresQueues queues = new PostgresQueues(server);
    String queue = queues.fresh();
    try (var a = queues.open(queue, Duration.ofMinutes(10));
        var b = queues.open(queue, Duration.ofMinutes(10))) {
      a.enqueue(new NewTask("held", "Held", "done", null, null, 0, null, 3, null));
      var claim =
          ((dev.taskq.core.ClaimResult.Claimed)
                  a.claimNext(dev.taskq.store.ProcessIdentity.current("a"), null))
              .claim();

      server.stop();
      server.restart();
      // Every advisory lock went with the old server; the holder has not reconnected yet.
      var other =
          awaitAnswer(() -> b.claimNext(new dev.taskq.core.Holder("b", "b.test", 2, 2), null));

      assertThat(other).isInstanceOf(dev.taskq.core.ClaimResult.Nothing.class);
      assertThat(
              awaitAnswer(
                      () -> a.complete("held", claim.token(), dev.taskq.core.Outcome.DONE, "ok"))
                  .state())
          .isEqualTo(dev.taskq.core.TaskState.COMPLETED);
    }
  }

  /** The call's answer once the database answers again (it says "unreachable" until then). */
  private static <T> T awaitAnswer(java.util.function.Supplier<T> call)
      throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        return call.get();
      } catch (dev.taskq.core.TaskqException e) {
        if (System.nanoTime() > end || !e.getMessage().contains("unreachable")) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  private int totalDone() {
    int n = 0;
    for (PgWorkerProcess w : workers) {
      n += PgWorkerProcess.unchecked(() -> w.after("DONE")).size();
    }
    return n;
  }

  private void awaitDone(int n, Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (totalDone() < n) {
      if (System.nanoTime() > end) {
        throw new AssertionError("fewer than " + n + " tasks done in " + limit);
      }
      Thread.sleep(20);
    }
  }
}

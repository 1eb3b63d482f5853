package dev.taskq.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskq.core.Claim;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.ErrorCode;
import dev.taskq.core.Holder;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.core.TaskqException;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.TaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A holder on "another machine" (another JVM) dies: its backend is killed with
 * pg_terminate_backend, or its process with SIGKILL. The claim comes back at once, long before its
 * 10-minute lease, and once another claim took the task the old holder is FENCED.
 */
class PostgresHolderDeathIT {
  private static final Duration LEASE = Duration.ofMinutes(10);

  @TempDir Path root;
  private PostgresQueues queues;
  private String queue;
  private TaskStore store;
  private final Holder bob = ProcessIdentity.current("bob");
  private final List<PgWorkerProcess> started = new ArrayList<>();

  @BeforeEach
  void queue() {
    queues = PostgresQueues.onSharedServer();
    queue = queues.fresh();
    store = queues.open(queue, LEASE);
  }

  @AfterEach
  void stop() throws InterruptedException {
    store.close();
    for (PgWorkerProcess p : started) {
      p.kill();
    }
  }

  @Test
  void a_holder_whose_backend_is_terminated_loses_its_claim_at_once_and_is_fenced_after()
      throws Exception {
    PgWorkerProcess holder = holdOne("t1");
    String token = holder.awaitLine("CLAIMED t1 ", Duration.ofSeconds(60)).split(" ")[2];
    assertThat(store.claimNext(bob, null)).isInstanceOf(ClaimResult.Nothing.class);

    int killed = terminateBackendsOf(holder.pid());
    Claim back = claimWithin(Duration.ofSeconds(20));

    assertThat(killed).as("backends of the holder's process").isPositive();
    assertThat(back.task().id()).isEqualTo("t1");
    assertThat(back.attempt()).isEqualTo(2);
    assertThat(expiredLines("t1")).singleElement().asString().contains("holder process gone");
    holder.send("complete");
    String answer = holder.awaitLine("FENCED", Duration.ofSeconds(60));
    assertThat(answer).contains("attempt 2").contains(bob.label());
    assertThat(token).isNotEqualTo(back.token());
  }

  @Test
  void a_holder_process_killed_with_sigkill_loses_its_claim_at_once_and_its_token_is_fenced()
      throws Exception {
    PgWorkerProcess holder = holdOne("t2");
    String token = holder.awaitLine("CLAIMED t2 ", Duration.ofSeconds(60)).split(" ")[2];
    assertThat(store.claimNext(bob, null)).isInstanceOf(ClaimResult.Nothing.class);

    long killedAt = System.nanoTime();
    holder.kill();
    Claim back = claimWithin(Duration.ofSeconds(20));
    Duration after = Duration.ofNanos(System.nanoTime() - killedAt);

    assertThat(back.task().id()).isEqualTo("t2");
    assertThat(back.attempt()).isEqualTo(2);
    assertThat(after).as("taken back long before the lease").isLessThan(Duration.ofSeconds(20));
    TaskqException e =
        catchThrowableOfType(
            TaskqException.class, () -> store.complete("t2", token, Outcome.DONE, "late"));
    assertThat(e.code()).isEqualTo(ErrorCode.FENCED);
    assertThat(e.getMessage()).contains("attempt 2");
    System.out.println("SIGKILLed holder's claim taken back after " + after.toMillis() + " ms");
  }

  private PgWorkerProcess holdOne(String id) throws Exception {
    store.enqueue(new NewTask(id, "Task " + id, "done", null, null, 0, null, 3, null));
    Path dir = Files.createDirectories(root.resolve("tasks"));
    PgWorkerProcess p =
        PgWorkerProcess.start(
            root.resolve("logs"),
            "holder-" + id,
            Map.of("TASKQ_DATABASE_URL", queues.url(), "TASKQ_QUEUE", queue),
            "hold",
            dir.toString(),
            "holder");
    started.add(p);
    return p;
  }

  /** Claims for bob until a task comes back, polling; fails after {@code limit}. */
  private Claim claimWithin(Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    ClaimResult r = null;
    while (System.nanoTime() < end) {
      r = store.claimNext(bob, null);
      if (r instanceof ClaimResult.Claimed c) {
        return c.claim();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("nothing came back within " + limit + "; last answer " + r);
  }

  private int terminateBackendsOf(long pid) throws Exception {
    try (Connection c = queues.server().admin("postgres");
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name LIKE ?")) {
      ps.setString(1, "taskq " + pid + "%");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private List<String> expiredLines(String id) {
    return store.tailLog(1000).stream().filter(l -> l.contains(" EXPIRED: " + id + " ")).toList();
  }
}

package dev.taskq.store.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.CheckpointRequest;
import dev.taskq.core.Claim;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.EnqueueResult;
import dev.taskq.core.ErrorCode;
import dev.taskq.core.Holder;
import dev.taskq.core.IdleReason;
import dev.taskq.core.Limits;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.core.Progress;
import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.ResumePacket;
import dev.taskq.core.Task;
import dev.taskq.core.TaskDetail;
import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskState;
import dev.taskq.core.TaskqException;
import dev.taskq.store.MutableClock;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link TaskStore} keeps. A store's test extends this class unchanged and
 * implements {@link #openStore}; stores that can hold hand-written or damaged records also
 * implement the hooks, otherwise those cases are skipped.
 *
 * <p>Holders live on made-up hosts so that holder-gone detection never fires by accident; the tests
 * about dead holders use real processes.
 */
public abstract class TaskStoreContract {
  protected static final Instant T0 = Instant.parse("2026-11-24T13:00:00Z");
  protected static final Duration LEASE = Duration.ofMinutes(15);

  /**
   * The default progress deadline, which {@link #openStore} leaves as it is ({@code new
   * StoreConfig(dir, lease, clock)}).
   */
  protected static final Duration PROGRESS_DEADLINE = StoreConfig.DEFAULT_PROGRESS_DEADLINE;

  /**
   * {@code <instant> <EVENT>: <id or -> <details>}, the one log line format. Events are upper-case
   * words (ENQUEUED, CLAIMED, CHECKPOINT, LOG, DONE, FAILED, RELEASED, EXPIRED, REQUEUED, CORRUPT,
   * and a store's own, such as the file store's crash recovery lines).
   */
  public static final Pattern LOG_LINE =
      Pattern.compile(
          "^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?Z)"
              + " ([A-Z][A-Z-]*[A-Z]):"
              + " (\\S+)(?: (.*))?$");

  protected final MutableClock clock = new MutableClock(T0);
  protected final Holder alice = new Holder("alice-session", "host-a.test", 1001, 11);
  protected final Holder bob = new Holder("bob-session", "host-b.test", 2002, 22);
  protected final Holder carol = new Holder("carol-session", "host-c.test", 3003, 33);
  protected TaskStore store;
  private final List<TaskStore> opened = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  /**
   * Gives this test an empty queue of its own; called before each test, before the first {@link
   * #openStore}. The file store's test gets a new temporary folder from JUnit and does nothing
   * here; a database store might use a fresh queue name, or empty its tables.
   */
  protected abstract void resetQueue() throws Exception;

  /**
   * Opens a store on this test's queue. Every call within one test opens another instance on the
   * SAME queue, as a second process would.
   */
  protected abstract TaskStore openStore(Clock clock, Duration lease);

  /**
   * A holder the store sees as gone, so its claims end at once. The default is a process that ran
   * on this host and exited, which the file store detects by pid and process start time; a store
   * that tracks holders another way (PostgreSQL: a session-level advisory lock) overrides this.
   */
  protected Holder goneHolder() throws Exception {
    return exitedProcessHolder();
  }

  /**
   * Puts a task written by a person (no metadata, plain Markdown) into the queue as pending, the
   * way {@code echo "..." > tasks/pending/<id>.md} does. Stores without such a notion skip.
   */
  protected void dropHandWrittenTask(String id, String markdown) {
    Assumptions.abort("this store has no hand-written tasks");
  }

  /** Damages the stored record of the existing pending task {@code id} so it cannot be read. */
  protected void damageTask(String id) {
    Assumptions.abort("this store cannot damage a record from outside");
  }

  @BeforeEach
  void openTheStore() throws Exception {
    resetQueue();
    store = track(openStore(clock, LEASE));
  }

  @AfterEach
  void closeEverything() {
    for (TaskStore s : opened) {
      s.close();
    }
    for (Process p : processes) {
      p.destroyForcibly();
    }
  }

  /** A second instance on the same queue, standing in for another process. */
  protected TaskStore openAnotherStore() {
    return track(openStore(clock, LEASE));
  }

  private TaskStore track(TaskStore s) {
    opened.add(s);
    return s;
  }

  // ---------------------------------------------------------------- enqueue

  @Test
  void enqueued_task_is_pending_with_defaults_and_the_clock_time() {
    EnqueueResult r = store.enqueue(spec("db-audit").build());

    assertThat(r.created()).isTrue();
    Task t = r.task();
    assertThat(t.id()).isEqualTo("db-audit");
    assertThat(t.title()).isEqualTo("Title of db-audit");
    assertThat(t.criterion()).isEqualTo("criterion of db-audit");
    assertThat(t.instructions()).isEqualTo("Instructions for db-audit.");
    assertThat(t.state()).isEqualTo(TaskState.PENDING);
    assertThat(t.attempt()).isZero();
    assertThat(t.maxAttempts()).isEqualTo(Limits.DEFAULT_MAX_ATTEMPTS);
    assertThat(t.created()).isEqualTo(T0);
    assertThat(t.lease()).isNull();
    assertThat(t.checkpoints()).isZero();
    assertThat(store.get("db-audit").task()).isEqualTo(t);
    assertThat(openAnotherStore().get("db-audit").task()).isEqualTo(t);
    assertThat(store.list(all()).count(TaskState.PENDING)).isEqualTo(1);
  }

  @Test
  void enqueue_without_id_generates_a_timestamped_id() {
    clock.set(Instant.parse("2026-11-24T13:04:05.678Z"));
    Task t = store.enqueue(NewTask.of("Audit", "all listed")).task();

    assertThat(t.id()).matches("task-20261124-130405-[a-z2-9]{5}");
    Task other = store.enqueue(NewTask.of("Audit again", "all listed")).task();
    assertThat(other.id()).isNotEqualTo(t.id());
  }

  @Test
  void enqueue_logs_one_enqueued_line_per_task() {
    store.enqueue(List.of(spec("a").build(), spec("b").build()));

    assertThat(linesWith("ENQUEUED", "a")).hasSize(1);
    assertThat(linesWith("ENQUEUED", "b")).hasSize(1);
    assertThat(linesWith("ENQUEUED", "a").get(0)).endsWith("ENQUEUED: a — Title of a");
  }

  @Test
  void enqueue_with_an_existing_id_is_a_conflict_and_changes_nothing() {
    store.enqueue(spec("a").build());
    Snapshot before = snapshot();

    failure(() -> store.enqueue(spec("a").title("Other title").build()), ErrorCode.CONFLICT);

    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void an_empty_or_oversized_batch_is_refused_naming_tasks() {
    List<NewTask> tooMany = new ArrayList<>();
    for (int i = 0; i <= Limits.BATCH_MAX; i++) {
      tooMany.add(spec("t-" + i).build());
    }

    TaskqException empty = failure(() -> store.enqueue(List.of()), ErrorCode.INVALID_ARGUMENT);
    TaskqException big = failure(() -> store.enqueue(tooMany), ErrorCode.INVALID_ARGUMENT);

    assertThat(empty.field()).isEqualTo("tasks");
    assertThat(big.field()).isEqualTo("tasks");
    assertThat(big.getMessage()).contains(String.valueOf(Limits.BATCH_MAX));
    assertThat(store.list(all()).total()).isZero();
  }

  @Test
  void a_batch_is_all_or_nothing() {
    store.enqueue(spec("existing").build());
    Snapshot before = snapshot();

    failure(
        () -> store.enqueue(List.of(spec("fresh-1").build(), spec("existing").build())),
        ErrorCode.CONFLICT);
    TaskqException e =
        failure(
            () ->
                store.enqueue(
                    List.of(spec("fresh-2").build(), spec("fresh-3").after("nowhere").build())),
            ErrorCode.INVALID_ARGUMENT);

    assertThat(e.field()).isEqualTo("tasks[1].after[0]");
    assertThat(snapshot()).isEqualTo(before);
    failure(() -> store.get("fresh-1"), ErrorCode.NOT_FOUND);
    failure(() -> store.get("fresh-2"), ErrorCode.NOT_FOUND);
  }

  @Test
  void after_naming_an_unknown_task_is_refused_naming_the_field_path() {
    store.enqueue(spec("first").build());
    TaskqException e =
        failure(
            () -> store.enqueue(spec("b").after("first", "no-such-task").build()),
            ErrorCode.INVALID_ARGUMENT);

    assertThat(e.field()).isEqualTo("tasks[0].after[1]");
    assertThat(e.getMessage())
        .startsWith("tasks[0].after[1]: 'no-such-task' is not in the queue")
        .doesNotContain("'first'");
    assertThat(store.list(all()).total()).isEqualTo(1);
  }

  @Test
  void the_after_error_of_a_task_without_an_id_names_no_id_that_was_never_created() {
    NewTask noId =
        new NewTask(
            null,
            "Report",
            "c",
            null,
            null,
            0,
            List.of("nowhere"),
            Limits.DEFAULT_MAX_ATTEMPTS,
            null);

    TaskqException e =
        failure(
            () -> store.enqueue(List.of(spec("fine").build(), noId)), ErrorCode.INVALID_ARGUMENT);

    assertThat(e.field()).isEqualTo("tasks[1].after[0]");
    assertThat(e.getMessage()).doesNotContain("task-");
  }

  @Test
  void after_may_name_a_task_of_the_same_batch() {
    List<EnqueueResult> r =
        store.enqueue(List.of(spec("child").after("parent").build(), spec("parent").build()));

    assertThat(r).extracting(x -> x.task().id()).containsExactly("child", "parent");
    assertThat(store.get("child").task().after()).containsExactly("parent");
    assertThat(store.get("child").blockedBy()).containsExactly("parent");
  }

  @Test
  void a_dependency_cycle_is_refused_and_changes_nothing() {
    TaskqException e =
        failure(
            () ->
                store.enqueue(
                    List.of(
                        spec("x").after("z").build(),
                        spec("y").after("x").build(),
                        spec("z").after("y").build())),
            ErrorCode.INVALID_ARGUMENT);

    assertThat(e.field()).matches("tasks\\[[0-2]\\]\\.after");
    assertThat(e.getMessage()).contains("cycle").contains("x").contains("y").contains("z");
    assertThat(store.list(all()).total()).isZero();
    assertThat(store.tailLog(100)).isEmpty();
  }

  // ---------------------------------------------------------------- dedupe

  @Test
  void same_dedupe_key_and_content_returns_the_existing_task() {
    Task first = store.enqueue(spec("a").dedupe("audit-db").build()).task();

    EnqueueResult again = store.enqueue(spec(null).sameAs("a").dedupe("audit-db").build());

    assertThat(again.created()).isFalse();
    assertThat(again.task().id()).isEqualTo(first.id());
    assertThat(store.list(all()).total()).isEqualTo(1);
    assertThat(linesWith("ENQUEUED", "a")).hasSize(1);
  }

  @Test
  void dedupe_still_returns_the_task_after_it_completed() {
    store.enqueue(spec("a").dedupe("once").build());
    Claim c = claimed(store.claimNext(alice, null));
    store.complete("a", c.token(), Outcome.DONE, "done");

    EnqueueResult again = store.enqueue(spec(null).sameAs("a").dedupe("once").build());

    assertThat(again.created()).isFalse();
    assertThat(again.task().id()).isEqualTo("a");
    assertThat(again.task().state()).isEqualTo(TaskState.COMPLETED);
    assertThat(store.list(all()).total()).isEqualTo(1);
  }

  @Test
  void same_dedupe_key_with_different_content_is_a_conflict() {
    store.enqueue(spec("a").dedupe("audit-db").build());
    Snapshot before = snapshot();

    TaskqException e =
        failure(
            () ->
                store.enqueue(
                    spec(null).sameAs("a").title("A different title").dedupe("audit-db").build()),
            ErrorCode.CONFLICT);

    assertThat(e.getMessage()).contains("audit-db");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void a_batch_with_one_dedupe_conflict_adds_nothing() {
    store.enqueue(spec("a").dedupe("k").build());
    Snapshot before = snapshot();

    failure(
        () ->
            store.enqueue(
                List.of(
                    spec("new-one").build(), spec("new-two").title("changed").dedupe("k").build())),
        ErrorCode.CONFLICT);

    assertThat(snapshot()).isEqualTo(before);
  }

  // ---------------------------------------------------------------- ordering

  @Test
  void claims_follow_priority_then_age_then_id() {
    store.enqueue(spec("old-low").priority(-5).build());
    store.enqueue(spec("old-mid").build());
    clock.advance(Duration.ofSeconds(1));
    store.enqueue(List.of(spec("new-mid-z").build(), spec("new-mid-b").build()));
    clock.advance(Duration.ofSeconds(1));
    store.enqueue(spec("newest-high").priority(7).build());

    List<String> order = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      order.add(claimed(store.claimNext(alice, null)).task().id());
    }

    assertThat(order)
        .containsExactly("newest-high", "old-mid", "new-mid-b", "new-mid-z", "old-low");
    nothing(store.claimNext(alice, null));
  }

  @Test
  void list_shows_pending_tasks_in_claim_order_with_blocked_ones_last() {
    store.enqueue(spec("blocker").priority(1).build());
    store.enqueue(spec("waiting").priority(100).after("blocker").build());
    store.enqueue(spec("low").priority(-1).build());
    store.enqueue(spec("high").priority(50).build());

    List<String> ids =
        store.list(new QueueQuery(TaskState.PENDING, null, 0, 100)).rows().stream()
            .map(TaskRow::id)
            .toList();

    assertThat(ids).containsExactly("high", "blocker", "low", "waiting");
  }

  // ---------------------------------------------------------------- claims

  @Test
  void a_claim_carries_attempt_token_and_lease_and_no_resume_packet_on_a_clean_start() {
    store.enqueue(spec("a").build());

    Claim c = claimed(store.claimNext(alice, null));

    assertThat(c.task().id()).isEqualTo("a");
    assertThat(c.task().state()).isEqualTo(TaskState.IN_PROGRESS);
    assertThat(c.attempt()).isEqualTo(1);
    assertThat(c.task().attempt()).isEqualTo(1);
    assertThat(c.token()).isNotBlank().hasSizeGreaterThanOrEqualTo(8);
    assertThat(c.leaseUntil()).isEqualTo(T0.plus(LEASE));
    assertThat(c.resume()).isNull();
    Task stored = store.get("a").task();
    assertThat(stored.state()).isEqualTo(TaskState.IN_PROGRESS);
    assertThat(stored.lease().token()).isEqualTo(c.token());
    assertThat(stored.lease().holder()).isEqualTo(alice);
    assertThat(linesWith("CLAIMED", "a")).singleElement().asString().contains("attempt 1/3");
  }

  @Test
  void a_claim_without_a_holder_is_refused_naming_holder() {
    store.enqueue(spec("a").build());

    TaskqException e = failure(() -> store.claimNext(null, null), ErrorCode.INVALID_ARGUMENT);

    assertThat(e.field()).isEqualTo("holder");
    assertThat(store.get("a").task().state()).isEqualTo(TaskState.PENDING);
  }

  @Test
  void empty_queue_says_so_and_is_not_worth_waiting_for() {
    IdleReason r = nothing(store.claimNext(alice, null));

    assertThat(r.describe()).isEqualTo("the queue is empty");
    assertThat(r.worthWaiting()).isFalse();
  }

  @Test
  void a_claimed_task_is_not_claimable_from_another_store_instance() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));

    IdleReason r = nothing(openAnotherStore().claimNext(bob, null));

    assertThat(r.inProgress()).isEqualTo(1);
    assertThat(r.worthWaiting()).isTrue();
    assertThat(store.get("a").task().lease().token()).isEqualTo(c.token());
  }

  @Test
  void many_threads_on_two_store_instances_never_claim_a_task_twice() throws Exception {
    int tasks = 60;
    List<NewTask> batch = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      batch.add(spec(String.format("t-%03d", i)).build());
    }
    store.enqueue(batch);
    TaskStore second = openAnotherStore();
    Map<String, Integer> claims = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < 6; w++) {
        TaskStore s = w % 2 == 0 ? store : second;
        Holder h = new Holder("worker-" + w, "host-w" + w + ".test", 100 + w, 1);
        futures.add(
            pool.submit(
                () -> {
                  TaskStore other = s == store ? second : store;
                  while (s.claimNext(h, null) instanceof ClaimResult.Claimed got) {
                    claims.merge(got.claim().task().id(), 1, Integer::sum);
                    // The other instance sees the claim at once: it completes it.
                    other.complete(
                        got.claim().task().id(), got.claim().token(), Outcome.DONE, "ok");
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(claims).hasSize(tasks);
    assertThat(claims.values()).containsOnly(1);
    assertThat(store.list(all()).count(TaskState.COMPLETED)).isEqualTo(tasks);
    List<String> done = doneIds();
    assertThat(done).hasSize(tasks).doesNotHaveDuplicates();
  }

  // ---------------------------------------------------------------- dependencies

  @Test
  void a_task_is_not_claimable_until_every_after_task_completed() {
    store.enqueue(spec("first").build());
    store.enqueue(spec("second").build());
    store.enqueue(spec("last").priority(100).after("first", "second").build());

    Claim first = claimed(store.claimNext(alice, null));
    assertThat(first.task().id()).isEqualTo("first");
    Claim second = claimed(store.claimNext(alice, null));
    assertThat(second.task().id()).isEqualTo("second");
    IdleReason idle = nothing(store.claimNext(bob, null));
    assertThat(idle.blockedCount()).isEqualTo(1);
    assertThat(idle.blocked()).containsOnlyKeys("last");
    assertThat(idle.blocked().get("last")).containsExactlyInAnyOrder("first", "second");
    assertThat(idle.describe()).contains("1 pending wait for").contains("first");

    store.complete("first", first.token(), Outcome.DONE, "r");
    nothing(store.claimNext(bob, null));
    assertThat(store.get("last").blockedBy()).containsExactly("second");

    store.complete("second", second.token(), Outcome.DONE, "r");
    assertThat(store.get("last").blockedBy()).isEmpty();
    assertThat(claimed(store.claimNext(bob, null)).task().id()).isEqualTo("last");
  }

  @Test
  void a_task_after_a_failed_task_stays_blocked() {
    store.enqueue(spec("base").maxAttempts(1).build());
    store.enqueue(spec("dependent").after("base").build());
    Claim c = claimed(store.claimNext(alice, null));

    store.complete("base", c.token(), Outcome.FAILED, "could not");

    IdleReason idle = nothing(store.claimNext(alice, null));
    assertThat(idle.blockedCount()).isEqualTo(1);
    assertThat(store.get("dependent").blockedBy()).containsExactly("base");
  }

  @Test
  void a_blocked_task_is_shown_blocked_in_list() {
    store.enqueue(spec("base").build());
    store.enqueue(spec("dependent").after("base").build());

    QueuePage page = store.list(all());

    assertThat(page.blocked()).isEqualTo(1);
    assertThat(page.count(TaskState.PENDING)).isEqualTo(2);
    assertThat(row(page, "dependent").blockedBy()).containsExactly("base");
    assertThat(row(page, "base").blockedBy()).isEmpty();
  }

  @Test
  void a_task_waiting_for_a_failed_task_is_stuck_and_workers_are_told_not_to_wait() {
    store.enqueue(List.of(spec("audit").build(), spec("report").after("audit").build()));
    Claim a = claimed(store.claimNext(alice, null));
    store.complete("audit", a.token(), Outcome.FAILED, "could not read the schema");

    IdleReason idle = nothing(store.claimNext(bob, null));

    String why = "waits for audit, which failed: requeue audit or cancel report";
    assertThat(idle.stuck()).containsExactly(Map.entry("report", why));
    assertThat(idle.stuckCount()).isEqualTo(1);
    assertThat(idle.worthWaiting()).isFalse();
    assertThat(idle.describe()).contains("report " + why);
    assertThat(row(store.list(all()), "report").stuck()).isEqualTo(why);
    assertThat(store.get("report").stuck()).isEqualTo(why);
    assertThat(store.get("report").blockedBy()).containsExactly("audit");
  }

  @Test
  void a_task_waiting_through_others_for_a_cancelled_task_names_the_cancelled_one() {
    store.enqueue(
        List.of(
            spec("audit").build(),
            spec("mid").after("audit").build(),
            spec("report").after("mid").build(),
            spec("side").build()));
    store.cancel("audit", "alice", "not needed");
    Claim side = claimed(store.claimNext(bob, null));

    IdleReason idle = nothing(store.claimNext(carol, null));

    assertThat(idle.stuck())
        .containsEntry(
            "report",
            "waits for mid, which waits for audit, which was cancelled: requeue audit or cancel"
                + " report")
        .containsEntry("mid", "waits for audit, which was cancelled: requeue audit or cancel mid");
    assertThat(idle.worthWaiting()).as("side is in progress").isTrue();
    store.complete("side", side.token(), Outcome.DONE, "r");
    assertThat(nothing(store.claimNext(carol, null)).worthWaiting()).isFalse();
  }

  @Test
  void requeueing_the_failed_dependency_unsticks_its_dependents() {
    store.enqueue(List.of(spec("audit").build(), spec("report").after("audit").build()));
    Claim a = claimed(store.claimNext(alice, null));
    store.complete("audit", a.token(), Outcome.FAILED, "flaky");

    store.requeue("audit");

    assertThat(row(store.list(all()), "report").stuck()).isNull();
    assertThat(claimed(store.claimNext(bob, null)).task().id()).isEqualTo("audit");
    IdleReason idle = nothing(store.claimNext(carol, null));
    assertThat(idle.stuckCount()).isZero();
    assertThat(idle.worthWaiting()).isTrue();
  }

  @Test
  void a_fan_in_claim_carries_each_upstream_result_s_first_lines_within_a_bound() {
    store.enqueue(
        List.of(
            spec("audit-ui").title("Audit the UI").build(),
            spec("audit-db").title("Audit the DB").build(),
            spec("report").after("audit-ui", "audit-db").priority(-1).build()));
    StringBuilder longResult = new StringBuilder();
    for (int i = 1; i <= 200; i++) {
      longResult.append("finding ").append(i).append(": ").append("x".repeat(40)).append('\n');
    }
    for (int i = 0; i < 2; i++) {
      Claim c = claimed(store.claimNext(alice, null));
      String result =
          c.task().id().equals("audit-ui") ? "3 components fetch in render" : longResult.toString();
      store.complete(c.task().id(), c.token(), Outcome.DONE, result);
    }

    Claim report = claimed(store.claimNext(bob, null));

    assertThat(report.task().id()).isEqualTo("report");
    assertThat(report.upstream()).extracting(u -> u.id()).containsExactly("audit-ui", "audit-db");
    var first = report.upstream().get(0);
    assertThat(first.title()).isEqualTo("Audit the UI");
    assertThat(first.outcome()).isEqualTo(Outcome.DONE);
    assertThat(first.excerpt()).isEqualTo("3 components fetch in render");
    assertThat(first.cut()).isFalse();
    var second = report.upstream().get(1);
    assertThat(second.cut()).isTrue();
    assertThat(second.excerpt()).startsWith("finding 1: ").doesNotContain("finding 21:");
    assertThat(second.excerpt().length()).isLessThanOrEqualTo(1_500);
    assertThat(longResult.toString()).startsWith(second.excerpt());
  }

  @Test
  void the_upstream_results_of_a_wide_fan_in_stay_within_the_total_bound() {
    List<NewTask> batch = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ids.add("part-" + i);
      batch.add(spec("part-" + i).build());
    }
    batch.add(spec("sum").after(ids.toArray(String[]::new)).priority(-1).build());
    store.enqueue(batch);
    for (int i = 0; i < 12; i++) {
      Claim c = claimed(store.claimNext(alice, null));
      store.complete(c.task().id(), c.token(), Outcome.DONE, ("line of " + i + "\n").repeat(200));
    }

    Claim sum = claimed(store.claimNext(bob, null));

    assertThat(sum.upstream()).hasSize(12);
    assertThat(sum.upstream().stream().mapToInt(u -> u.excerpt().length()).sum())
        .isLessThanOrEqualTo(8_000);
    assertThat(sum.upstream()).allMatch(u -> u.cut());
  }

  // ---------------------------------------------------------------- lanes

  @Test
  void a_lane_claim_takes_only_that_lane_and_no_lane_takes_any() {
    store.enqueue(spec("web-1").lane("web").priority(10).build());
    store.enqueue(spec("db-1").lane("db").build());
    store.enqueue(spec("plain").priority(-10).build());

    assertThat(claimed(store.claimNext(alice, "db")).task().id()).isEqualTo("db-1");
    nothing(store.claimNext(alice, "db"));
    assertThat(claimed(store.claimNext(alice, null)).task().id()).isEqualTo("web-1");
    assertThat(claimed(store.claimNext(alice, null)).task().id()).isEqualTo("plain");
  }

  @Test
  void nothing_in_a_lane_reports_blocked_in_progress_and_other_lanes() {
    store.enqueue(spec("a").lane("web").build());
    store.enqueue(spec("b").lane("web").after("a").build());
    store.enqueue(spec("c").lane("db").build());
    claimed(store.claimNext(alice, "web"));

    IdleReason r = nothing(store.claimNext(bob, "web"));

    assertThat(r.lane()).isEqualTo("web");
    assertThat(r.pendingInLane()).isEqualTo(1);
    assertThat(r.pendingOtherLanes()).isEqualTo(1);
    assertThat(r.blockedCount()).isEqualTo(1);
    assertThat(r.blocked()).isEqualTo(Map.of("b", List.of("a")));
    assertThat(r.inProgress()).isEqualTo(1);
    assertThat(r.unreadable()).isZero();
    assertThat(r.describe())
        .startsWith("lane web: ")
        .contains("1 pending wait for a")
        .contains("1 in progress")
        .contains("1 claimable in other lanes");
  }

  @Test
  void a_malformed_lane_in_claim_is_refused_naming_lane() {
    store.enqueue(spec("a").build());
    Snapshot before = snapshot();

    TaskqException e =
        failure(() -> store.claimNext(alice, "Not A Lane/.."), ErrorCode.INVALID_ARGUMENT);

    assertThat(e.field()).isEqualTo("lane");
    assertThat(snapshot()).isEqualTo(before);
  }

  // ---------------------------------------------------------------- checkpoints

  @Test
  void checkpoints_are_numbered_from_one_and_renew_the_lease() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    clock.advance(Duration.ofMinutes(10));

    Checkpoint one =
        store.writeCheckpoint(
            new CheckpointRequest(
                "a", c.token(), "Scanned src/db", new Progress(60, 180), "3 issues", "payment.js"));
    clock.advance(Duration.ofMinutes(1));
    Checkpoint two = store.writeCheckpoint(checkpoint("a", c.token(), "More", 90));

    assertThat(one.n()).isEqualTo(1);
    assertThat(one.taskId()).isEqualTo("a");
    assertThat(one.attempt()).isEqualTo(1);
    assertThat(one.at()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    assertThat(one.summary()).isEqualTo("Scanned src/db");
    assertThat(one.progress()).isEqualTo(new Progress(60, 180));
    assertThat(one.findings()).isEqualTo("3 issues");
    assertThat(one.next()).isEqualTo("payment.js");
    assertThat(two.n()).isEqualTo(2);
    TaskDetail d = store.get("a");
    assertThat(d.task().checkpoints()).isEqualTo(2);
    assertThat(d.task().progress()).isEqualTo(new Progress(90, 180));
    assertThat(d.checkpoints()).extracting(Checkpoint::n).containsExactly(1, 2);
    assertThat(d.checkpoints().get(0)).isEqualTo(one);
    assertThat(d.task().lease().until()).isEqualTo(clock.instant().plus(LEASE));
    assertThat(linesWith("CHECKPOINT", "a").get(0)).contains("#1").contains("60/180");

    clock.advance(Duration.ofMinutes(10)); // 21 minutes after the claim, 10 after the renewal
    nothing(store.claimNext(bob, null));
  }

  @Test
  void concurrent_checkpoints_through_two_instances_lose_no_update() throws Exception {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    TaskStore second = openAnotherStore();
    List<Integer> numbers = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        TaskStore via = w % 2 == 0 ? store : second;
        int worker = w;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 10; i++) {
                    numbers.add(
                        via.writeCheckpoint(checkpoint("a", c.token(), "w" + worker + " " + i, i))
                            .n());
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(numbers).hasSize(40).doesNotHaveDuplicates().allMatch(n -> n >= 1 && n <= 40);
    TaskDetail d = store.get("a");
    assertThat(d.task().checkpoints()).isEqualTo(40);
    assertThat(d.checkpoints())
        .extracting(Checkpoint::n)
        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 40).boxed().toList());
  }

  @Test
  void checkpoint_numbers_keep_growing_across_attempts() {
    store.enqueue(spec("a").build());
    Claim first = claimed(store.claimNext(alice, null));
    store.writeCheckpoint(checkpoint("a", first.token(), "one", 10));
    store.writeCheckpoint(checkpoint("a", first.token(), "two", 20));
    store.complete("a", first.token(), Outcome.RELEASED, null);

    Claim second = claimed(store.claimNext(bob, null));
    Checkpoint third = store.writeCheckpoint(checkpoint("a", second.token(), "three", 30));

    assertThat(third.n()).isEqualTo(3);
    assertThat(store.get("a").checkpoints()).extracting(Checkpoint::n).containsExactly(1, 2, 3);
  }

  @Test
  void list_shows_progress_holder_attempt_and_lease_left() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    store.writeCheckpoint(checkpoint("a", c.token(), "s", 60));
    clock.advance(Duration.ofMinutes(5));

    TaskRow r = row(store.list(all()), "a");

    assertThat(r.state()).isEqualTo(TaskState.IN_PROGRESS);
    assertThat(r.title()).isEqualTo("Title of a");
    assertThat(r.holder()).isEqualTo(alice.label());
    assertThat(r.attempt()).isEqualTo(1);
    assertThat(r.maxAttempts()).isEqualTo(3);
    assertThat(r.progress()).isEqualTo(new Progress(60, 180));
    assertThat(r.leaseLeft()).isEqualTo(Duration.ofMinutes(10));
    assertThat(r.problem()).isNull();
  }

  // ---------------------------------------------------------------- log

  @Test
  void append_log_writes_one_timestamped_line_and_a_token_renews_the_lease() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    clock.advance(Duration.ofMinutes(10));

    String line = store.appendLog("halfway\nthrough", "a", c.token());

    Matcher m = LOG_LINE.matcher(line);
    assertThat(m.matches()).as(line).isTrue();
    assertThat(Instant.parse(m.group(1))).isEqualTo(clock.instant());
    assertThat(m.group(2)).isEqualTo("LOG");
    assertThat(m.group(3)).isEqualTo("a");
    assertThat(m.group(4)).isEqualTo("halfway ⏎ through");
    assertThat(store.tailLog(1)).containsExactly(line);
    assertThat(store.get("a").task().lease().until()).isEqualTo(clock.instant().plus(LEASE));
  }

  @Test
  void append_log_without_id_or_without_token_is_a_plain_note() {
    store.enqueue(spec("a").build());

    String general = store.appendLog("starting the sweep", null, null);
    String note = store.appendLog("looked at this", "a", null);

    assertThat(general).matches(LOG_LINE).endsWith(" LOG: - starting the sweep");
    assertThat(note).matches(LOG_LINE).endsWith(" LOG: a looked at this");
    assertThat(store.get("a").task().state()).isEqualTo(TaskState.PENDING);
  }

  @Test
  void tail_log_returns_the_last_lines_oldest_first() {
    for (int i = 1; i <= 5; i++) {
      store.appendLog("note-" + i, null, null);
    }

    List<String> tail = store.tailLog(3);

    assertThat(tail).hasSize(3);
    assertThat(tail.get(0)).endsWith("note-3");
    assertThat(tail.get(2)).endsWith("note-5");
    assertThat(openAnotherStore().tailLog(100))
        .hasSize(5)
        .allMatch(l -> LOG_LINE.matcher(l).matches());
  }

  @Test
  void bad_log_messages_are_refused_naming_the_field() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    Snapshot before = snapshot();

    TaskqException blank =
        failure(() -> store.appendLog("  ", "a", c.token()), ErrorCode.INVALID_ARGUMENT);
    TaskqException huge =
        failure(
            () -> store.appendLog("x".repeat(Limits.LOG_MESSAGE_MAX + 1), "a", c.token()),
            ErrorCode.INVALID_ARGUMENT);
    TaskqException badId =
        failure(() -> store.appendLog("hi", "../etc", null), ErrorCode.INVALID_ARGUMENT);

    assertThat(blank.field()).isEqualTo("message");
    assertThat(huge.field()).isEqualTo("message");
    assertThat(badId.field()).isEqualTo("id");
    assertThat(snapshot()).isEqualTo(before);
  }

  // ---------------------------------------------------------------- complete

  @Test
  void done_moves_the_task_to_completed_with_its_result_and_one_done_line() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    clock.advance(Duration.ofMinutes(3));

    Task t = store.complete("a", c.token(), Outcome.DONE, "All 12 queries listed.");

    assertThat(t.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(t.outcome()).isEqualTo(Outcome.DONE);
    assertThat(t.finished()).isEqualTo(clock.instant());
    assertThat(t.result()).isEqualTo("All 12 queries listed.");
    assertThat(t.lease()).isNull();
    assertThat(store.get("a").task()).isEqualTo(t);
    assertThat(doneLines("a")).singleElement().asString().matches(".* DONE: a — Title of a$");
    QueuePage page = store.list(all());
    assertThat(page.count(TaskState.COMPLETED)).isEqualTo(1);
    assertThat(page.count(TaskState.IN_PROGRESS)).isZero();
  }

  @Test
  void failed_moves_the_task_to_failed_with_a_failed_line() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));

    Task t = store.complete("a", c.token(), Outcome.FAILED, "src/db does not exist");

    assertThat(t.state()).isEqualTo(TaskState.FAILED);
    assertThat(t.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(t.result()).isEqualTo("src/db does not exist");
    assertThat(store.get("a").task().state()).isEqualTo(TaskState.FAILED);
    assertThat(linesWith("FAILED", "a")).hasSize(1);
    assertThat(doneLines("a")).isEmpty();
    nothing(store.claimNext(bob, null));
  }

  @Test
  void release_returns_the_task_without_using_an_attempt_and_keeps_checkpoints() {
    store.enqueue(spec("a").maxAttempts(1).build());
    Claim c = claimed(store.claimNext(alice, null));
    store.writeCheckpoint(checkpoint("a", c.token(), "got through half", 90));

    Task released = store.complete("a", c.token(), Outcome.RELEASED, null);

    assertThat(released.state()).isEqualTo(TaskState.PENDING);
    assertThat(released.attempt()).isZero();
    assertThat(released.checkpoints()).isEqualTo(1);
    assertThat(linesWith("RELEASED", "a")).hasSize(1);
    Claim again = claimed(store.claimNext(bob, null));
    assertThat(again.attempt()).isEqualTo(1);
    assertThat(again.resume()).isNotNull();
    assertThat(again.resume().latest().summary()).isEqualTo("got through half");
    assertThat(store.get("a").checkpoints()).hasSize(1);
  }

  @Test
  void a_result_over_the_limit_is_refused_and_the_claim_stays() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    Snapshot before = snapshot();

    TaskqException e =
        failure(
            () -> store.complete("a", c.token(), Outcome.DONE, "r".repeat(Limits.RESULT_MAX + 1)),
            ErrorCode.INVALID_ARGUMENT);

    assertThat(e.field()).isEqualTo("result");
    assertThat(snapshot()).isEqualTo(before);
    store.complete("a", c.token(), Outcome.DONE, "short");
    assertThat(doneLines("a")).hasSize(1);
  }

  @Test
  void operations_on_an_unknown_task_are_not_found() {
    failure(() -> store.get("ghost"), ErrorCode.NOT_FOUND);
    failure(() -> store.complete("ghost", "tok", Outcome.DONE, "r"), ErrorCode.NOT_FOUND);
    failure(() -> store.writeCheckpoint(checkpoint("ghost", "tok", "s", 1)), ErrorCode.NOT_FOUND);
    failure(() -> store.requeue("ghost"), ErrorCode.NOT_FOUND);
    failure(() -> store.forceRelease("ghost"), ErrorCode.NOT_FOUND);
    failure(() -> store.appendLog("a note", "ghost", null), ErrorCode.NOT_FOUND);
    assertThat(store.tailLog(10)).isEmpty();
  }

  // ---------------------------------------------------------------- leases

  @Test
  void a_lease_holds_until_it_runs_out() {
    store.enqueue(spec("a").build());
    claimed(store.claimNext(alice, null));

    clock.advance(LEASE.minusSeconds(1));

    assertThat(nothing(store.claimNext(bob, null)).inProgress()).isEqualTo(1);
  }

  @Test
  void an_expired_lease_makes_the_task_claimable_with_the_next_attempt_and_a_resume_packet() {
    store.enqueue(spec("a").build());
    Claim first = claimed(store.claimNext(alice, null));
    store.writeCheckpoint(checkpoint("a", first.token(), "first pass", 30));
    store.writeCheckpoint(checkpoint("a", first.token(), "second pass", 60));
    store.appendLog("stuck on payment.js", "a", first.token());
    store.enqueue(spec("noise").priority(-1).build());
    store.appendLog("unrelated", "noise", null);

    clock.advance(LEASE.plusMinutes(1));
    Claim second = claimed(store.claimNext(bob, null));

    assertThat(second.task().id()).isEqualTo("a");
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.token()).isNotEqualTo(first.token());
    assertThat(second.leaseUntil()).isEqualTo(clock.instant().plus(LEASE));
    ResumePacket resume = second.resume();
    assertThat(resume).isNotNull();
    assertThat(resume.latest().n()).isEqualTo(2);
    assertThat(resume.latest().summary()).isEqualTo("second pass");
    assertThat(resume.latest().progress()).isEqualTo(new Progress(60, 180));
    assertThat(resume.recentLog()).anyMatch(l -> l.endsWith("stuck on payment.js"));
    assertThat(resume.recentLog()).noneMatch(l -> l.contains("unrelated"));
    assertThat(linesWith("EXPIRED", "a"))
        .singleElement()
        .asString()
        .contains("attempt 1/3")
        .contains("lease ran out");
  }

  @Test
  void a_resume_packet_holds_the_last_ten_log_lines_of_the_task() {
    store.enqueue(spec("a").build());
    Claim first = claimed(store.claimNext(alice, null));
    for (int i = 1; i <= 15; i++) {
      store.appendLog(String.format("note-%02d", i), "a", first.token());
    }

    clock.advance(LEASE.plusMinutes(1));
    Claim second = claimed(store.claimNext(bob, null));

    List<String> recent = second.resume().recentLog();
    assertThat(recent).hasSize(10).allMatch(l -> l.contains(" a "));
    assertThat(recent).anyMatch(l -> l.endsWith("note-15"));
    assertThat(recent).noneMatch(l -> l.endsWith("note-05"));
  }

  @Test
  void a_token_whose_lease_ran_out_still_works_while_nobody_reclaimed_the_task() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    clock.advance(LEASE.plusMinutes(5));

    Checkpoint cp = store.writeCheckpoint(checkpoint("a", c.token(), "late but alive", 50));

    assertThat(cp.n()).isEqualTo(1);
    assertThat(store.get("a").task().lease().until()).isEqualTo(clock.instant().plus(LEASE));
    nothing(store.claimNext(bob, null));
    clock.advance(LEASE.plusMinutes(5));
    store.appendLog("still here", "a", c.token());
    clock.advance(LEASE.plusMinutes(5));
    Task done = store.complete("a", c.token(), Outcome.DONE, "finished late");
    assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(doneLines("a")).hasSize(1);
  }

  @Test
  void a_status_view_after_the_lease_ran_out_leaves_the_token_working_until_someone_claims() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    clock.advance(LEASE.plusMinutes(1));

    store.list(all());
    store.get("a");
    openAnotherStore().list(all());
    Task done = store.complete("a", c.token(), Outcome.DONE, "finished after its lease");

    assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(linesWith("EXPIRED", "a")).isEmpty();
    assertThat(doneLines("a")).hasSize(1);
  }

  @Test
  void after_max_attempts_an_expired_task_moves_to_failed_with_a_log_line() {
    store.enqueue(spec("a").maxAttempts(2).build());
    claimed(store.claimNext(alice, null));
    clock.advance(LEASE.plusMinutes(1));
    Claim second = claimed(store.claimNext(bob, null));
    assertThat(second.attempt()).isEqualTo(2);
    clock.advance(LEASE.plusMinutes(1));

    IdleReason idle = nothing(store.claimNext(carol, null));

    assertThat(idle.inProgress()).isZero();
    Task t = store.get("a").task();
    assertThat(t.state()).isEqualTo(TaskState.FAILED);
    assertThat(t.attempt()).isEqualTo(2);
    assertThat(t.reason()).contains("max attempts reached");
    assertThat(store.tailLog(100))
        .anyMatch(l -> l.contains("FAILED: a ") && l.contains("max attempts"));
    assertThat(store.list(all()).count(TaskState.FAILED)).isEqualTo(1);
  }

  @Test
  void list_and_get_show_an_expired_claim_as_in_progress_with_its_lease_expired() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    clock.advance(LEASE.plusMinutes(1));

    QueuePage page = store.list(all());

    assertThat(page.count(TaskState.IN_PROGRESS)).isEqualTo(1);
    assertThat(page.count(TaskState.PENDING)).isZero();
    TaskRow r = row(page, "a");
    assertThat(r.state()).isEqualTo(TaskState.IN_PROGRESS);
    assertThat(r.claimEnded()).isEqualTo("lease expired");
    assertThat(r.leaseLeft()).isEqualTo(Duration.ZERO);
    Task t = store.get("a").task();
    assertThat(t.state()).isEqualTo(TaskState.IN_PROGRESS);
    assertThat(t.attempt()).isEqualTo(1);
    assertThat(t.lease().token()).isEqualTo(c.token());
  }

  @Test
  void a_renewal_after_the_lease_ran_out_makes_the_claim_live_again() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    clock.advance(LEASE.plusMinutes(1));

    store.appendLog("back from a rate limit", "a", c.token());

    assertThat(row(store.list(all()), "a").claimEnded()).isNull();
    assertThat(nothing(store.claimNext(bob, null)).inProgress()).isEqualTo(1);
  }

  @Test
  void the_claim_that_takes_an_expired_task_fences_the_old_token() {
    store.enqueue(spec("a").build());
    Claim first = claimed(store.claimNext(alice, null));
    clock.advance(LEASE.plusMinutes(1));
    store.list(all());

    Claim second = claimed(store.claimNext(bob, null));

    assertThat(second.attempt()).isEqualTo(2);
    assertThat(linesWith("EXPIRED", "a")).singleElement().asString().contains("lease ran out");
    TaskqException e =
        failure(
            () -> store.complete("a", first.token(), Outcome.DONE, "too late"), ErrorCode.FENCED);
    assertThat(e.getMessage()).contains("attempt 2").contains(bob.label());
    assertThat(row(store.list(all()), "a").claimEnded()).isNull();
  }

  @Test
  void an_expired_claim_is_taken_in_claim_order_among_pending_tasks() {
    store.enqueue(List.of(spec("low").priority(1).build(), spec("high").priority(5).build()));
    Claim high = claimed(store.claimNext(alice, null));
    assertThat(high.task().id()).isEqualTo("high");
    clock.advance(LEASE.plusMinutes(1));

    Claim next = claimed(store.claimNext(bob, null));

    assertThat(next.task().id()).isEqualTo("high");
    assertThat(next.attempt()).isEqualTo(2);
  }

  @Test
  void a_late_done_on_the_last_attempt_is_kept_when_nobody_claimed_the_task_since() {
    store.enqueue(spec("a").maxAttempts(1).build());
    Claim c = claimed(store.claimNext(alice, null));
    clock.advance(LEASE.plusMinutes(1));
    nothing(store.claimNext(bob, null));
    assertThat(store.get("a").task().state()).isEqualTo(TaskState.FAILED);

    Task done = store.complete("a", c.token(), Outcome.DONE, "the complete audit");

    assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(done.result()).isEqualTo("the complete audit");
    assertThat(store.get("a").task().result()).isEqualTo("the complete audit");
    assertThat(doneLines("a")).singleElement().asString().contains("late");
    failure(() -> store.complete("a", c.token(), Outcome.DONE, "again"), ErrorCode.FENCED);
  }

  @Test
  void a_late_done_after_someone_else_claimed_the_task_says_the_result_was_not_stored() {
    store.enqueue(spec("a").maxAttempts(1).build());
    Claim c = claimed(store.claimNext(alice, null));
    clock.advance(LEASE.plusMinutes(1));
    nothing(store.claimNext(bob, null));
    store.requeue("a");
    claimed(store.claimNext(bob, null));

    TaskqException e =
        failure(
            () -> store.complete("a", c.token(), Outcome.DONE, "the complete audit"),
            ErrorCode.FENCED);

    assertThat(e.getMessage()).contains("NOT stored").contains("append_log");
    assertThat(store.get("a").task().result()).isNull();
  }

  @Test
  void the_last_holder_of_a_failed_task_may_only_finish_it_not_checkpoint_or_fail_it() {
    store.enqueue(spec("a").maxAttempts(1).build());
    Claim c = claimed(store.claimNext(alice, null));
    clock.advance(LEASE.plusMinutes(1));
    nothing(store.claimNext(bob, null));

    failure(() -> store.writeCheckpoint(checkpoint("a", c.token(), "late", 1)), ErrorCode.FENCED);
    failure(() -> store.complete("a", c.token(), Outcome.FAILED, "gave up"), ErrorCode.FENCED);
    failure(() -> store.complete("a", c.token(), Outcome.RELEASED, null), ErrorCode.FENCED);
    assertThat(store.get("a").task().state()).isEqualTo(TaskState.FAILED);
    assertThat(row(store.list(all()), "a").holder()).as("no live holder").isNull();
  }

  // ---------------------------------------------------------------- holder gone

  @Test
  void a_claim_whose_holder_process_exited_is_taken_back_at_once() throws Exception {
    Holder ghost = goneHolder();
    store.enqueue(spec("a").build());
    Claim lost = claimed(store.claimNext(ghost, null));
    store.writeCheckpoint(checkpoint("a", lost.token(), "saved before dying", 40));

    Claim back = claimed(store.claimNext(ProcessIdentity.current("live"), null));

    assertThat(back.task().id()).isEqualTo("a");
    assertThat(back.attempt()).isEqualTo(2);
    assertThat(back.resume().latest().summary()).isEqualTo("saved before dying");
    assertThat(linesWith("EXPIRED", "a"))
        .singleElement()
        .asString()
        .contains("holder process gone");
    failure(() -> store.complete("a", lost.token(), Outcome.DONE, "r"), ErrorCode.FENCED);
  }

  @Test
  void a_view_shows_a_claim_whose_holder_is_gone_without_ending_it() throws Exception {
    Holder ghost = goneHolder();
    store.enqueue(spec("a").build());
    Claim lost = claimed(store.claimNext(ghost, null));

    TaskRow r = row(store.list(all()), "a");

    assertThat(r.claimEnded()).isEqualTo("holder process gone");
    assertThat(store.get("a").task().lease().token()).isEqualTo(lost.token());
    assertThat(linesWith("EXPIRED", "a")).isEmpty();
  }

  @Test
  void a_holder_gone_on_the_last_attempt_fails_the_task() throws Exception {
    Holder ghost = goneHolder();
    store.enqueue(spec("a").maxAttempts(1).build());
    claimed(store.claimNext(ghost, null));

    nothing(store.claimNext(bob, null));

    Task t = store.get("a").task();
    assertThat(t.state()).isEqualTo(TaskState.FAILED);
    assertThat(t.reason()).contains("max attempts reached").contains("holder process gone");
  }

  @Test
  void a_reused_pid_with_another_start_time_counts_as_gone() {
    ProcessHandle self = ProcessHandle.current();
    long realStart = self.info().startInstant().orElseThrow().toEpochMilli();
    Holder impostor = new Holder("old", ProcessIdentity.host(), self.pid(), realStart - 60_000);
    store.enqueue(spec("a").build());
    claimed(store.claimNext(impostor, null));

    Claim back = claimed(store.claimNext(bob, null));

    assertThat(back.attempt()).isEqualTo(2);
  }

  @Test
  void a_live_holder_on_this_host_keeps_its_claim() {
    store.enqueue(spec("a").build());
    claimed(store.claimNext(ProcessIdentity.current("me"), null));

    assertThat(nothing(store.claimNext(bob, null)).inProgress()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- liveness and progress

  @Test
  void a_heartbeat_renews_the_holders_live_claims_for_a_lease_without_a_log_line() {
    store.enqueue(List.of(spec("a").build(), spec("b").build()));
    claimed(store.claimNext(alice, null));
    claimed(store.claimNext(bob, null));
    List<String> logBefore = store.tailLog(1000);
    clock.advance(Duration.ofMinutes(10));

    List<Task> renewed = store.heartbeat(alice);

    assertThat(renewed).extracting(Task::id).containsExactly("a");
    assertThat(store.get("a").task().lease().until()).isEqualTo(clock.instant().plus(LEASE));
    assertThat(store.get("b").task().lease().until()).isEqualTo(T0.plus(LEASE));
    assertThat(store.tailLog(1000)).isEqualTo(logBefore);
    clock.advance(Duration.ofMinutes(10));
    assertThat(claimed(store.claimNext(carol, null)).task().id()).isEqualTo("b");
    assertThat(nothing(store.claimNext(carol, null)).inProgress()).isEqualTo(2);
  }

  @Test
  void heartbeats_never_keep_a_claim_past_its_progress_deadline() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofMinutes(10));
      store.heartbeat(alice);
    }
    // 50 minutes of heartbeats and no checkpoint: the lease stopped at claim + 45 minutes.
    assertThat(store.get("a").task().lease().until()).isEqualTo(T0.plus(PROGRESS_DEADLINE));
    assertThat(store.heartbeat(alice)).isEmpty();

    Claim next = claimed(store.claimNext(bob, null));

    assertThat(next.attempt()).isEqualTo(2);
    assertThat(linesWith("EXPIRED", "a")).singleElement().asString().contains("lease ran out");
    failure(() -> store.appendLog("still here", "a", c.token()), ErrorCode.FENCED);
  }

  @Test
  void a_checkpoint_restarts_the_progress_deadline_and_heartbeats_carry_the_claim_past_it() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    clock.advance(Duration.ofMinutes(10));
    store.heartbeat(alice);
    clock.advance(Duration.ofMinutes(10));
    store.writeCheckpoint(checkpoint("a", c.token(), "halfway", 90));
    Instant checkpointed = clock.instant();
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofMinutes(10));
      store.heartbeat(alice);
    }

    // 60 minutes after the claim, 40 after the checkpoint: still held.
    assertThat(nothing(store.claimNext(bob, null)).inProgress()).isEqualTo(1);
    assertThat(store.get("a").task().lease().until())
        .isEqualTo(checkpointed.plus(PROGRESS_DEADLINE));
    assertThat(store.get("a").task().lease().progressAt()).isEqualTo(checkpointed);
    assertThat(openAnotherStore().get("a").task().lease().progressAt()).isEqualTo(checkpointed);
  }

  @Test
  void log_lines_with_the_token_keep_a_claim_alive_but_not_past_its_progress_deadline() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofMinutes(10));
      store.appendLog("still reading " + i, "a", c.token());
    }

    assertThat(store.get("a").task().lease().until()).isEqualTo(T0.plus(PROGRESS_DEADLINE));
    assertThat(claimed(store.claimNext(bob, null)).attempt()).isEqualTo(2);
  }

  @Test
  void a_heartbeat_brings_back_a_lapsed_claim_nobody_took_but_not_one_someone_took() {
    store.enqueue(List.of(spec("a").build(), spec("b").build()));
    claimed(store.claimNext(alice, null));
    claimed(store.claimNext(alice, null));
    clock.advance(LEASE.plusSeconds(1));
    assertThat(claimed(store.claimNext(bob, null)).task().id()).isEqualTo("a");

    List<Task> renewed = store.heartbeat(alice);

    assertThat(renewed).extracting(Task::id).containsExactly("b");
    assertThat(row(store.list(all()), "b").claimEnded()).isNull();
    assertThat(store.get("a").task().lease().holder()).isEqualTo(bob);
    assertThat(nothing(store.claimNext(carol, null)).inProgress()).isEqualTo(2);
  }

  @Test
  void a_heartbeat_without_a_holder_is_refused_naming_holder() {
    assertThat(failure(() -> store.heartbeat(null), ErrorCode.INVALID_ARGUMENT).field())
        .isEqualTo("holder");
  }

  @Test
  void a_resumed_session_takes_back_its_claim_whose_holder_process_is_gone() throws Exception {
    Holder ghost = goneHolder();
    store.enqueue(spec("a").build());
    Claim lost = claimed(store.claimNext(ghost, null));
    store.writeCheckpoint(checkpoint("a", lost.token(), "saved before the crash", 40));
    store.enqueue(spec("other").priority(5).build());
    assertThat(claimed(store.claimNext(bob, null)).task().id()).isEqualTo("other");
    Holder resumed = ProcessIdentity.current(ghost.session());
    clock.advance(Duration.ofMinutes(1));

    List<Task> taken = store.resumeSession(ghost.session(), resumed);

    assertThat(taken).extracting(Task::id).containsExactly("a");
    Task t = store.get("a").task();
    assertThat(t.state()).isEqualTo(TaskState.IN_PROGRESS);
    assertThat(t.attempt()).isEqualTo(1);
    assertThat(t.lease().token()).isEqualTo(lost.token());
    assertThat(t.lease().holder()).isEqualTo(resumed);
    assertThat(t.lease().until()).isEqualTo(clock.instant().plus(LEASE));
    assertThat(row(store.list(all()), "a").claimEnded()).isNull();
    assertThat(linesWith("RESUMED", "a"))
        .singleElement()
        .asString()
        .contains("attempt 1/3")
        .contains(resumed.label())
        .contains(ghost.label());
    assertThat(nothing(store.claimNext(carol, null)).inProgress()).isEqualTo(2);
    assertThat(store.complete("a", lost.token(), Outcome.DONE, "finished after resuming").state())
        .isEqualTo(TaskState.COMPLETED);
  }

  @Test
  void a_resumed_session_s_claim_goes_to_the_resuming_server_whatever_session_id_it_started_with()
      throws Exception {
    Holder ghost = goneHolder();
    store.enqueue(spec("a").build());
    Claim lost = claimed(store.claimNext(ghost, null));
    Holder server = ProcessIdentity.current("a-fresh-session-id");

    assertThat(store.resumeSession(server.session(), server)).isEmpty();
    List<Task> taken = store.resumeSession(ghost.session(), server);

    assertThat(taken).extracting(Task::id).containsExactly("a");
    Task t = store.get("a").task();
    assertThat(t.lease().holder()).isEqualTo(server);
    assertThat(t.lease().token()).isEqualTo(lost.token());
    assertThat(linesWith("RESUMED", "a")).singleElement().asString().contains(server.label());
  }

  @Test
  void a_resumed_session_leaves_live_claims_and_other_sessions_claims_alone() {
    Holder sameSessionElsewhere = new Holder(alice.session(), "host-z.test", 9009, 99);
    store.enqueue(List.of(spec("a").build(), spec("b").build()));
    claimed(store.claimNext(alice, null));
    claimed(store.claimNext(bob, null));

    assertThat(store.resumeSession(alice.session(), sameSessionElsewhere)).isEmpty();

    clock.advance(LEASE.plusSeconds(1));
    assertThat(store.resumeSession(alice.session(), sameSessionElsewhere))
        .extracting(Task::id)
        .containsExactly("a");
    assertThat(store.get("b").task().lease().holder()).isEqualTo(bob);
    assertThat(store.resumeSession("", new Holder("", "host-z.test", 9009, 99))).isEmpty();
  }

  @Test
  void a_resumed_session_does_not_take_back_a_claim_someone_else_took_or_past_its_deadline() {
    store.enqueue(List.of(spec("taken").build(), spec("stale").priority(-1).build()));
    claimed(store.claimNext(alice, null));
    claimed(store.claimNext(alice, null));
    clock.advance(LEASE.plusSeconds(1));
    Claim other = claimed(store.claimNext(bob, null));
    assertThat(other.task().id()).isEqualTo("taken");
    clock.advance(PROGRESS_DEADLINE);

    assertThat(
            store.resumeSession(
                alice.session(), new Holder(alice.session(), "host-z.test", 9009, 99)))
        .isEmpty();
    assertThat(store.get("taken").task().lease().holder()).isEqualTo(bob);
    assertThat(linesWith("RESUMED", "stale")).isEmpty();
  }

  @Test
  void a_usage_limit_is_logged_naming_the_holder_and_the_task() {
    store.enqueue(List.of(spec("a").build(), spec("idle").build()));
    claimed(store.claimNext(alice, null));

    String line = store.noteUsageLimit("a", "You've hit your 5-hour limit · resets 6:24am (UTC)");

    assertThat(line)
        .matches(LOG_LINE)
        .contains(" LIMIT: a " + alice.label() + " hit a usage limit while holding a")
        .endsWith("(You've hit your 5-hour limit · resets 6:24am (UTC))");
    assertThat(store.tailLog(1)).containsExactly(line);
    assertThat(failure(() -> store.noteUsageLimit("idle", null), ErrorCode.CONFLICT).getMessage())
        .contains("pending");
    failure(() -> store.noteUsageLimit("nope", null), ErrorCode.NOT_FOUND);
  }

  @Test
  void release_all_held_by_releases_only_that_holders_claims_without_using_attempts() {
    store.enqueue(List.of(spec("a").build(), spec("b").build(), spec("c").build()));
    Claim a = claimed(store.claimNext(alice, null));
    Claim b = claimed(store.claimNext(alice, null));
    Claim c = claimed(store.claimNext(bob, null));

    int released = store.releaseAllHeldBy(alice);

    assertThat(released).isEqualTo(2);
    assertThat(store.get("a").task().state()).isEqualTo(TaskState.PENDING);
    assertThat(store.get("a").task().attempt()).isZero();
    assertThat(store.get("b").task().state()).isEqualTo(TaskState.PENDING);
    assertThat(store.get("c").task().lease().token()).isEqualTo(c.token());
    failure(() -> store.complete("a", a.token(), Outcome.DONE, "r"), ErrorCode.FENCED);
    failure(() -> store.complete("b", b.token(), Outcome.DONE, "r"), ErrorCode.FENCED);
    assertThat(store.releaseAllHeldBy(alice)).isZero();
  }

  // ---------------------------------------------------------------- fencing

  @Test
  void a_holder_is_fenced_everywhere_once_another_attempt_reclaimed_the_task() {
    store.enqueue(spec("a").build());
    Claim first = claimed(store.claimNext(alice, null));
    clock.advance(LEASE.plusMinutes(1));
    Claim second = claimed(store.claimNext(bob, null));

    assertEveryHolderOperationFenced("a", first.token(), "attempt 2");

    assertThat(store.writeCheckpoint(checkpoint("a", second.token(), "mine now", 5)).n())
        .isEqualTo(1);
  }

  @Test
  void a_holder_is_fenced_everywhere_after_its_task_completed() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    store.complete("a", c.token(), Outcome.DONE, "result");

    assertEveryHolderOperationFenced("a", c.token(), "completed");

    assertThat(doneLines("a")).hasSize(1);
  }

  @Test
  void a_holder_is_fenced_everywhere_after_its_task_failed() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    store.complete("a", c.token(), Outcome.FAILED, "gave up");

    assertEveryHolderOperationFenced("a", c.token(), "failed");
  }

  @Test
  void a_holder_is_fenced_everywhere_after_it_released_the_task() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    store.complete("a", c.token(), Outcome.RELEASED, null);

    assertEveryHolderOperationFenced("a", c.token(), "pending", "released");
  }

  @Test
  void a_holder_is_fenced_everywhere_after_a_force_release() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));

    Task t = store.forceRelease("a");

    assertThat(t.state()).isEqualTo(TaskState.PENDING);
    assertThat(t.attempt()).isZero();
    assertEveryHolderOperationFenced("a", c.token(), "pending", "released");
  }

  @Test
  void a_wrong_token_is_fenced_and_the_right_one_still_works() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));

    assertEveryHolderOperationFenced("a", "not-the-token-1", "token", "attempt", "held");

    store.complete("a", c.token(), Outcome.DONE, "r");
    assertThat(doneLines("a")).hasSize(1);
  }

  @Test
  void a_token_of_another_task_is_fenced() {
    store.enqueue(List.of(spec("a").build(), spec("b").build()));
    Claim a = claimed(store.claimNext(alice, null));
    claimed(store.claimNext(bob, null));

    assertEveryHolderOperationFenced("b", a.token(), "token", "attempt", "held");
  }

  // ---------------------------------------------------------------- requeue / forceRelease

  @Test
  void requeue_gives_a_failed_task_fresh_attempts() {
    store.enqueue(spec("a").maxAttempts(1).build());
    Claim c = claimed(store.claimNext(alice, null));
    store.writeCheckpoint(checkpoint("a", c.token(), "partial", 10));
    store.complete("a", c.token(), Outcome.FAILED, "broke");

    Task t = store.requeue("a");

    assertThat(t.state()).isEqualTo(TaskState.PENDING);
    assertThat(t.attempt()).isZero();
    assertThat(linesWith("REQUEUED", "a")).hasSize(1);
    Claim again = claimed(store.claimNext(bob, null));
    assertThat(again.attempt()).isEqualTo(1);
    assertThat(again.resume().latest().summary()).isEqualTo("partial");
  }

  @Test
  void requeue_of_an_in_progress_task_fences_the_holder() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));

    Task t = store.requeue("a");

    assertThat(t.state()).isEqualTo(TaskState.PENDING);
    assertThat(t.attempt()).isZero();
    assertEveryHolderOperationFenced("a", c.token(), "pending", "requeued", "released");
  }

  @Test
  void requeue_of_a_completed_task_is_a_conflict_and_changes_nothing() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    store.complete("a", c.token(), Outcome.DONE, "r");
    Snapshot before = snapshot();

    failure(() -> store.requeue("a"), ErrorCode.CONFLICT);

    assertThat(snapshot()).isEqualTo(before);
    assertThat(doneLines("a")).hasSize(1);
  }

  @Test
  void force_release_of_a_task_nobody_holds_is_a_conflict() {
    store.enqueue(spec("a").build());
    Snapshot before = snapshot();

    failure(() -> store.forceRelease("a"), ErrorCode.CONFLICT);

    assertThat(snapshot()).isEqualTo(before);
  }

  // ---------------------------------------------------------------- cancel and priority

  @Test
  void a_cancelled_task_ends_in_failed_is_never_claimed_and_the_log_says_who_and_why() {
    store.enqueue(List.of(spec("a").priority(5).build(), spec("b").build()));

    Task t = store.cancel("a", "alice", "superseded by the v2 audit");

    assertThat(t.state()).isEqualTo(TaskState.FAILED);
    assertThat(t.outcome()).isEqualTo(Outcome.CANCELLED);
    assertThat(t.isCancelled()).isTrue();
    assertThat(t.reason()).isEqualTo("cancelled by alice: superseded by the v2 audit");
    assertThat(store.get("a").task().outcome()).isEqualTo(Outcome.CANCELLED);
    assertThat(claimed(store.claimNext(bob, null)).task().id()).isEqualTo("b");
    nothing(store.claimNext(carol, null));
    assertThat(linesWith("CANCELLED", "a"))
        .singleElement()
        .asString()
        .contains("by alice: superseded by the v2 audit");
  }

  @Test
  void cancelling_a_claimed_task_fences_its_holder_with_what_happened() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));

    store.cancel("a", "bob", null);

    TaskqException e =
        failure(
            () -> store.writeCheckpoint(checkpoint("a", c.token(), "still going", 1)),
            ErrorCode.FENCED);
    assertThat(e.getMessage()).contains("cancelled").contains("by bob");
    failure(() -> store.complete("a", c.token(), Outcome.DONE, "r"), ErrorCode.FENCED);
    assertThat(linesWith("CANCELLED", "a")).singleElement().asString().contains(alice.label());
  }

  @Test
  void a_completed_or_failed_task_cannot_be_cancelled_and_a_cancelled_one_can_be_requeued() {
    store.enqueue(List.of(spec("done").build(), spec("gone").build()));
    Claim d = claimed(store.claimNext(alice, null));
    store.complete(d.task().id(), d.token(), Outcome.DONE, "r");
    String other = d.task().id().equals("done") ? "gone" : "done";
    store.cancel(other, "alice", "no longer needed");

    failure(() -> store.cancel(d.task().id(), "alice", null), ErrorCode.CONFLICT);
    TaskqException again = failure(() -> store.cancel(other, "alice", null), ErrorCode.CONFLICT);
    assertThat(again.getMessage()).contains("already cancelled");
    failure(() -> store.cancel("no-such", "alice", null), ErrorCode.NOT_FOUND);

    Task back = store.requeue(other);
    assertThat(back.state()).isEqualTo(TaskState.PENDING);
    assertThat(back.outcome()).isNull();
    assertThat(claimed(store.claimNext(bob, null)).task().id()).isEqualTo(other);
  }

  @Test
  void a_holder_cannot_complete_with_the_outcome_cancelled() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));

    TaskqException e =
        failure(
            () -> store.complete("a", c.token(), Outcome.CANCELLED, "r"),
            ErrorCode.INVALID_ARGUMENT);

    assertThat(e.field()).isEqualTo("outcome");
    assertThat(store.get("a").task().state()).isEqualTo(TaskState.IN_PROGRESS);
  }

  @Test
  void a_new_priority_changes_the_claim_order_and_is_logged() {
    store.enqueue(List.of(spec("first").priority(5).build(), spec("second").priority(1).build()));

    Task t = store.setPriority("second", 50, "alice");

    assertThat(t.priority()).isEqualTo(50);
    assertThat(openAnotherStore().get("second").task().priority()).isEqualTo(50);
    assertThat(claimed(store.claimNext(bob, null)).task().id()).isEqualTo("second");
    assertThat(linesWith("PRIORITY", "second"))
        .singleElement()
        .asString()
        .contains("1 → 50 by alice");
  }

  @Test
  void a_priority_out_of_range_or_on_a_completed_task_is_refused() {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));

    TaskqException e =
        failure(() -> store.setPriority("a", 1001, "alice"), ErrorCode.INVALID_ARGUMENT);
    assertThat(e.field()).isEqualTo("priority");
    store.complete("a", c.token(), Outcome.DONE, "r");
    failure(() -> store.setPriority("a", 3, "alice"), ErrorCode.CONFLICT);
    assertThat(store.get("a").task().priority()).isZero();
  }

  // ---------------------------------------------------------------- list

  @Test
  void list_counts_every_state_and_pages_through_rows() {
    List<NewTask> batch = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      batch.add(spec(String.format("p-%02d", i)).build());
    }
    store.enqueue(batch);
    Claim done = claimed(store.claimNext(alice, null));
    store.complete(done.task().id(), done.token(), Outcome.DONE, "r");
    Claim failed = claimed(store.claimNext(alice, null));
    store.complete(failed.task().id(), failed.token(), Outcome.FAILED, "r");
    claimed(store.claimNext(alice, null));

    QueuePage first = store.list(new QueueQuery(null, null, 0, 10));
    QueuePage second = store.list(new QueueQuery(null, null, 10, 10));
    QueuePage last = store.list(new QueueQuery(null, null, 20, 10));

    assertThat(first.counts())
        .containsEntry(TaskState.PENDING, 22)
        .containsEntry(TaskState.IN_PROGRESS, 1)
        .containsEntry(TaskState.COMPLETED, 1)
        .containsEntry(TaskState.FAILED, 1);
    assertThat(first.total()).isEqualTo(25);
    assertThat(first.rows()).hasSize(10);
    assertThat(first.rows().get(0).state()).isEqualTo(TaskState.IN_PROGRESS);
    assertThat(first.rows().get(0).id()).isEqualTo("p-02");
    assertThat(first.rows().get(1).id()).isEqualTo("p-03");
    assertThat(first.remainingAfterPage()).isEqualTo(15);
    assertThat(second.offset()).isEqualTo(10);
    assertThat(second.rows()).extracting(TaskRow::id).first().isEqualTo("p-12");
    assertThat(last.rows())
        .extracting(TaskRow::id)
        .containsExactly("p-22", "p-23", "p-24", "p-01", "p-00");
    assertThat(last.remainingAfterPage()).isZero();
  }

  @Test
  void list_filters_by_state_and_lane() {
    store.enqueue(
        List.of(
            spec("w1").lane("web").build(),
            spec("w2").lane("web").build(),
            spec("d1").lane("db").build()));
    claimed(store.claimNext(alice, "web"));

    QueuePage web = store.list(new QueueQuery(null, "web", 0, 100));
    QueuePage pendingWeb = store.list(new QueueQuery(TaskState.PENDING, "web", 0, 100));

    assertThat(web.rows()).extracting(TaskRow::id).containsExactly("w1", "w2");
    assertThat(pendingWeb.rows()).extracting(TaskRow::id).containsExactly("w2");
    assertThat(pendingWeb.rows()).allMatch(r -> "web".equals(r.lane()));
  }

  @Test
  void completed_tasks_are_listed_newest_first() {
    store.enqueue(List.of(spec("a").build(), spec("b").build()));
    Claim a = claimed(store.claimNext(alice, null));
    Claim b = claimed(store.claimNext(alice, null));
    store.complete("a", a.token(), Outcome.DONE, "r");
    clock.advance(Duration.ofMinutes(1));
    store.complete("b", b.token(), Outcome.DONE, "r");

    assertThat(store.list(new QueueQuery(TaskState.COMPLETED, null, 0, 10)).rows())
        .extracting(TaskRow::id)
        .containsExactly("b", "a");
  }

  // ---------------------------------------------------------------- hand-written and damaged

  @Test
  void a_hand_written_one_line_task_is_accepted() {
    dropHandWrittenTask("db-audit", "Audit: find all N+1 queries in src/db\n");

    TaskRow listed = row(store.list(all()), "db-audit");
    assertThat(listed.state()).isEqualTo(TaskState.PENDING);
    assertThat(listed.title()).isEqualTo("Audit: find all N+1 queries in src/db");
    Claim c = claimed(store.claimNext(alice, null));

    assertThat(c.task().id()).isEqualTo("db-audit");
    assertThat(c.task().title()).isEqualTo("Audit: find all N+1 queries in src/db");
    assertThat(c.task().criterion()).startsWith("(none given");
    assertThat(c.attempt()).isEqualTo(1);
    store.writeCheckpoint(checkpoint("db-audit", c.token(), "half", 50));
    store.complete("db-audit", c.token(), Outcome.DONE, "listed");
    assertThat(doneLines("db-audit")).hasSize(1);
    assertThat(store.get("db-audit").task().state()).isEqualTo(TaskState.COMPLETED);
  }

  @Test
  void a_hand_written_task_takes_its_title_from_the_first_line_and_the_rest_as_instructions() {
    dropHandWrittenTask(
        "users-audit",
        "\n# Audit the users module\n\nCheck every query in src/users.\nList them.\n");

    Task t = store.get("users-audit").task();

    assertThat(t.title()).isEqualTo("Audit the users module");
    assertThat(t.instructions().strip()).isEqualTo("Check every query in src/users.\nList them.");
    assertThat(t.state()).isEqualTo(TaskState.PENDING);
    assertThat(t.attempt()).isZero();
  }

  @Test
  void reading_a_damaged_task_says_why_it_cannot_be_read_not_that_it_is_missing() {
    store.enqueue(spec("broken").build());
    damageTask("broken");
    store.list(all());

    TaskqException e = failure(() -> store.get("broken"), ErrorCode.STORE_ERROR);

    assertThat(e.getMessage()).contains("broken cannot be read");
    assertThat(e.hint()).contains("nothing was changed");
    failure(() -> store.get("really-missing"), ErrorCode.NOT_FOUND);
  }

  @Test
  void a_damaged_task_is_reported_never_claimed_and_logged_once() {
    store.enqueue(spec("broken").priority(10).build());
    store.enqueue(spec("fine").build());
    damageTask("broken");

    Claim c = claimed(store.claimNext(alice, null));
    IdleReason idle = nothing(store.claimNext(bob, null));
    QueuePage page = store.list(all());
    store.list(all());

    assertThat(c.task().id()).isEqualTo("fine");
    assertThat(idle.unreadable()).isEqualTo(1);
    assertThat(idle.describe()).contains("unreadable");
    assertThat(page.unreadable())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.where()).contains("broken");
              assertThat(f.reason()).isNotBlank();
            });
    assertThat(store.tailLog(100).stream().filter(l -> l.contains("CORRUPT:")))
        .singleElement()
        .asString()
        .contains("broken");
    failure(() -> store.enqueue(spec("broken").build()), ErrorCode.CONFLICT);
  }

  // ---------------------------------------------------------------- change signal

  @Test
  void the_change_mark_moves_when_another_instance_changes_the_queue() {
    long before = store.changeMark();
    TaskStore other = openAnotherStore();

    other.enqueue(spec("a").build());

    assertThat(store.changeMark()).isNotEqualTo(before);
  }

  @Test
  void reads_leave_the_change_mark_alone() {
    store.enqueue(spec("a").build());
    claimed(store.claimNext(alice, null));
    store.enqueue(spec("b").after("a").build());
    long before = store.changeMark();

    store.list(all());
    store.get("a");
    store.get("b");
    store.tailLog(10);
    openAnotherStore().list(all());

    assertThat(store.changeMark()).isEqualTo(before);
  }

  @Test
  void awaiting_a_change_returns_soon_after_another_instance_makes_one() throws Exception {
    TaskStore other = openAnotherStore();
    long before = store.changeMark();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      long started = System.nanoTime();
      Future<Long> waited = pool.submit(() -> store.awaitChange(before, Duration.ofSeconds(60)));
      Thread.sleep(200);
      other.enqueue(spec("a").build());

      long after = waited.get(30, TimeUnit.SECONDS);

      assertThat(after).isNotEqualTo(before);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("a wait of up to 60 s ended by the change")
          .isLessThan(Duration.ofSeconds(20));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void awaiting_with_no_change_returns_the_same_mark_after_the_timeout() {
    store.enqueue(spec("a").build());
    long before = store.changeMark();
    long started = System.nanoTime();

    long after = store.awaitChange(before, Duration.ofMillis(300));

    assertThat(after).isEqualTo(before);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  void awaiting_an_old_mark_returns_at_once() {
    long old = store.changeMark();
    store.enqueue(spec("a").build());
    long started = System.nanoTime();

    long now = store.awaitChange(old, Duration.ofSeconds(60));

    assertThat(now).isNotEqualTo(old).isEqualTo(store.changeMark());
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  // ---------------------------------------------------------------- helpers

  /** Holder of a real process that ran on this host and has exited. */
  protected Holder exitedProcessHolder() throws Exception {
    Process p = new ProcessBuilder("sleep", "30").start();
    processes.add(p);
    Holder h = ProcessIdentity.of(p.toHandle(), "ghost");
    assertThat(h.processStart()).as("start time of a running process").isPositive();
    p.destroyForcibly();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ProcessIdentity.isAlive(h)).isFalse();
    return h;
  }

  private void assertEveryHolderOperationFenced(String id, String stale, String... saysOneOf) {
    Snapshot before = snapshot();
    TaskDetail detail = store.get(id);
    Map<String, ThrowingCallable> ops =
        Map.of(
            "writeCheckpoint", () -> store.writeCheckpoint(checkpoint(id, stale, "stale", 1)),
            "complete done", () -> store.complete(id, stale, Outcome.DONE, "stale"),
            "complete failed", () -> store.complete(id, stale, Outcome.FAILED, "stale"),
            "complete released", () -> store.complete(id, stale, Outcome.RELEASED, null),
            "appendLog", () -> store.appendLog("stale", id, stale));
    for (Map.Entry<String, ThrowingCallable> op : ops.entrySet()) {
      TaskqException e = failure(op.getValue(), ErrorCode.FENCED);
      String message = e.getMessage().toLowerCase(java.util.Locale.ROOT);
      assertThat(List.of(saysOneOf))
          .as(
              "%s was fenced with \"%s\", which should say one of %s",
              op.getKey(), e.getMessage(), List.of(saysOneOf))
          .anyMatch(message::contains);
    }
    assertThat(snapshot()).isEqualTo(before);
    assertThat(store.get(id)).isEqualTo(detail);
  }

  protected static TaskqException failure(ThrowingCallable call, ErrorCode code) {
    Throwable t = catchThrowable(call);
    assertThat(t).as("expected %s", code).isInstanceOf(TaskqException.class);
    TaskqException e = (TaskqException) t;
    assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
    assertThat(e.getMessage()).isNotBlank();
    return e;
  }

  protected static Claim claimed(ClaimResult r) {
    assertThat(r).as("a claim").isInstanceOf(ClaimResult.Claimed.class);
    return ((ClaimResult.Claimed) r).claim();
  }

  protected static IdleReason nothing(ClaimResult r) {
    assertThat(r).as("nothing claimable").isInstanceOf(ClaimResult.Nothing.class);
    return ((ClaimResult.Nothing) r).reason();
  }

  protected static CheckpointRequest checkpoint(String id, String token, String summary, int done) {
    return new CheckpointRequest(id, token, summary, new Progress(done, 180), null, null);
  }

  protected static QueueQuery all() {
    return new QueueQuery(null, null, 0, 10_000);
  }

  protected static TaskRow row(QueuePage page, String id) {
    return page.rows().stream()
        .filter(r -> r.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row " + id + " in " + page.rows()));
  }

  protected List<String> linesWith(String event, String id) {
    return store.tailLog(10_000).stream()
        .filter(l -> l.contains(" " + event + ": " + id + " "))
        .toList();
  }

  protected List<String> doneLines(String id) {
    return linesWith("DONE", id);
  }

  /** Ids of every DONE line in the log, in order, duplicates kept. */
  protected List<String> doneIds() {
    List<String> ids = new ArrayList<>();
    for (String l : store.tailLog(100_000)) {
      Matcher m = LOG_LINE.matcher(l);
      assertThat(m.matches()).as("log line %s", l).isTrue();
      if (m.group(2).equals("DONE")) {
        ids.add(m.group(3));
      }
    }
    return ids;
  }

  /** Everything a caller can observe, to prove a refused call changed nothing. */
  protected record Snapshot(QueuePage page, List<String> log) {}

  protected Snapshot snapshot() {
    return new Snapshot(store.list(all()), store.tailLog(10_000));
  }

  protected static Spec spec(String id) {
    return new Spec(id);
  }

  /** Builds a {@link NewTask} with readable defaults derived from the id. */
  protected static final class Spec {
    private final String id;
    private String title;
    private String criterion;
    private String instructions;
    private String lane;
    private int priority;
    private List<String> after = List.of();
    private int maxAttempts = Limits.DEFAULT_MAX_ATTEMPTS;
    private String dedupe;

    Spec(String id) {
      this.id = id;
      sameAs(id);
    }

    /** Same content as the default task of {@code other}. */
    public Spec sameAs(String other) {
      title = "Title of " + other;
      criterion = "criterion of " + other;
      instructions = "Instructions for " + other + ".";
      return this;
    }

    public Spec title(String t) {
      title = t;
      return this;
    }

    public Spec lane(String l) {
      lane = l;
      return this;
    }

    public Spec priority(int p) {
      priority = p;
      return this;
    }

    public Spec after(String... ids) {
      after = List.of(ids);
      return this;
    }

    public Spec maxAttempts(int n) {
      maxAttempts = n;
      return this;
    }

    public Spec dedupe(String key) {
      dedupe = key;
      return this;
    }

    public NewTask build() {
      return new NewTask(
          id, title, criterion, instructions, lane, priority, after, maxAttempts, dedupe);
    }
  }
}

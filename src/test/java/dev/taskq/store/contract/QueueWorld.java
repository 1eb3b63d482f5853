package dev.taskq.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.CheckpointRequest;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.EnqueueResult;
import dev.taskq.core.ErrorCode;
import dev.taskq.core.Holder;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.core.Progress;
import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.Task;
import dev.taskq.core.TaskDetail;
import dev.taskq.core.TaskState;
import dev.taskq.core.TaskqException;
import dev.taskq.store.MutableClock;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One queue served by two {@link TaskStore} instances (as two sessions would), the {@link
 * QueueModel} it must agree with, and the holders that act on it: two live ones (this process) and
 * gone ones (the fixture's). Every action runs on the real store and the model and compares the
 * answers; {@link #checkInvariants} compares what the store shows, then the fixture checks what it
 * keeps.
 */
final class QueueWorld implements AutoCloseable {
  static final Duration LEASE = Duration.ofSeconds(60);
  private static final List<String> LANES = Arrays.asList(null, "a", "b");
  private static final int[] PRIORITIES = {0, 0, 1, 5};

  private final StoreFixture fixture;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
  final QueueModel model = new QueueModel(LEASE);
  private final TaskStore[] stores = new TaskStore[2];
  private final List<Holder> holders = new ArrayList<>();
  private final Set<String> seenCompleted = new HashSet<>();
  private int nextId;

  /** How often each operation ended which way, over all worlds: shows what a run exercised. */
  static final Map<String, Integer> TALLY = new java.util.concurrent.ConcurrentSkipListMap<>();

  int steps;
  int restarts;

  QueueWorld(StoreFixture fixture, List<Holder> deadHolders) {
    this.fixture = fixture;
    for (int i = 0; i < stores.length; i++) {
      stores[i] = open();
    }
    holders.add(ProcessIdentity.current("live-1"));
    holders.add(ProcessIdentity.current("live-2"));
    holders.addAll(deadHolders);
  }

  private TaskStore open() {
    return fixture.open(clock, LEASE);
  }

  int holderCount() {
    return holders.size();
  }

  // ------------------------------------------------------------------ actions

  void enqueue(int store, long seed) {
    Random r = new Random(seed);
    List<NewTask> batch = new ArrayList<>();
    List<String> known = new ArrayList<>(model.tasks.keySet());
    int size = 1 + r.nextInt(3);
    for (int i = 0; i < size; i++) {
      batch.add(randomTask(r, known));
    }
    Instant now = clock.instant();
    List<QueueModel.Enqueued> expected = null;
    ErrorCode refusal = null;
    try {
      expected = model.enqueue(batch, now);
    } catch (QueueModel.Refused e) {
      refusal = e.code;
    }
    List<EnqueueResult> actual =
        call("enqueue " + batch, refusal, () -> stores[store].enqueue(batch));
    if (actual != null) {
      assertThat(actual.stream().map(a -> new QueueModel.Enqueued(a.task().id(), a.created())))
          .as("enqueue results")
          .containsExactlyElementsOf(expected);
      for (EnqueueResult a : actual) {
        if (a.created()) {
          assertThat(a.task().created()).isEqualTo(now);
        }
      }
    }
  }

  private NewTask randomTask(Random r, List<String> known) {
    String key = r.nextInt(4) == 0 ? "k" + r.nextInt(3) : null;
    String id = !known.isEmpty() && r.nextInt(12) == 0 ? pick(r, known) : "t" + (++nextId);
    if (key != null && model.dedupe.containsKey(key) && r.nextBoolean()) {
      NewTask same = model.tasks.get(model.dedupe.get(key)).spec;
      return new NewTask(
          "t" + (++nextId),
          same.title(),
          same.criterion(),
          same.instructions(),
          same.lane(),
          same.priority(),
          same.after(),
          same.maxAttempts(),
          key);
    }
    List<String> after = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0 && !known.isEmpty(); i--) {
      String d = pick(r, known);
      if (!d.equals(id)) {
        after.add(d);
      }
    }
    if (r.nextInt(25) == 0) {
      after.add("missing-task");
    }
    NewTask n =
        new NewTask(
            id,
            "title " + r.nextInt(2),
            "criterion",
            r.nextBoolean() ? "" : "do it",
            LANES.get(r.nextInt(LANES.size())),
            PRIORITIES[r.nextInt(PRIORITIES.length)],
            after,
            1 + r.nextInt(3),
            key);
    known.add(id);
    return n;
  }

  void claim(int store, int holder, int lane) {
    Holder h = holders.get(holder);
    String l = LANES.get(lane);
    Instant now = clock.instant();
    TALLY.merge(
        "tasks failed by a claim: ended on the last attempt",
        model.failExhausted(now),
        Integer::sum);
    QueueModel.Entry want = model.nextClaimable(l, now);
    if (want != null && want.state == TaskState.IN_PROGRESS) {
      TALLY.merge("claims that took a task whose claim had ended", 1, Integer::sum);
    }
    ClaimResult got = call("claim", null, () -> stores[store].claimNext(h, l));
    if (want == null) {
      TALLY.merge("claim found nothing", 1, Integer::sum);
      assertThat(got).as("claim in lane %s", l).isInstanceOf(ClaimResult.Nothing.class);
      return;
    }
    assertThat(got).as("claim in lane %s", l).isInstanceOf(ClaimResult.Claimed.class);
    var claim = ((ClaimResult.Claimed) got).claim();
    assertThat(claim.task().id()).as("claimed task").isEqualTo(want.id);
    assertThat(claim.attempt()).as("attempt of " + want.id).isEqualTo(want.attempt + 1);
    assertThat(claim.leaseUntil()).isEqualTo(now.plus(LEASE));
    model.claimed(want, h, claim.token(), now);
  }

  void checkpoint(int store, int task, int tokenKind) {
    String id = tokenKind == 0 ? heldTaskId(task) : taskId(task);
    String token = token(id, tokenKind);
    Instant now = clock.instant();
    QueueModel.Entry e = held(id, token);
    ErrorCode refusal = e == null ? refusalFor(id, token) : null;
    Progress p = e == null ? null : new Progress(Math.min(e.checkpoints + 1, 10), 10);
    Checkpoint c =
        call(
            "checkpoint " + id,
            refusal,
            () ->
                stores[store].writeCheckpoint(
                    new CheckpointRequest(id, token, "summary", p, "findings", "next")));
    if (e != null) {
      e.checkpoints++;
      model.renew(e, now);
      assertThat(c.n()).as("checkpoint number of " + id).isEqualTo(e.checkpoints);
    }
  }

  void complete(int store, int task, int tokenKind, Outcome how) {
    String id = tokenKind == 0 ? heldTaskId(task) : taskId(task);
    String token = token(id, tokenKind);
    if (how == Outcome.DONE && model.lateDoneAllowed(id, token)) {
      Task late =
          call(
              "complete late-done " + id,
              null,
              () -> stores[store].complete(id, token, how, "late result of " + id));
      model.lateDone(id);
      assertThat(late.state()).isEqualTo(TaskState.COMPLETED);
      return;
    }
    QueueModel.Entry e = held(id, token);
    ErrorCode refusal = e == null ? refusalFor(id, token) : null;
    String result = how == Outcome.RELEASED ? null : "result of " + id;
    Task t =
        call(
            "complete " + how + " " + id,
            refusal,
            () -> stores[store].complete(id, token, how, result));
    if (e != null) {
      model.complete(e, how);
      assertThat(t.state()).isEqualTo(e.state);
      assertThat(t.attempt()).isEqualTo(e.attempt);
    }
  }

  void logWithToken(int store, int task, int tokenKind) {
    String id = tokenKind == 0 ? heldTaskId(task) : taskId(task);
    String token = token(id, tokenKind);
    QueueModel.Entry e = held(id, token);
    ErrorCode refusal = e == null ? refusalFor(id, token) : null;
    call("appendLog " + id, refusal, () -> stores[store].appendLog("note\nline two", id, token));
    if (e != null) {
      model.keep(e, clock.instant());
    }
  }

  /** A holder's session shows a sign of life: its live claims are renewed, no further. */
  void heartbeat(int store, int holder) {
    Holder h = holders.get(holder);
    int want = model.heartbeat(h, clock.instant());
    List<Task> got = call("heartbeat", null, () -> stores[store].heartbeat(h));
    assertThat(got).as("claims renewed by a heartbeat of " + h.label()).hasSize(want);
    for (Task t : got) {
      assertThat(t.lease().until())
          .as("lease of " + t.id() + " after a heartbeat")
          .isEqualTo(model.tasks.get(t.id()).leaseUntil);
    }
  }

  /** Moves the clock: a little, past the lease, or backwards (an NTP step). */
  void tick(int kind) {
    clock.advance(
        switch (kind) {
          case 0 -> Duration.ofSeconds(1);
          case 1 -> LEASE.plusSeconds(1);
          default -> Duration.ofSeconds(-30);
        });
  }

  void releaseAll(int store, int holder) {
    Holder h = holders.get(holder);
    int want = model.releaseAllHeldBy(h);
    int got = call("releaseAllHeldBy", null, () -> stores[store].releaseAllHeldBy(h));
    assertThat(got).as("claims released for " + h.label()).isEqualTo(want);
  }

  void forceRelease(int store, int task) {
    String id = taskId(task);
    ErrorCode refusal = null;
    try {
      model.forceRelease(id);
    } catch (QueueModel.Refused e) {
      refusal = e.code;
    }
    call("forceRelease " + id, refusal, () -> stores[store].forceRelease(id));
  }

  void requeue(int store, int task) {
    String id = taskId(task);
    ErrorCode refusal = null;
    try {
      model.requeue(id);
    } catch (QueueModel.Refused e) {
      refusal = e.code;
    }
    call("requeue " + id, refusal, () -> stores[store].requeue(id));
  }

  /** A session restarts: its store closes and a new one opens on the same folder. */
  void restart(int store) {
    stores[store].close();
    stores[store] = open();
    restarts++;
  }

  // ------------------------------------------------------------------ invariants

  void checkInvariants() {
    steps++;
    // Reads never end a claim: the model compares as it is.
    for (TaskStore s : stores) {
      QueuePage page = s.list(QueueQuery.firstPage(1000));
      for (TaskState st : TaskState.values()) {
        assertThat(page.count(st)).as("list() count of " + st).isEqualTo(model.count(st));
      }
      assertThat(page.unreadable()).as("corrupt files").isEmpty();
    }
    TaskStore s = stores[0];
    Map<String, Integer> doneLines = new HashMap<>();
    for (String line : s.tailLog(100_000)) {
      int at = line.indexOf(" DONE: ");
      if (at > 0) {
        String rest = line.substring(at + 7);
        int sp = rest.indexOf(' ');
        doneLines.merge(sp < 0 ? rest : rest.substring(0, sp), 1, Integer::sum);
      }
    }
    Map<String, ExpectedQueue.ExpectedTask> expected = new LinkedHashMap<>();
    for (QueueModel.Entry e : model.tasks.values()) {
      TaskDetail d = s.get(e.id);
      Task t = d.task();
      assertThat(t.state()).as("state of " + e.id).isEqualTo(e.state);
      assertThat(t.attempt()).as("attempt of " + e.id).isEqualTo(e.attempt);
      assertThat(t.attempt())
          .as("attempts of " + e.id + " within max")
          .isLessThanOrEqualTo(t.maxAttempts());
      assertThat(t.isClaimed() ? t.lease().token() : null)
          .as("live token of " + e.id + " (only in-progress tasks carry one)")
          .isEqualTo(e.token);
      if (e.lastClaimToken != null) {
        assertThat(t.lease().token()).as("last claim kept on " + e.id).isEqualTo(e.lastClaimToken);
      }
      assertThat(t.checkpoints()).as("checkpoints of " + e.id).isEqualTo(e.checkpoints);
      assertThat(d.checkpoints().stream().map(Checkpoint::n).toList())
          .as("checkpoints of " + e.id + " are 1..n")
          .isEqualTo(range(e.checkpoints));
      if (e.state == TaskState.COMPLETED) {
        seenCompleted.add(e.id);
      }
      assertThat(doneLines.getOrDefault(e.id, 0))
          .as("DONE lines for " + e.id)
          .isEqualTo(e.state == TaskState.COMPLETED ? 1 : 0);
      expected.put(
          e.id, new ExpectedQueue.ExpectedTask(e.id, e.state, e.attempt, e.token, e.checkpoints));
    }
    for (String id : seenCompleted) {
      assertThat(s.get(id).task().state())
          .as(id + " was completed and must stay so")
          .isEqualTo(TaskState.COMPLETED);
    }
    assertThat(doneLines.keySet()).isSubsetOf(model.tasks.keySet());
    fixture.checkStored(new ExpectedQueue(expected));
  }

  private static List<Integer> range(int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(i);
    }
    return out;
  }

  // ------------------------------------------------------------------ helpers

  private String taskId(int index) {
    if (model.tasks.isEmpty()) {
      return "no-such-task";
    }
    List<String> ids = new ArrayList<>(model.tasks.keySet());
    return ids.get(Math.floorMod(index, ids.size()));
  }

  /** A claimed task when there is one, so operations with a live token are common. */
  private String heldTaskId(int index) {
    List<String> held =
        model.tasks.values().stream()
            .filter(e -> e.state == TaskState.IN_PROGRESS)
            .map(e -> e.id)
            .toList();
    return held.isEmpty() ? taskId(index) : held.get(Math.floorMod(index, held.size()));
  }

  /** 0: the live token if any; 1: an older token of the task; 2: a token never issued. */
  private String token(String id, int kind) {
    QueueModel.Entry e = model.tasks.get(id);
    List<String> issued = model.tokens.getOrDefault(id, List.of());
    if (kind == 0 && e != null && e.token != null) {
      return e.token;
    }
    List<String> stale = issued.stream().filter(t -> e == null || !t.equals(e.token)).toList();
    if (kind <= 1 && !stale.isEmpty()) {
      return stale.get(stale.size() - 1);
    }
    return "bogustoken000000";
  }

  private QueueModel.Entry held(String id, String token) {
    try {
      return model.requireHeld(id, token);
    } catch (QueueModel.Refused e) {
      return null;
    }
  }

  private ErrorCode refusalFor(String id, String token) {
    try {
      model.requireHeld(id, token);
      return null;
    } catch (QueueModel.Refused e) {
      return e.code;
    }
  }

  private static String pick(Random r, List<String> from) {
    return from.get(r.nextInt(from.size()));
  }

  /** Runs a store call; it must succeed when {@code refusal} is null, else fail with that code. */
  private static <T> T call(String what, ErrorCode refusal, Supplier<T> body) {
    TALLY.merge(what.split(" ")[0] + " " + (refusal == null ? "ok" : refusal), 1, Integer::sum);
    T result;
    try {
      result = body.get();
    } catch (TaskqException e) {
      if (e.code() != refusal) {
        throw new AssertionError(
            what
                + ": expected "
                + (refusal == null ? "success" : refusal)
                + ", got "
                + e.describe(),
            e);
      }
      return null;
    }
    if (refusal != null) {
      throw new AssertionError(what + ": expected " + refusal + ", but it succeeded");
    }
    return result;
  }

  @Override
  public void close() {
    for (TaskStore s : stores) {
      s.close();
    }
    fixture.close();
  }
}

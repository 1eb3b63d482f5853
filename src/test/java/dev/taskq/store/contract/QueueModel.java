package dev.taskq.store.contract;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.Holder;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.core.TaskState;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The queue's rules in a few lines of plain Java, with no files: what each operation should answer
 * and how each task's state, attempt, token and checkpoints should change. The model-checked test
 * compares the real store with it after every step.
 */
final class QueueModel {

  /** A refusal the model predicts, by error code. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final ErrorCode code;

    Refused(ErrorCode code, String why) {
      super(code + ": " + why, null, false, false);
      this.code = code;
    }
  }

  static final class Entry {
    final String id;
    final NewTask spec;
    final Instant created;
    TaskState state = TaskState.PENDING;
    int attempt;
    String token;
    Holder holder;
    Instant leaseUntil;
    Instant progressAt;
    int checkpoints;

    /** The token of the claim that ran out on the last attempt and failed the task, else null. */
    String lastClaimToken;

    Entry(String id, NewTask spec, Instant created) {
      this.id = id;
      this.spec = spec;
      this.created = created;
    }
  }

  private static final Comparator<Entry> CLAIM_ORDER =
      Comparator.comparingInt((Entry e) -> -e.spec.priority())
          .thenComparing(e -> e.created)
          .thenComparing(e -> e.id);

  final Map<String, Entry> tasks = new LinkedHashMap<>();
  final Map<String, String> dedupe = new HashMap<>();
  final Map<String, List<String>> tokens = new HashMap<>();
  final Set<String> everCompleted = new HashSet<>();
  private final Duration lease;
  private final Duration progressDeadline;

  /** With the stores' default progress deadline (45 minutes, or the lease when longer). */
  QueueModel(Duration lease) {
    this.lease = lease;
    this.progressDeadline =
        StoreConfig.DEFAULT_PROGRESS_DEADLINE.compareTo(lease) >= 0
            ? StoreConfig.DEFAULT_PROGRESS_DEADLINE
            : lease;
  }

  /** Expected results of an enqueue batch: each request's task id and whether it is new. */
  record Enqueued(String id, boolean created) {}

  List<Enqueued> enqueue(List<NewTask> batch, Instant now) {
    Map<String, Entry> fresh = new LinkedHashMap<>();
    Map<String, Entry> byKey = new HashMap<>();
    List<Enqueued> out = new ArrayList<>();
    for (NewTask n : batch) {
      Entry existing = null;
      if (n.dedupeKey() != null) {
        existing = byKey.get(n.dedupeKey());
        if (existing == null && dedupe.containsKey(n.dedupeKey())) {
          existing = tasks.get(dedupe.get(n.dedupeKey()));
        }
      }
      if (existing != null) {
        if (!sameContent(n, existing.spec)) {
          throw new Refused(ErrorCode.CONFLICT, "dedupe key with other content");
        }
        out.add(new Enqueued(existing.id, false));
        continue;
      }
      if (tasks.containsKey(n.id()) || fresh.containsKey(n.id())) {
        throw new Refused(ErrorCode.CONFLICT, "id exists");
      }
      Entry e = new Entry(n.id(), n, now);
      fresh.put(n.id(), e);
      if (n.dedupeKey() != null) {
        byKey.put(n.dedupeKey(), e);
      }
      out.add(new Enqueued(n.id(), true));
    }
    for (Entry e : fresh.values()) {
      for (String d : e.spec.after()) {
        if (!tasks.containsKey(d) && !fresh.containsKey(d)) {
          throw new Refused(ErrorCode.INVALID_ARGUMENT, "after names a missing task");
        }
      }
    }
    for (Entry e : fresh.values()) {
      tasks.put(e.id, e);
      tokens.put(e.id, new ArrayList<>());
      if (e.spec.dedupeKey() != null) {
        dedupe.put(e.spec.dedupeKey(), e.id);
      }
    }
    return out;
  }

  static boolean sameContent(NewTask a, NewTask b) {
    return a.title().equals(b.title())
        && a.criterion().equals(b.criterion())
        && a.instructions().strip().equals(b.instructions().strip())
        && java.util.Objects.equals(a.lane(), b.lane())
        && a.priority() == b.priority()
        && a.after().equals(b.after());
  }

  /**
   * A claim has ended when its lease passed or its holder is gone; reads never end it, only the
   * next claim does.
   */
  static boolean ended(Entry e, Instant now) {
    return e.state == TaskState.IN_PROGRESS
        && (!now.isBefore(e.leaseUntil) || !ProcessIdentity.isAlive(e.holder));
  }

  /** Fails the tasks whose claim ended on their last attempt, as claimNext does first. */
  int failExhausted(Instant now) {
    int n = 0;
    for (Entry e : tasks.values()) {
      if (ended(e, now) && e.attempt >= e.spec.maxAttempts()) {
        String token = e.token;
        endClaim(e, TaskState.FAILED);
        e.lastClaimToken = token;
        n++;
      }
    }
    return n;
  }

  /**
   * The task claimNext must hand out, or null when nothing is claimable: a pending task whose
   * dependencies are completed, or an in-progress task whose claim ended with attempts left.
   */
  Entry nextClaimable(String lane, Instant now) {
    return tasks.values().stream()
        .filter(
            e ->
                e.state == TaskState.PENDING
                        && e.spec.after().stream()
                            .allMatch(d -> tasks.get(d).state == TaskState.COMPLETED)
                    || ended(e, now) && e.attempt < e.spec.maxAttempts())
        .filter(e -> lane == null || lane.equals(e.spec.lane()))
        .min(CLAIM_ORDER)
        .orElse(null);
  }

  void claimed(Entry e, Holder holder, String token, Instant now) {
    e.state = TaskState.IN_PROGRESS;
    e.attempt++;
    e.token = token;
    e.holder = holder;
    e.leaseUntil = now.plus(lease);
    e.progressAt = now;
    tokens.get(e.id).add(token);
  }

  /** Throws the refusal a holder operation with this token must get, else returns the task. */
  Entry requireHeld(String id, String token) {
    Entry e = tasks.get(id);
    if (e == null) {
      throw new Refused(ErrorCode.NOT_FOUND, id);
    }
    if (e.state != TaskState.IN_PROGRESS || !e.token.equals(token)) {
      throw new Refused(ErrorCode.FENCED, id + " is " + e.state);
    }
    return e;
  }

  /** A checkpoint: progress, so the lease and the progress deadline both restart. */
  void renew(Entry e, Instant now) {
    e.leaseUntil = now.plus(lease);
    e.progressAt = now;
  }

  /**
   * A sign of life without progress (a log line with the token, a heartbeat): the lease runs from
   * now, capped at the progress deadline, and never moves back.
   */
  void keep(Entry e, Instant now) {
    Instant next = now.plus(lease);
    Instant due = e.progressAt.plus(progressDeadline);
    if (next.isAfter(due)) {
      next = due;
    }
    if (next.isAfter(e.leaseUntil)) {
      e.leaseUntil = next;
    }
  }

  /**
   * The claims a heartbeat from {@code h} renews: the ones its process holds, lapsed ones included,
   * when the renewal moves the lease and leaves it live (not at or past the progress deadline).
   */
  int heartbeat(Holder h, Instant now) {
    int n = 0;
    for (Entry e : tasks.values()) {
      if (e.state == TaskState.IN_PROGRESS && e.holder.sameProcess(h)) {
        Instant before = e.leaseUntil;
        keep(e, now);
        if (e.leaseUntil.equals(before) || !now.isBefore(e.leaseUntil)) {
          e.leaseUntil = before; // nothing written
        } else {
          n++;
        }
      }
    }
    return n;
  }

  void complete(Entry e, Outcome how) {
    switch (how) {
      case DONE -> {
        endClaim(e, TaskState.COMPLETED);
        everCompleted.add(e.id);
      }
      case FAILED -> endClaim(e, TaskState.FAILED);
      case RELEASED -> release(e);
    }
  }

  void release(Entry e) {
    endClaim(e, TaskState.PENDING);
    e.attempt = Math.max(0, e.attempt - 1);
  }

  int releaseAllHeldBy(Holder h) {
    int n = 0;
    for (Entry e : tasks.values()) {
      if (e.state == TaskState.IN_PROGRESS && e.holder.sameProcess(h)) {
        release(e);
        n++;
      }
    }
    return n;
  }

  void forceRelease(String id) {
    Entry e = known(id);
    if (e.state != TaskState.IN_PROGRESS) {
      throw new Refused(ErrorCode.CONFLICT, id + " is not claimed");
    }
    release(e);
  }

  void requeue(String id) {
    Entry e = known(id);
    if (e.state == TaskState.COMPLETED || e.state == TaskState.PENDING) {
      throw new Refused(ErrorCode.CONFLICT, id + " is " + e.state);
    }
    endClaim(e, TaskState.PENDING);
    e.attempt = 0;
  }

  int count(TaskState s) {
    return (int) tasks.values().stream().filter(e -> e.state == s).count();
  }

  private Entry known(String id) {
    Entry e = tasks.get(id);
    if (e == null) {
      throw new Refused(ErrorCode.NOT_FOUND, id);
    }
    return e;
  }

  /** A late done from the holder whose last claim ran out: kept while nobody claimed since. */
  boolean lateDoneAllowed(String id, String token) {
    Entry e = tasks.get(id);
    return e != null
        && e.state == TaskState.FAILED
        && e.lastClaimToken != null
        && e.lastClaimToken.equals(token);
  }

  void lateDone(String id) {
    Entry e = tasks.get(id);
    endClaim(e, TaskState.COMPLETED);
    everCompleted.add(id);
  }

  private static void endClaim(Entry e, TaskState next) {
    e.lastClaimToken = null;
    e.state = next;
    e.token = null;
    e.holder = null;
    e.leaseUntil = null;
    e.progressAt = null;
  }
}

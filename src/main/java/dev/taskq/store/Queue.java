package dev.taskq.store;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.CheckpointRequest;
import dev.taskq.core.Claim;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.EnqueueResult;
import dev.taskq.core.ErrorCode;
import dev.taskq.core.Holder;
import dev.taskq.core.Limits;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.ResumePacket;
import dev.taskq.core.StaleClaim;
import dev.taskq.core.Task;
import dev.taskq.core.TaskDetail;
import dev.taskq.core.TaskId;
import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskState;
import dev.taskq.core.TaskqException;
import dev.taskq.core.Upstream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The queue's rules over any {@link Storage}: what {@link TaskStore} promises, decided once for
 * every store. Validation, dedupe, ids, tokens, fencing, log line texts and resume packets live
 * here; the storage only reads and writes atomically.
 */
public final class Queue implements TaskStore {
  private static final int RESUME_LOG_LINES = 10;
  static final int UPSTREAM_TASK_CHARS = 1_500;
  static final int UPSTREAM_TASK_LINES = 20;
  static final int UPSTREAM_TOTAL_CHARS = 8_000;

  private final Storage storage;
  private final Duration lease;
  private final Duration progressDeadline;
  private final Tokens tokens = new Tokens();

  public Queue(Storage storage, Duration lease) {
    this(
        storage,
        lease,
        StoreConfig.DEFAULT_PROGRESS_DEADLINE.compareTo(lease) >= 0
            ? StoreConfig.DEFAULT_PROGRESS_DEADLINE
            : lease);
  }

  /**
   * @param lease how long a claim lasts without a sign of life
   * @param progressDeadline how long it lasts without a checkpoint, whatever the signs of life
   */
  public Queue(Storage storage, Duration lease, Duration progressDeadline) {
    this.storage = storage;
    this.lease = lease;
    this.progressDeadline = progressDeadline;
  }

  // ------------------------------------------------------------------ enqueue

  @Override
  public List<EnqueueResult> enqueue(List<NewTask> tasks) {
    if (tasks == null || tasks.isEmpty()) {
      throw TaskqException.invalid("tasks", "give at least one task");
    }
    if (tasks.size() > Limits.BATCH_MAX) {
      throw TaskqException.invalid("tasks", "at most " + Limits.BATCH_MAX + " tasks per call");
    }
    return storage.enqueue((queue, now) -> new EnqueuePlan(tasks, queue, now).batch());
  }

  // ------------------------------------------------------------------ claim

  @Override
  public ClaimResult claimNext(Holder holder, String lane) {
    if (holder == null) {
      throw TaskqException.invalid("holder", "is required");
    }
    String laneKey = Limits.lane(lane);
    Claimed c = storage.claim(new ClaimSpec(holder, laneKey, tokens.next(), lease));
    if (c == null) {
      return new ClaimResult.Nothing(storage.idle(laneKey));
    }
    Task t = c.task();
    return new ClaimResult.Claimed(
        new Claim(t, t.lease().token(), t.attempt(), t.lease().until(), resumeFor(c), upstream(t)));
  }

  /**
   * What earlier attempts left: the latest checkpoint and the task's recent log lines (without this
   * claim's own CLAIMED line). Read after the claim: advisory, so a line another process appends
   * meanwhile does no harm.
   */
  private ResumePacket resumeFor(Claimed c) {
    Task before = c.before();
    if (before.checkpoints() == 0 && before.attempt() == 0) {
      return null;
    }
    Checkpoint latest =
        before.checkpoints() > 0 ? storage.checkpoint(before.id(), before.checkpoints()) : null;
    String claimedLine = c.lines().get(c.lines().size() - 1);
    List<String> recent = new ArrayList<>(storage.recent(before.id(), RESUME_LOG_LINES + 1));
    recent.remove(claimedLine);
    while (recent.size() > RESUME_LOG_LINES) {
      recent.remove(0);
    }
    ResumePacket p = new ResumePacket(latest, recent);
    return p.isEmpty() ? null : p;
  }

  /**
   * Fan-in: what the tasks this one waited for produced, so a "report after three audits" task
   * starts with their results in hand. Each result's first lines, bounded per task and in all; the
   * rest stays where {@code where} says.
   */
  private List<Upstream> upstream(Task t) {
    List<Upstream> out = new ArrayList<>();
    int budget = UPSTREAM_TOTAL_CHARS;
    for (String id : t.after()) {
      Task dep = storage.read(id);
      if (dep == null) {
        continue;
      }
      String result = dep.result() == null ? "" : dep.result().strip();
      String excerpt = excerpt(result, Math.min(UPSTREAM_TASK_CHARS, Math.max(0, budget)));
      budget -= excerpt.length();
      out.add(
          new Upstream(
              dep.id(),
              dep.title(),
              dep.outcome(),
              storage.location(dep),
              excerpt,
              excerpt.length() < result.length()));
    }
    return out;
  }

  /** The first lines of {@code text}, whole lines only, at most {@code max} characters. */
  static String excerpt(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int lines = 0;
    int end = 0;
    while (end < text.length() && lines < UPSTREAM_TASK_LINES) {
      int nl = text.indexOf('\n', end);
      int next = nl < 0 ? text.length() : nl + 1;
      if (next > max) {
        break;
      }
      end = next;
      lines++;
    }
    if (end == 0) {
      end = Math.min(max, text.length()); // one long first line: cut it
    }
    return text.substring(0, end).stripTrailing();
  }

  // ------------------------------------------------------------------ holder operations

  @Override
  public Checkpoint writeCheckpoint(CheckpointRequest r) {
    return storage.update(
        r.id(),
        (t, now) -> {
          requireHeld(t, r.token());
          int n = t.checkpoints() + 1;
          Checkpoint c =
              new Checkpoint(
                  t.id(),
                  n,
                  t.attempt(),
                  now,
                  t.lease().holder().label(),
                  r.summary(),
                  r.progress(),
                  r.findings(),
                  r.next());
          return new Storage.Change<>(
              t.checkpointed(n, r.progress(), now, lease),
              List.of(Events.checkpoint(t.id(), n, r.progress(), r.summary(), now)),
              c,
              c);
        });
  }

  @Override
  public Task complete(String id, String token, Outcome outcome, String result) {
    TaskId.check("id", id);
    if (outcome == null || outcome == Outcome.CANCELLED) {
      throw TaskqException.invalid("outcome", "is required: done, failed or released");
    }
    String text =
        outcome == Outcome.RELEASED
            ? Limits.optionalText("result", result, Limits.RESULT_MAX)
            : Limits.requireText("result", result, Limits.RESULT_MAX);
    checkToken(token);
    return storage.update(
        id,
        (t, now) -> {
          if (outcome == Outcome.DONE && t.failedWithLastClaim(token)) {
            // The last attempt's lease ran out and a claim failed the task, but nobody took it
            // since: the holder's finished work is kept rather than thrown away.
            Task next = t.lateDone(text, now);
            return new Storage.Change<>(next, List.of(Events.lateDone(t, now)), null, next);
          }
          try {
            requireHeld(t, token);
          } catch (TaskqException fenced) {
            throw outcome == Outcome.RELEASED ? fenced : resultNotStored(fenced);
          }
          Task next = t.finishedAs(outcome, text.isEmpty() ? null : text, now);
          return new Storage.Change<>(
              next, List.of(Events.finished(t, outcome, text, now)), null, next);
        });
  }

  @Override
  public String appendLog(String message, String id, String token) {
    String msg = Limits.requireText("message", message, Limits.LOG_MESSAGE_MAX);
    if (id == null && token != null) {
      throw TaskqException.invalid("id", "is required when a token is given");
    }
    if (id != null) {
      TaskId.check("id", id);
    }
    if (id != null && token != null) {
      checkToken(token);
      return storage.update(
          id,
          (t, now) -> {
            requireHeld(t, token);
            String line = Events.note(id, msg, now);
            // A log line shows the holder is alive, not that it progressed: the progress deadline
            // still holds.
            return new Storage.Change<>(
                t.kept(now, lease, progressDeadline), List.of(line), null, line);
          });
    }
    return storage.note(id, now -> Events.note(id, msg, now));
  }

  /** A refused completion: say that its result was not stored, and where to keep it. */
  private static TaskqException resultNotStored(TaskqException fenced) {
    String keep =
        "Your result was NOT stored. Save it where it is not lost (a file in the project), note"
            + " where with append_log {id, message} (no token), and tell the user";
    return new TaskqException(
        fenced.code(),
        fenced.field(),
        fenced.getMessage() + ". " + keep,
        keep + "; then stop working on this task and call claim_next for new work",
        "the result was not stored: save it elsewhere; the task is in the state shown",
        null);
  }

  /** A holder's call on {@code t} goes ahead only with the token of its current claim. */
  private static void requireHeld(Task t, String token) {
    if (t.state() != TaskState.IN_PROGRESS
        || t.lease() == null
        || !t.lease().token().equals(token)) {
      throw StaleClaim.fenced(t);
    }
  }

  private static void checkToken(String token) {
    Limits.requireText("token", token, 100);
  }

  // ------------------------------------------------------------------ liveness

  @Override
  public List<Task> heartbeat(Holder holder) {
    if (holder == null) {
      throw TaskqException.invalid("holder", "is required");
    }
    List<Task> renewed = new ArrayList<>();
    for (String id : storage.heldBy(holder)) {
      Task t =
          ignoringGone(id, () -> storage.update(id, (current, now) -> keep(current, holder, now)));
      if (t != null) {
        renewed.add(t);
      }
    }
    return renewed;
  }

  /** Renews {@code t} when {@code holder}'s process holds its live claim; no log line. */
  private Storage.Change<Task> keep(Task t, Holder holder, Instant now) {
    if (t.state() != TaskState.IN_PROGRESS
        || t.lease() == null
        || !t.lease().holder().sameProcess(holder)) {
      return Storage.Change.none(null); // not held by this process (any more)
    }
    // A claim whose lease ran out while its session was quiet (a long compaction, a person away)
    // and that nobody took since comes back, as a renewal with its token would bring it back.
    Task next = t.kept(now, lease, progressDeadline);
    if (next.lease().equals(t.lease()) || next.lease().expiredAt(now)) {
      return Storage.Change.none(null); // at or past its progress deadline
    }
    return new Storage.Change<>(next, List.of(), null, next);
  }

  @Override
  public List<Task> resumeSession(String session, Holder holder) {
    if (holder == null) {
      throw TaskqException.invalid("holder", "is required");
    }
    if (session == null || session.isBlank()) {
      return List.of();
    }
    List<Task> taken = new ArrayList<>();
    for (TaskRow row :
        storage.page(new QueueQuery(TaskState.IN_PROGRESS, null, 0, 10_000)).rows()) {
      Task seen = storage.read(row.id());
      if (seen == null
          || seen.state() != TaskState.IN_PROGRESS
          || seen.lease() == null
          || !seen.lease().holder().session().equals(session)
          || seen.lease().holder().sameProcess(holder)
          || storage.claimEnded(seen) == null) {
        continue; // not this session's, or its holder still lives
      }
      String token = seen.lease().token();
      Task t =
          ignoringGone(
              row.id(),
              () ->
                  storage.update(
                      row.id(),
                      (current, now) -> {
                        // Still the claim that was seen ended: same token, nobody claimed it since.
                        if (current.state() != TaskState.IN_PROGRESS
                            || current.lease() == null
                            || !current.lease().token().equals(token)) {
                          return Storage.Change.none(null);
                        }
                        Task next = current.adoptedBy(holder, now, lease, progressDeadline);
                        if (next.lease().expiredAt(now)) {
                          return Storage.Change.none(null); // past its progress deadline
                        }
                        return new Storage.Change<>(
                            next, List.of(Events.resumed(current, next, now)), null, next);
                      }));
      if (t != null) {
        taken.add(t);
      }
    }
    return taken;
  }

  @Override
  public String noteUsageLimit(String id, String detail) {
    TaskId.check("id", id);
    String d = Limits.optionalText("detail", detail, Limits.LOG_MESSAGE_MAX);
    Task t = storage.read(id);
    if (t == null) {
      throw TaskqException.notFound(id);
    }
    if (t.state() != TaskState.IN_PROGRESS || t.lease() == null) {
      throw TaskqException.conflict(id, id + " is " + t.state().wire() + ", not claimed");
    }
    String holder = t.lease().holder().label();
    return storage.note(id, now -> Events.usageLimit(id, holder, d, now));
  }

  /** Runs {@code write}, or returns null when its task vanished meanwhile. */
  private static Task ignoringGone(String id, java.util.function.Supplier<Task> write) {
    try {
      return write.get();
    } catch (TaskqException e) {
      if (e.code() != dev.taskq.core.ErrorCode.NOT_FOUND) {
        throw e;
      }
      return null;
    }
  }

  // ------------------------------------------------------------------ views

  @Override
  public QueuePage list(QueueQuery query) {
    return storage.page(query);
  }

  @Override
  public TaskDetail get(String id) {
    TaskId.check("id", id);
    Task t = storage.read(id);
    if (t == null) {
      throw TaskqException.notFound(id);
    }
    List<Checkpoint> cps = new ArrayList<>();
    for (int n = 1; n <= t.checkpoints(); n++) {
      Checkpoint c = storage.checkpoint(id, n);
      if (c != null) {
        cps.add(c);
      }
    }
    String ended = storage.claimEnded(t);
    Function<String, Task> lookup = briefsOf(t);
    return new TaskDetail(
        t,
        cps,
        Blockers.waitingFor(t, lookup),
        Blockers.stuck(t, lookup),
        ended == null ? null : ClaimEnd.view(ended));
  }

  /** Tasks by id for the rules about what {@code t} waits for, read from the storage once each. */
  private Function<String, Task> briefsOf(Task t) {
    Map<String, Task> known = new HashMap<>(storage.briefs(t.after()));
    return id -> known.computeIfAbsent(id, d -> storage.briefs(List.of(d)).get(d));
  }

  @Override
  public List<String> tailLog(int n) {
    if (n < 1 || n > 100_000) {
      throw TaskqException.invalid("n", "must be between 1 and 100000");
    }
    return storage.tail(n);
  }

  // ------------------------------------------------------------------ overrides and shutdown

  @Override
  public int releaseAllHeldBy(Holder holder) {
    int n = 0;
    for (String id : storage.heldBy(holder)) {
      try {
        n +=
            storage.update(
                id,
                (t, now) -> {
                  if (t.state() != TaskState.IN_PROGRESS
                      || t.lease() == null
                      || !t.lease().holder().sameProcess(holder)) {
                    return Storage.Change.none(0);
                  }
                  return new Storage.Change<>(
                      t.finishedAs(Outcome.RELEASED, null, now),
                      List.of(Events.releasedOnShutdown(id, holder, now)),
                      null,
                      1);
                });
      } catch (TaskqException e) {
        if (e.code() != ErrorCode.NOT_FOUND) { // gone meanwhile: nothing to release
          throw e;
        }
      }
    }
    return n;
  }

  @Override
  public Task requeue(String id) {
    TaskId.check("id", id);
    return storage.update(
        id,
        (t, now) -> {
          if (t.state() == TaskState.COMPLETED) {
            throw TaskqException.conflict(
                id, id + " is completed and stays so; enqueue a new task to redo it");
          }
          if (t.state() == TaskState.PENDING) {
            throw TaskqException.conflict(id, id + " is already pending");
          }
          Task next = t.requeued();
          return new Storage.Change<>(next, List.of(Events.requeued(t, now)), null, next);
        });
  }

  @Override
  public Task cancel(String id, String by, String reason) {
    TaskId.check("id", id);
    String who = Limits.requireText("by", by, 200);
    String why = Limits.optionalText("reason", reason, Limits.LOG_MESSAGE_MAX).strip();
    return storage.update(
        id,
        (t, now) -> {
          if (t.state() == TaskState.COMPLETED) {
            throw TaskqException.conflict(id, id + " is completed; there is nothing to cancel");
          }
          if (t.state() == TaskState.FAILED) {
            throw TaskqException.conflict(
                id,
                id
                    + (t.isCancelled() ? " is already cancelled" : " has already failed")
                    + "; there is nothing to cancel");
          }
          Task next = t.cancelled(now, "cancelled by " + who + (why.isEmpty() ? "" : ": " + why));
          return new Storage.Change<>(
              next, List.of(Events.cancelled(t, who, why, now)), null, next);
        });
  }

  @Override
  public Task setPriority(String id, int priority, String by) {
    TaskId.check("id", id);
    String who = Limits.requireText("by", by, 200);
    Limits.priority(priority);
    return storage.update(
        id,
        (t, now) -> {
          if (t.state() == TaskState.COMPLETED) {
            throw TaskqException.conflict(id, id + " is completed; its priority no longer matters");
          }
          if (t.priority() == priority) {
            return Storage.Change.none(t);
          }
          Task next = t.withPriority(priority);
          return new Storage.Change<>(
              next, List.of(Events.priority(t, priority, who, now)), null, next);
        });
  }

  @Override
  public Task forceRelease(String id) {
    TaskId.check("id", id);
    return storage.update(
        id,
        (t, now) -> {
          if (t.state() != TaskState.IN_PROGRESS) {
            throw TaskqException.conflict(
                id, id + " is " + t.state().wire() + ", not claimed; nothing to release");
          }
          Task next = t.finishedAs(Outcome.RELEASED, null, now);
          return new Storage.Change<>(next, List.of(Events.releasedByPerson(t, now)), null, next);
        });
  }

  // ------------------------------------------------------------------ signal and the rest

  @Override
  public long changeMark() {
    return storage.changeMark();
  }

  @Override
  public long awaitChange(long mark, Duration timeout) {
    return storage.awaitChange(mark, timeout);
  }

  @Override
  public List<String> warnings() {
    return storage.warnings();
  }

  @Override
  public String describe() {
    return storage.describe();
  }

  @Override
  public void close() {
    storage.close();
  }
}

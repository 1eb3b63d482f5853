package dev.taskq.store.file;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.CheckpointRequest;
import dev.taskq.core.Claim;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.EnqueueResult;
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
import dev.taskq.core.TaskState;
import dev.taskq.core.TaskqException;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The queue as plain Markdown files in a directory, shared safely by any number of processes. Every
 * operation takes the queue lock, catches up with other processes' changes through the {@link
 * Journal}, then moves files with durable atomic writes. See {@link TaskStore} for the guarantees.
 */
public final class FileTaskStore implements TaskStore {
  private static final int RESUME_LOG_LINES = 10;
  private static final char[] TOKEN_CHARS = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

  private final StoreConfig config;
  private final QueueFolder folder;
  private final QueueLock lock;
  private final DurableFiles files;
  private final EventLog log;
  private final Journal journal;
  private final QueueIndex index = new QueueIndex();
  private final IndexSync sync;
  private final SecureRandom random = new SecureRandom();
  private final ChangeSignal signal;
  private volatile boolean layoutChecked;

  public FileTaskStore(StoreConfig config) {
    this.config = config;
    this.folder = new QueueFolder(config.dir());
    this.lock = new QueueLock(folder.meta.resolve("lock"));
    this.files = new DurableFiles(folder.tmp);
    this.log = new EventLog(folder.log);
    this.journal = new Journal(folder.meta);
    this.sync = new IndexSync(lock, folder, index, journal, files, log, config.clock());
    this.signal = new ChangeSignal(folder);
    createLayout();
    layoutChecked = true;
  }

  /** People drop task files into pending/ by hand, so the folders exist from the start. */
  private void createLayout() {
    try {
      folder.createLayout();
    } catch (IOException e) {
      throw TaskqException.storeError(
          "cannot create the queue folders in "
              + folder.root
              + " ("
              + e
              + "); check that its"
              + " parent folder exists and is writable, or set TASKQ_DIR",
          e);
    }
  }

  @Override
  public List<String> warnings() {
    String w = QueueFilesystem.networkWarning(folder.root);
    return w == null ? List.of() : List.of(w);
  }

  @Override
  public long changeMark() {
    return signal.mark();
  }

  @Override
  public long awaitChange(long mark, Duration timeout) {
    return signal.await(mark, timeout);
  }

  @Override
  public String describe() {
    return "filesystem " + QueueFilesystem.type(folder.root);
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
    return locked(
        () -> {
          Instant now = now();
          List<EnqueueResult> results = new ArrayList<>();
          Map<String, Task> fresh = new LinkedHashMap<>();
          Map<String, Task> byKey = new HashMap<>();
          for (NewTask n : tasks) {
            Task existing = n.dedupeKey() == null ? null : findByDedupeKey(n.dedupeKey(), byKey);
            if (existing != null) {
              if (!n.sameContentAs(existing)) {
                throw TaskqException.conflict(
                    "dedupe_key '"
                        + n.dedupeKey()
                        + "' already names task "
                        + existing.id()
                        + " with different content; use another key or the same content");
              }
              results.add(new EnqueueResult(existing, false));
              continue;
            }
            String id = n.id() != null ? n.id() : freshId(now, fresh.keySet());
            if (index.get(id) != null || fresh.containsKey(id) || onDiskAnywhere(id)) {
              throw TaskqException.conflict(
                  "a task with id '" + id + "' already exists; choose another id or omit it");
            }
            Task t = Task.fresh(n, id, now);
            fresh.put(id, t);
            if (t.dedupeKey() != null) {
              byKey.put(t.dedupeKey(), t);
            }
            results.add(new EnqueueResult(t, true));
          }
          Dependencies.check(fresh, index);
          if (!fresh.isEmpty()) {
            List<String> lines = new ArrayList<>();
            for (Task t : fresh.values()) {
              lines.add(EventLog.line(now, "ENQUEUED", t.id(), "— " + t.title()));
            }
            change(new ArrayList<>(fresh.values()), lines, true);
          }
          return results;
        });
  }

  private Task findByDedupeKey(String key, Map<String, Task> batch) throws IOException {
    Task inBatch = batch.get(key);
    if (inBatch != null) {
      return inBatch;
    }
    String id = index.idForDedupeKey(key);
    return id == null ? null : readFull(id);
  }

  private String freshId(Instant now, Set<String> taken) {
    while (true) {
      String id = TaskId.generate(now, random);
      if (index.get(id) == null && !taken.contains(id) && !onDiskAnywhere(id)) {
        return id;
      }
    }
  }

  private boolean onDiskAnywhere(String id) {
    for (TaskState s : TaskState.values()) {
      if (folder.exists(s, id)) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ claim

  @Override
  public ClaimResult claimNext(Holder holder, String lane) {
    if (holder == null) {
      throw TaskqException.invalid("holder", "is required");
    }
    String laneKey = Limits.lane(lane);
    return locked(
        () -> {
          expireStale();
          while (true) {
            Task best = index.nextReady(laneKey);
            if (best == null && sync.reconcileIfIdle()) {
              best = index.nextReady(laneKey);
            }
            if (best == null) {
              return new ClaimResult.Nothing(QueueViews.idle(index, laneKey));
            }
            Task full = sync.readOrForget(TaskState.PENDING, best.id());
            if (full == null || full.state() != TaskState.PENDING) {
              continue; // vanished or unreadable: the index was corrected, try the next one
            }
            Instant now = now();
            String token = newToken();
            Task claimed = full.claimed(holder, token, now, config.lease());
            ResumePacket resume = resumeFor(full);
            String line =
                EventLog.line(
                    now,
                    "CLAIMED",
                    full.id(),
                    "attempt "
                        + claimed.attempt()
                        + "/"
                        + claimed.maxAttempts()
                        + " by "
                        + holder.label());
            change(List.of(claimed), List.of(line), false);
            return new ClaimResult.Claimed(
                new Claim(claimed, token, claimed.attempt(), claimed.lease().until(), resume));
          }
        });
  }

  private ResumePacket resumeFor(Task t) throws IOException {
    if (t.checkpoints() == 0 && t.attempt() == 0) {
      return null;
    }
    Checkpoint latest = t.checkpoints() > 0 ? folder.readCheckpoint(t.id(), t.checkpoints()) : null;
    ResumePacket p = new ResumePacket(latest, log.recentFor(t.id(), RESUME_LOG_LINES));
    return p.isEmpty() ? null : p;
  }

  private String newToken() {
    char[] c = new char[16];
    for (int i = 0; i < c.length; i++) {
      c[i] = TOKEN_CHARS[random.nextInt(TOKEN_CHARS.length)];
    }
    return new String(c);
  }

  /** Ends claims whose lease passed or whose holder process is gone. */
  private void expireStale() throws IOException {
    Instant now = now();
    for (Task t : List.copyOf(index.inProgress())) {
      String why = null;
      if (t.lease() == null || t.lease().expiredAt(now)) {
        why = "lease ran out";
      } else if (!sync.holderAlive(t.lease().holder())) {
        why = "holder process gone";
      }
      if (why == null) {
        continue;
      }
      Task full = sync.readOrForget(TaskState.IN_PROGRESS, t.id());
      if (full == null || full.state() != TaskState.IN_PROGRESS) {
        continue;
      }
      Task next = full.expired(now, why);
      List<String> lines = new ArrayList<>();
      lines.add(
          EventLog.line(
              now,
              "EXPIRED",
              t.id(),
              "attempt " + full.attempt() + "/" + full.maxAttempts() + " (" + why + ")"));
      if (next.state() == TaskState.FAILED) {
        lines.add(
            EventLog.line(now, "FAILED", t.id(), "— " + t.title() + " (" + next.reason() + ")"));
      }
      change(List.of(next), lines, false);
    }
  }

  // ------------------------------------------------------------------ holder operations

  @Override
  public Checkpoint writeCheckpoint(CheckpointRequest r) {
    return holderChange(
        r.id(),
        r.token(),
        (t, now) -> {
          int n = t.checkpoints() + 1;
          while (Files.exists(folder.checkpoint(t.id(), n))) {
            n++; // a crash may have left a checkpoint its task file never counted
          }
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
          String progress = r.progress() == null ? "" : " " + r.progress();
          String line =
              EventLog.line(
                  now, "CHECKPOINT", t.id(), "#" + n + progress + " — " + firstLine(r.summary()));
          return new HolderPlan<>(
              t.checkpointed(n, r.progress(), now, config.lease()),
              line,
              folder.checkpoint(t.id(), n),
              QueueFolder.utf8(CheckpointFile.render(c)),
              c);
        });
  }

  @Override
  public Task complete(String id, String token, Outcome outcome, String result) {
    TaskId.check("id", id);
    if (outcome == null) {
      throw TaskqException.invalid("outcome", "is required: done, failed or released");
    }
    String text =
        outcome == Outcome.RELEASED
            ? Limits.optionalText("result", result, Limits.RESULT_MAX)
            : Limits.requireText("result", result, Limits.RESULT_MAX);
    return holderChange(
        id,
        token,
        (t, now) -> {
          Task next = t.finishedAs(outcome, text.isEmpty() ? null : text, now);
          String line =
              switch (outcome) {
                case DONE -> EventLog.line(now, "DONE", id, "— " + t.title());
                case FAILED ->
                    EventLog.line(
                        now, "FAILED", id, "— " + t.title() + " (" + firstLine(text) + ")");
                case RELEASED ->
                    EventLog.line(now, "RELEASED", id, "by " + t.lease().holder().label());
              };
          return new HolderPlan<>(next, line, null, null, next);
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
      return holderChange(
          id,
          token,
          (t, now) -> {
            String line = EventLog.line(now, "LOG", id, msg);
            return new HolderPlan<>(t.renewed(now, config.lease()), line, null, null, line);
          });
    }
    return locked(
        () -> {
          if (id != null && index.get(id) == null) {
            throw TaskqException.notFound(id);
          }
          String line = EventLog.line(now(), "LOG", id, msg);
          log.append(List.of(line));
          return line;
        });
  }

  /**
   * What a holder operation does to its task: the task's next version, its log line, maybe one new
   * file (a checkpoint), and what to answer.
   */
  private record HolderPlan<T>(
      Task next, String line, Path extraTarget, byte[] extraBytes, T answer) {}

  private interface HolderStep<T> {
    HolderPlan<T> plan(Task held, Instant now) throws IOException;
  }

  /**
   * Runs a holder operation. Its files are written and fsynced BEFORE taking the queue lock, from
   * the task as read then; under the lock they are only renamed into place, if the index shows the
   * task unchanged since (same rev and token; every write bumps rev). Otherwise the staged files
   * are dropped and the operation runs wholly under the lock. Holders rarely race for their own
   * task, so the lock is held for renames, not fsyncs, and other sessions' claims wait less.
   */
  private <T> T holderChange(String id, String token, HolderStep<T> step) {
    TaskId.check("id", id);
    Limits.requireText("token", token, 100);
    Staging<T> staged = stage(id, token, step);
    try {
      return locked(
          () -> {
            HolderPlan<T> plan;
            Map<String, DurableFiles.Staged> ready = Map.of();
            if (staged != null && staged.stillValid(index.get(id), token)) {
              plan = staged.plan;
              if (staged.extra != null) {
                files.install(staged.extra);
              }
              ready = Map.of(id, staged.task);
            } else {
              plan = step.plan(requireHeld(id, token), now());
              if (plan.extraTarget() != null) {
                files.write(plan.extraTarget(), plan.extraBytes());
              }
            }
            sync.change(List.of(plan.next()), ready, List.of(plan.line()), false);
            return plan.answer();
          });
    } finally {
      if (staged != null) {
        staged.discard();
      }
    }
  }

  private record Staging<T>(
      Task seen, HolderPlan<T> plan, DurableFiles.Staged task, DurableFiles.Staged extra) {
    boolean stillValid(Task known, String token) {
      return known != null
          && known.state() == TaskState.IN_PROGRESS
          && known.rev() == seen.rev()
          && known.lease() != null
          && known.lease().token().equals(token)
          && (extra == null || !Files.exists(extra.target()));
    }

    void discard() {
      DurableFiles.discard(task);
      if (extra != null) {
        DurableFiles.discard(extra);
      }
    }
  }

  /** Prepares a holder operation outside the lock; null when the locked path must decide. */
  private <T> Staging<T> stage(String id, String token, HolderStep<T> step) {
    DurableFiles.Staged task = null;
    try {
      Task seen = folder.readTask(TaskState.IN_PROGRESS, id);
      if (seen == null || seen.lease() == null || !seen.lease().token().equals(token)) {
        return null;
      }
      HolderPlan<T> plan = step.plan(seen, now());
      task =
          files.stage(
              folder.file(plan.next().state(), id), QueueFolder.utf8(TaskFile.render(plan.next())));
      DurableFiles.Staged extra =
          plan.extraTarget() == null ? null : files.stage(plan.extraTarget(), plan.extraBytes());
      return new Staging<>(seen, plan, task, extra);
    } catch (IOException | QueueFolder.Unreadable e) {
      if (task != null) {
        DurableFiles.discard(task);
      }
      return null; // the locked path reads again and reports what is wrong
    }
  }

  /** The task as its holder's token allows it to be changed, or FENCED / NOT_FOUND. */
  private Task requireHeld(String id, String token) throws IOException {
    TaskId.check("id", id);
    Limits.requireText("token", token, 100);
    Task known = index.get(id);
    if (known == null) {
      throw TaskqException.notFound(id);
    }
    Task t =
        known.state() == TaskState.IN_PROGRESS
            ? sync.readOrForget(TaskState.IN_PROGRESS, id)
            : known;
    if (t == null) {
      throw TaskqException.notFound(id);
    }
    if (t.state() == TaskState.IN_PROGRESS
        && t.lease() != null
        && t.lease().token().equals(token)) {
      return t;
    }
    throw StaleClaim.fenced(t);
  }

  // ------------------------------------------------------------------ views

  @Override
  public QueuePage list(QueueQuery q) {
    return locked(
        () -> {
          sync.reconcileIfDue();
          expireStale();
          return QueueViews.page(index, q, now());
        });
  }

  @Override
  public TaskDetail get(String id) {
    TaskId.check("id", id);
    return locked(
        () -> {
          expireStale();
          Task t = readFull(id);
          List<Checkpoint> cps = new ArrayList<>();
          for (int n = 1; n <= t.checkpoints(); n++) {
            Checkpoint c = folder.readCheckpoint(id, n);
            if (c != null) {
              cps.add(c);
            }
          }
          return new TaskDetail(t, cps, index.blockedBy(t));
        });
  }

  private Task readFull(String id) throws IOException {
    Task known = index.get(id);
    if (known == null) {
      throw TaskqException.notFound(id);
    }
    Task t = sync.readOrForget(known.state(), id);
    if (t == null) {
      throw TaskqException.notFound(id);
    }
    return t;
  }

  @Override
  public List<String> tailLog(int n) {
    if (n < 1 || n > 100_000) {
      throw TaskqException.invalid("n", "must be between 1 and 100000");
    }
    try {
      return log.tail(n);
    } catch (IOException e) {
      throw TaskqException.storeError("cannot read " + folder.log + ": " + e.getMessage(), e);
    }
  }

  // ------------------------------------------------------------------ overrides by people and
  // shutdown

  @Override
  public int releaseAllHeldBy(Holder holder) {
    return locked(
        () -> {
          int n = 0;
          Instant now = now();
          for (Task t : List.copyOf(index.inProgress())) {
            if (t.lease() != null && t.lease().holder().sameProcess(holder)) {
              Task full = sync.readOrForget(TaskState.IN_PROGRESS, t.id());
              if (full != null
                  && full.lease() != null
                  && full.lease().holder().sameProcess(holder)) {
                Task next = full.finishedAs(Outcome.RELEASED, null, now);
                String line =
                    EventLog.line(
                        now, "RELEASED", t.id(), "by " + holder.label() + " (shutting down)");
                change(List.of(next), List.of(line), false);
                n++;
              }
            }
          }
          return n;
        });
  }

  @Override
  public Task requeue(String id) {
    TaskId.check("id", id);
    return locked(
        () -> {
          Task t = readFull(id);
          if (t.state() == TaskState.COMPLETED) {
            throw TaskqException.conflict(
                id + " is completed and stays so; enqueue a new task to redo it");
          }
          if (t.state() == TaskState.PENDING) {
            throw TaskqException.conflict(id + " is already pending");
          }
          Task next = t.requeued();
          Instant now = now();
          String line =
              EventLog.line(now, "REQUEUED", id, "from " + t.state().folder() + " by a person");
          change(List.of(next), List.of(line), false);
          return next;
        });
  }

  @Override
  public Task forceRelease(String id) {
    TaskId.check("id", id);
    return locked(
        () -> {
          Task t = readFull(id);
          if (t.state() != TaskState.IN_PROGRESS) {
            throw TaskqException.conflict(
                id + " is " + t.state().folder() + ", not claimed; nothing to release");
          }
          Instant now = now();
          Task next = t.finishedAs(Outcome.RELEASED, null, now);
          String line =
              EventLog.line(
                  now, "RELEASED", id, "by a person; " + t.lease().holder().label() + " is fenced");
          change(List.of(next), List.of(line), false);
          return next;
        });
  }

  @Override
  public void close() {
    try {
      lock.lock();
      try {
        journal.close();
      } finally {
        lock.unlock();
      }
    } catch (IOException e) {
      // closing: nothing to report
    } finally {
      lock.close();
    }
  }

  // ------------------------------------------------------------------ machinery

  private interface Body<T> {
    T run() throws IOException;
  }

  /** Runs {@code body} under the queue lock after catching up with other processes. */
  private <T> T locked(Body<T> body) {
    for (int attempt = 1; ; attempt++) {
      try {
        return lockedOnce(body);
      } catch (QueueLock.Lost e) {
        // Nothing was changed: someone deleted the lock file under us. Lock the new one, retry.
        if (attempt >= 10) {
          throw TaskqException.storeError(e.getMessage(), e);
        }
        pause(attempt);
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw TaskqException.storeError("interrupted while waiting for the queue lock", ie);
    }
  }

  private <T> T lockedOnce(Body<T> body) throws QueueLock.Lost {
    if (!layoutChecked) {
      createLayout();
      layoutChecked = true;
    }
    try {
      lock.lock();
    } catch (IOException e) {
      throw TaskqException.storeError(
          "cannot lock the queue at " + folder.root + " (" + e + "); check it is writable", e);
    }
    try {
      sync.catchUp();
      return body.run();
    } catch (QueueLock.Lost e) {
      sync.invalidate();
      throw e;
    } catch (IOException e) {
      sync.invalidate();
      layoutChecked = false; // a folder may have been removed or replaced: check it next time
      throw TaskqException.storeError("queue folder " + folder.root + ": " + e, e);
    } catch (TaskqException e) {
      throw e;
    } catch (RuntimeException e) {
      sync.invalidate();
      throw TaskqException.storeError("unexpected " + e, e);
    } finally {
      lock.unlock();
      files.syncDirs();
      signal.poke();
    }
  }

  /**
   * Applies one change to the files: journal the intent, write each task into its state folder,
   * remove it from the folder it left, append the log lines, journal the commit.
   */
  private void change(List<Task> next, List<String> lines, boolean undoable) throws IOException {
    sync.change(next, lines, undoable);
  }

  /** Milliseconds are enough for leases, and keep the files readable. */
  private Instant now() {
    return config.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    String t = s.strip();
    int nl = t.indexOf('\n');
    t = nl < 0 ? t : t.substring(0, nl);
    return t.length() > 120 ? t.substring(0, 117) + "..." : t;
  }
}

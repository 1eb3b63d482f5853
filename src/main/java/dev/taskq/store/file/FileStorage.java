package dev.taskq.store.file;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.ErrorCode;
import dev.taskq.core.Holder;
import dev.taskq.core.IdleReason;
import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.Task;
import dev.taskq.core.TaskState;
import dev.taskq.core.TaskqException;
import dev.taskq.store.ClaimEnd;
import dev.taskq.store.ClaimSpec;
import dev.taskq.store.Claimed;
import dev.taskq.store.Events;
import dev.taskq.store.Storage;
import dev.taskq.store.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The queue as plain Markdown files in a directory, shared safely by any number of processes: the
 * file store's side of {@link Storage}. Every operation takes the queue lock, catches up with other
 * processes' changes through the {@link Journal}, then moves files with durable atomic writes. The
 * queue's rules are not here but in {@link dev.taskq.store.Queue}; see the package documentation
 * for one claim walked from the call to the fsync.
 */
public final class FileStorage implements Storage {
  private final StoreConfig config;
  private final QueueFolder folder;
  private final QueueLock lock;
  private final DurableFiles files;
  private final EventLog log;
  private final Journal journal;
  private final QueueIndex index = new QueueIndex();
  private final IndexSync sync;
  private final ChangeSignal signal;
  private volatile boolean layoutChecked;

  public FileStorage(StoreConfig config) {
    this(config, QueueLock.DEFAULT_WAIT);
  }

  /** With the queue lock's wait bounded by {@code lockWait} (tests use a short one). */
  FileStorage(StoreConfig config, Duration lockWait) {
    this.config = config;
    this.folder = new QueueFolder(config.dir());
    this.lock = new QueueLock(folder.meta.resolve("lock"), lockWait);
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
  public String describe() {
    return "filesystem " + QueueFilesystem.type(folder.root);
  }

  @Override
  public long changeMark() {
    return signal.mark();
  }

  @Override
  public long awaitChange(long mark, Duration timeout) {
    return signal.await(mark, timeout);
  }

  // ------------------------------------------------------------------ enqueue

  @Override
  public <R> R enqueue(EnqueueStep<R> step) {
    return locked(
        () -> {
          Batch<R> b = step.plan(lookup, now());
          if (!b.tasks().isEmpty()) {
            sync.change(b.tasks(), b.lines(), true);
          }
          return b.answer();
        });
  }

  /** The enqueue's view of the queue; used under the lock only. */
  private final Lookup lookup =
      new Lookup() {
        @Override
        public Task byDedupeKey(String key) {
          String id = index.idForDedupeKey(key);
          try {
            return id == null ? null : readFull(id);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override
        public boolean exists(String id) {
          if (index.get(id) != null) {
            return true;
          }
          for (TaskState s : TaskState.values()) {
            if (folder.exists(s, id)) {
              return true;
            }
          }
          return false;
        }
      };

  // ------------------------------------------------------------------ claim

  @Override
  public Claimed claim(ClaimSpec spec) {
    return locked(
        () -> {
          sync.reconcilePendingIfDue();
          Instant now = now();
          failExhausted(now);
          Set<String> passed = new HashSet<>();
          while (true) {
            Task best = best(spec.lane(), now, passed);
            if (best == null && sync.reconcileIfIdle()) {
              best = best(spec.lane(), now, passed);
            }
            if (best == null) {
              return null;
            }
            Task full = sync.readOrForget(best.state(), best.id());
            if (full == null) {
              passed.add(best.id()); // vanished or unreadable: the index was corrected
              continue;
            }
            if (full.state() != best.state() || full.rev() != best.rev()) {
              continue; // another version on disk: the index was corrected, look again
            }
            if (full.state() == TaskState.PENDING) {
              Task claimed = full.claimed(spec.holder(), spec.token(), now, spec.lease());
              List<String> lines = Events.claimed(full, claimed, null, now);
              sync.change(List.of(claimed), lines, false);
              return new Claimed(claimed, full, lines);
            }
            // A claim that ended: the task goes through pending, so that the claim creates its
            // in-progress file anew, where no file exists (see IndexSync.change).
            String why = ClaimEnd.why(full, now, alive(full));
            if (why == null) {
              passed.add(full.id()); // its file says the claim is live (edited by hand?)
              continue;
            }
            Task back = full.expired(now, why);
            Task claimed = back.claimed(spec.holder(), spec.token(), now, spec.lease());
            List<String> lines = Events.claimed(full, claimed, why, now);
            sync.change(List.of(back), lines.subList(0, 1), false);
            sync.change(List.of(claimed), lines.subList(1, 2), false);
            return new Claimed(claimed, full, lines);
          }
        });
  }

  /**
   * The first claimable task in claim order: the best ready pending task, or an in-progress task
   * whose claim ended and that has attempts left, whichever comes first.
   */
  private Task best(String lane, Instant now, Set<String> passed) {
    Task best = index.nextReady(lane, passed);
    for (Task t : index.inProgress()) {
      if ((lane == null || lane.equals(t.lane()))
          && t.attempt() < t.maxAttempts()
          && !passed.contains(t.id())
          && (best == null || QueueIndex.CLAIM_ORDER.compare(t, best) < 0)
          && ClaimEnd.why(t, now, alive(t)) != null) {
        best = t;
      }
    }
    return best;
  }

  /** Claims that ended on their last attempt: their tasks fail. */
  private void failExhausted(Instant now) throws IOException {
    for (Task t : List.copyOf(index.inProgress())) {
      if (t.attempt() < t.maxAttempts() || ClaimEnd.why(t, now, alive(t)) == null) {
        continue;
      }
      Task full = sync.readOrForget(TaskState.IN_PROGRESS, t.id());
      if (full == null
          || full.lease() == null
          || t.lease() == null
          || !full.lease().token().equals(t.lease().token())) {
        continue; // changed meanwhile (readOrForget corrected the index)
      }
      String why = ClaimEnd.why(full, now, alive(full));
      if (why == null || full.attempt() < full.maxAttempts()) {
        continue;
      }
      Task failed = full.expired(now, why);
      sync.change(List.of(failed), Events.exhausted(full, failed, why, now), false);
    }
  }

  private boolean alive(Task t) {
    return t.lease() == null || sync.holderAlive(t.lease().holder());
  }

  // ------------------------------------------------------------------ update

  @Override
  public <R> R update(String id, Step<R> step) {
    Staging<R> staged = stage(id, step);
    try {
      return locked(
          () -> {
            if (staged != null && staged.stillValid(index.get(id))) {
              if (staged.checkpoint != null) {
                files.install(staged.checkpoint);
              }
              sync.change(
                  List.of(staged.change.next()),
                  Map.of(id, staged.task),
                  staged.change.lines(),
                  false);
              return staged.change.answer();
            }
            Task current = readFull(id);
            Change<R> c = step.apply(current, now());
            if (c.next() == null) {
              log.append(c.lines());
              return c.answer();
            }
            if (c.checkpoint() != null) {
              files.write(
                  folder.checkpoint(id, c.checkpoint().n()),
                  QueueFolder.utf8(CheckpointFile.render(c.checkpoint())));
            }
            sync.change(List.of(c.next()), c.lines(), false);
            return c.answer();
          });
    } finally {
      if (staged != null) {
        staged.discard();
      }
    }
  }

  /**
   * A change prepared outside the lock: its files written and fsynced from the task as read then.
   * Under the lock they are only renamed into place, if the index shows the task unchanged since
   * (same rev; every write bumps it). Holders rarely race for their own task, so the lock is held
   * for renames, not fsyncs, and other sessions' claims wait less.
   */
  private record Staging<R>(
      Task seen, Change<R> change, DurableFiles.Staged task, DurableFiles.Staged checkpoint) {
    boolean stillValid(Task known) {
      return known != null && known.state() == seen.state() && known.rev() == seen.rev();
    }

    void discard() {
      DurableFiles.discard(task);
      if (checkpoint != null) {
        DurableFiles.discard(checkpoint);
      }
    }
  }

  /**
   * Prepares a change of an in-progress task (a holder's call, the hot path) outside the lock; null
   * when the locked path must decide (another state, a refusal, anything unreadable).
   */
  private <R> Staging<R> stage(String id, Step<R> step) {
    DurableFiles.Staged task = null;
    try {
      Task seen = folder.readTask(TaskState.IN_PROGRESS, id);
      if (seen == null) {
        return null;
      }
      Change<R> c = step.apply(seen, now());
      if (c.next() == null) {
        return null;
      }
      task =
          files.stage(
              folder.file(c.next().state(), id), QueueFolder.utf8(TaskFile.render(c.next())));
      DurableFiles.Staged cp =
          c.checkpoint() == null
              ? null
              : files.stage(
                  folder.checkpoint(id, c.checkpoint().n()),
                  QueueFolder.utf8(CheckpointFile.render(c.checkpoint())));
      return new Staging<>(seen, c, task, cp);
    } catch (IOException | QueueFolder.Unreadable | RuntimeException e) {
      if (task != null) {
        DurableFiles.discard(task);
      }
      return null; // the locked path reads again and decides (or reports what is wrong)
    }
  }

  @Override
  public String note(String id, Function<Instant, String> line) {
    return locked(
        () -> {
          if (id != null && index.get(id) == null) {
            throw TaskqException.notFound(id);
          }
          String l = line.apply(now());
          log.append(List.of(l));
          return l;
        });
  }

  // ------------------------------------------------------------------ reads

  @Override
  public Task read(String id) {
    return locked(
        () -> {
          Task known = index.get(id);
          Task t = known == null ? null : sync.readOrForget(known.state(), id);
          if (t == null) {
            requireReadable(id);
          }
          return t;
        });
  }

  /**
   * A task whose file cannot be read is not "not found": say which file and why, so a person can
   * fix it. Returns when there is no such file either.
   */
  private void requireReadable(String id) {
    CorruptFile c = index.corruptTask(id);
    if (c != null) {
      throw new TaskqException(
          ErrorCode.STORE_ERROR,
          "id",
          "task " + id + " cannot be read: " + c.path() + ": " + c.reason(),
          "the task's file is damaged; tell the user (taskq status lists it) and leave the task"
              + " alone; nothing was changed",
          "fix or move "
              + folder.root.resolve(c.path())
              + " by hand (taskq status lists it); nothing was changed",
          null);
    }
  }

  @Override
  public String location(Task t) {
    return folder.file(t.state(), t.id()).toString();
  }

  @Override
  public String claimEnded(Task t) {
    return ClaimEnd.why(t, now(), alive(t));
  }

  @Override
  public Checkpoint checkpoint(String id, int n) {
    try {
      return folder.readCheckpoint(id, n);
    } catch (IOException e) {
      return null; // checkpoints are advisory
    }
  }

  @Override
  public Map<String, Task> briefs(Collection<String> ids) {
    return locked(
        () -> {
          Map<String, Task> out = new HashMap<>();
          for (String id : ids) {
            Task t = index.get(id);
            if (t != null) {
              out.put(id, t);
            }
          }
          return out;
        });
  }

  @Override
  public QueuePage page(QueueQuery q) {
    return locked(
        () -> {
          sync.reconcileIfDue();
          return QueueViews.page(index, q, now(), this::alive);
        });
  }

  @Override
  public IdleReason idle(String lane) {
    return locked(() -> QueueViews.idle(index, lane));
  }

  @Override
  public List<String> heldBy(Holder holder) {
    return locked(
        () -> {
          List<String> out = new ArrayList<>();
          for (Task t : index.inProgress()) {
            if (t.lease() != null && t.lease().holder().sameProcess(holder)) {
              out.add(t.id());
            }
          }
          return out;
        });
  }

  @Override
  public List<String> tail(int n) {
    try {
      return log.tail(n);
    } catch (IOException e) {
      throw TaskqException.storeError("cannot read " + folder.log + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<String> recent(String id, int n) {
    try {
      return log.recentFor(id, n);
    } catch (IOException e) {
      throw TaskqException.storeError("cannot read " + folder.log + ": " + e.getMessage(), e);
    }
  }

  private Task readFull(String id) throws IOException {
    Task known = index.get(id);
    Task t = known == null ? null : sync.readOrForget(known.state(), id);
    if (t == null) {
      requireReadable(id);
      throw TaskqException.notFound(id);
    }
    return t;
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
    } catch (IOException | UncheckedIOException e) {
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

  /** Milliseconds are enough for leases, and keep the files readable. */
  private Instant now() {
    return config.clock().instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** The queue folder this storage keeps. */
  Path root() {
    return folder.root;
  }
}

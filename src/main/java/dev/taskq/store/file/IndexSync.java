package dev.taskq.store.file;

import dev.taskq.core.Holder;
import dev.taskq.core.Task;
import dev.taskq.core.TaskState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps this process's {@link QueueIndex} equal to the files, cheaply: under the queue lock it
 * reads the journal lines other processes appended, has {@link CrashRecovery} finish or undo an
 * operation a crash cut short, and has {@link FolderScan} rescan a state folder only when its
 * modification time says someone outside taskq (a person, an editor, a crash) changed it. Every
 * change to task files goes through {@link #change}.
 */
final class IndexSync {
  private static final long IDLE_RESCAN_NANOS = 1_000_000_000L;
  private static final long DUE_RESCAN_NANOS = 5_000_000_000L;
  private static final long PENDING_RESCAN_MILLIS = 2_000;

  private final QueueLock lock;
  private final QueueFolder folder;
  private final QueueIndex index;
  private final Journal journal;
  private final DurableFiles files;
  private final EventLog log;
  private final FolderScan scan;
  private final CrashRecovery recovery;
  private final HolderLiveness liveness = new HolderLiveness();
  private boolean loaded;
  private List<Long> knownMtimes = List.of();
  private long seq;
  private long lastIdleRescan;
  private long lastFullRescan;
  private long pendingIntervalMillis = PENDING_RESCAN_MILLIS;
  private final Path scanMark;

  IndexSync(
      QueueLock lock,
      QueueFolder folder,
      QueueIndex index,
      Journal journal,
      DurableFiles files,
      EventLog log,
      Clock clock) {
    this.lock = lock;
    this.folder = folder;
    this.index = index;
    this.journal = journal;
    this.files = files;
    this.log = log;
    this.scan = new FolderScan(folder, index, files, clock);
    this.scanMark = folder.meta.resolve("pending-scan");
    this.recovery = new CrashRecovery(folder, files, log, scan, clock);
  }

  /** Forget everything; the next catchUp reloads from the snapshot and the files. */
  void invalidate() {
    loaded = false;
  }

  void catchUp() throws IOException {
    if (!loaded || journal.snapshotChanged()) {
      load();
    }
    JournalRecord open = null;
    for (JournalRecord r : journal.readNew()) {
      seq = Math.max(seq, r.seq());
      if (!r.commit()) {
        open = r;
      } else if (open != null && open.seq() == r.seq()) {
        apply(open);
        r.stampsOrEmpty().forEach(index::stamp);
        knownMtimes = r.mtimes() == null ? knownMtimes : r.mtimes();
        open = null;
      }
    }
    if (open != null) {
      record(recovery.recover(open));
    }
    if (journal.takeGarbled()) {
      knownMtimes = List.of();
    }
    List<Long> now = folder.mtimes();
    if (!now.equals(knownMtimes)) {
      rescan(changedStates(now));
    }
  }

  private void load() throws IOException {
    index.clear();
    seq = 0;
    files.cleanLeftovers(); // temp files of writers that died; we hold the lock, so none is live
    Journal.Snapshot s = journal.loadSnapshot();
    if (s != null) {
      for (Task t : s.entries()) {
        index.put(t);
      }
      for (CorruptFile c : s.corrupt()) {
        index.markCorrupt(c);
      }
      if (s.stamps() != null) {
        s.stamps().forEach(index::stamp);
      }
      knownMtimes = s.mtimes() == null ? List.of() : s.mtimes();
      loaded = true;
      return;
    }
    // First process on this queue, or the snapshot was lost: read the folders once. An empty
    // snapshot with no folder times goes first, so a crash mid-scan makes the next process scan
    // again rather than trust a half-built index.
    knownMtimes = List.of();
    loaded = true;
    journal.writeSnapshot(
        new Journal.Snapshot(journal.gen(), List.of(), List.of(), List.of(), Map.of()), files);
    rescan(List.of(TaskState.values()));
    writeSnapshot();
  }

  private void writeSnapshot() throws IOException {
    List<Long> mt = folder.mtimes();
    journal.writeSnapshot(
        new Journal.Snapshot(
            journal.gen(), new ArrayList<>(index.all()), index.corrupt(), mt, index.stamps()),
        files);
    knownMtimes = mt;
  }

  private List<TaskState> changedStates(List<Long> now) {
    List<TaskState> out = new ArrayList<>();
    TaskState[] all = TaskState.values();
    for (int i = 0; i < all.length; i++) {
      if (knownMtimes.size() != all.length || !knownMtimes.get(i).equals(now.get(i))) {
        out.add(all[i]);
      }
    }
    return out;
  }

  private void apply(JournalRecord r) {
    for (String id : r.delOrEmpty()) {
      index.remove(id);
    }
    for (Task t : r.putOrEmpty()) {
      index.put(t);
    }
    for (CorruptFile c : r.badOrEmpty()) {
      index.markCorrupt(c);
    }
    for (String p : r.goodOrEmpty()) {
      index.clearCorrupt(p);
    }
  }

  /**
   * Applies one change: journal the intent, write each task into its state's folder and remove it
   * from any other, append the log lines, journal the commit with the folders' new times.
   *
   * @param undoable true when a crash midway must undo the change (an enqueue batch)
   */
  void change(List<Task> next, List<String> lines, boolean undoable) throws IOException {
    change(next, Map.of(), lines, undoable);
  }

  /** As {@link #change(List, List, boolean)}, with some task files already staged by id. */
  void change(
      List<Task> next,
      Map<String, DurableFiles.Staged> staged,
      List<String> lines,
      boolean undoable)
      throws IOException {
    Task claimed = claimIn(next);
    if (claimed != null) {
      // The lock file excludes other processes only while nobody deletes it. If someone does, two
      // processes can both believe they hold the lock; then the in-progress file itself decides:
      // it is created only where no file exists, so of two claims on one task one fails here,
      // before anything else is written, and retries with a fresh view of the queue. The lock is
      // checked after the claimed file is staged (an fsync, milliseconds under load), so that the
      // window in which another process could claim and finish the same task is microseconds.
      DurableFiles.Staged mine =
          files.stage(
              folder.file(claimed.state(), claimed.id()),
              QueueFolder.utf8(TaskFile.render(claimed)));
      try {
        lock.ensureStillHeld();
      } catch (QueueLock.Lost e) {
        DurableFiles.discard(mine);
        throw e;
      }
      if (!files.installNew(mine)) {
        if (claimedMeanwhile(claimed)) {
          DurableFiles.discard(mine);
          throw new QueueLock.Lost(
              claimed.id()
                  + " was claimed by another process at the same moment (was .taskq/lock"
                  + " deleted?); retrying with a fresh view of the queue");
        }
        files.install(mine); // an older copy a crash left behind: replace it, as any write does
      } else if (!folder.exists(TaskState.PENDING, claimed.id())) {
        // Our file went in where none was, but the pending copy we claimed is gone: another
        // process (under a lock file someone deleted) claimed the task and finished it meanwhile.
        files.delete(folder.file(claimed.state(), claimed.id()));
        throw new QueueLock.Lost(
            claimed.id()
                + " was claimed by another process at the same moment (was .taskq/lock"
                + " deleted?); retrying with a fresh view of the queue");
      }
    } else {
      lock.ensureStillHeld();
    }
    long s = ++seq;
    journal.append(JournalRecord.begin(s, next, null, null, null, lines, undoable));
    Map<String, Stamp> written = new HashMap<>();
    for (Task t : next) {
      DurableFiles.Staged ready = staged.get(t.id());
      Path file = folder.file(t.state(), t.id());
      if (t == claimed) {
        // written above
      } else if (ready != null) {
        files.install(ready);
      } else {
        files.write(file, QueueFolder.utf8(TaskFile.render(t)));
      }
      written.put(t.id(), Stamp.of(file));
      for (TaskState other : TaskState.values()) {
        if (other != t.state()) {
          files.delete(folder.file(other, t.id()));
        }
      }
    }
    written.values().removeIf(java.util.Objects::isNull);
    log.append(lines);
    commit(s, written);
    for (Task t : next) {
      index.put(t);
      index.stamp(t.id(), written.get(t.id()));
    }
    if (journal.size() > Journal.ROTATE_BYTES) {
      writeSnapshot();
    }
  }

  /** The one task in {@code next} that a claim takes from pending to in-progress, else null. */
  private Task claimIn(List<Task> next) {
    if (next.size() != 1 || next.get(0).state() != TaskState.IN_PROGRESS) {
      return null;
    }
    Task before = index.get(next.get(0).id());
    return before != null && before.state() == TaskState.PENDING ? next.get(0) : null;
  }

  /** Whether the in-progress file already there is another claim of this version, not a relic. */
  private boolean claimedMeanwhile(Task claim) throws IOException {
    try {
      Task there = folder.readTask(TaskState.IN_PROGRESS, claim.id());
      return there != null && there.rev() >= claim.rev();
    } catch (QueueFolder.Unreadable e) {
      return false;
    }
  }

  /** Journals (and applies) what a rescan or a recovery found, so others need not look again. */
  private void record(IndexChanges c) throws IOException {
    if (c.isEmpty() && c.stamps.isEmpty() && folder.mtimes().equals(knownMtimes)) {
      return;
    }
    lock.ensureStillHeld();
    long s = ++seq;
    JournalRecord begin = c.asBegin(s);
    journal.append(begin);
    log.append(c.lines);
    commit(s, c.stamps);
    apply(begin);
    c.stamps.forEach(index::stamp);
  }

  private void commit(long s, Map<String, Stamp> stamps) throws IOException {
    List<Long> mt = folder.mtimes();
    journal.append(JournalRecord.commit(s, mt, stamps));
    knownMtimes = mt;
  }

  /** After nothing was claimable: rescan pending/ (at most once a second) for hand-made tasks. */
  boolean reconcileIfIdle() throws IOException {
    long now = System.nanoTime();
    if (now - lastIdleRescan < IDLE_RESCAN_NANOS) {
      return false;
    }
    lastIdleRescan = now;
    int before = index.readyCount();
    rescan(List.of(TaskState.PENDING));
    return index.readyCount() != before;
  }

  /**
   * For claims: rescan pending/ every few seconds, so an edit made in place (which does not move
   * the folder's time) changes the claim order within seconds. One process noticing is enough (it
   * journals what it found), so the processes on a queue take turns: the time of the last such
   * rescan is the modification time of {@code .taskq/pending-scan}, checked under the queue lock.
   * Stamps make a rescan read only changed files; it still lists and stats the folder, so it runs
   * at most every 2 s, or every 20 times as long as the last one took on a large queue.
   */
  void reconcilePendingIfDue() throws IOException {
    long now = System.currentTimeMillis();
    long last = scanMarkTime();
    boolean clockStepped = last > now + 1_000;
    if (!clockStepped && now - last < pendingIntervalMillis) {
      return;
    }
    long t0 = System.nanoTime();
    rescan(List.of(TaskState.PENDING));
    long tookMillis = (System.nanoTime() - t0) / 1_000_000;
    pendingIntervalMillis = Math.max(PENDING_RESCAN_MILLIS, 20 * tookMillis);
    markScanned(System.currentTimeMillis());
  }

  private long scanMarkTime() throws IOException {
    try {
      return Files.getLastModifiedTime(scanMark).toMillis();
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  private void markScanned(long at) throws IOException {
    if (!Files.exists(scanMark)) {
      Files.createFile(scanMark);
    }
    Files.setLastModifiedTime(scanMark, FileTime.fromMillis(at));
  }

  /** For status views: every few seconds rescan all folders (catches what folder times miss). */
  void reconcileIfDue() throws IOException {
    long now = System.nanoTime();
    if (now - lastFullRescan >= DUE_RESCAN_NANOS) {
      lastFullRescan = now;
      rescan(List.of(TaskState.values()));
    }
  }

  private void rescan(List<TaskState> states) throws IOException {
    IndexChanges c = new IndexChanges();
    for (TaskState s : states) {
      scan.scan(s, c);
    }
    record(c);
  }

  /**
   * The task's file in {@code s}. When it is missing or unreadable the index is corrected (and the
   * correction journaled) and null is returned.
   */
  Task readOrForget(TaskState s, String id) throws IOException {
    IndexChanges c = new IndexChanges();
    Task t;
    try {
      t = folder.readTask(s, id);
    } catch (QueueFolder.Unreadable e) {
      scan.noteBad(folder.relative(folder.file(s, id)), e.getMessage(), c);
      index.remove(id);
      c.del.add(id);
      record(c);
      return null;
    }
    if (t == null) {
      t = scan.settle(id, c);
      if (t == null) {
        scan.forget(id, s, c);
      }
    }
    Task known = index.get(id);
    if (t != null && (known == null || known.rev() != t.rev() || known.state() != t.state())) {
      c.put.add(t);
    }
    if (!c.isEmpty()) {
      record(c);
    }
    return t != null && t.state() == s ? t : null;
  }

  boolean holderAlive(Holder h) {
    return liveness.isAlive(h);
  }
}

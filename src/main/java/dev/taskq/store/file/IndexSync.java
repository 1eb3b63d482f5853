package dev.taskq.store.file;

import dev.taskq.core.Holder;
import dev.taskq.core.Task;
import dev.taskq.core.TaskState;
import dev.taskq.store.ProcessIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

  /** This process, as the writer of the begins it journals. */
  private static final Holder WRITER = ProcessIdentity.current("");

  private boolean loaded;

  /**
   * Begins read without their commit yet, by seq and writer. Kept across catch-ups: when a begin's
   * writer still runs, the change is under way (a deleted lock file let two processes in), and its
   * commit, still to come, may follow other processes' records and even share its seq with one.
   */
  private final Map<List<Object>, JournalRecord> open = new LinkedHashMap<>();

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
    for (JournalRecord r : journal.readNew()) {
      seq = Math.max(seq, r.seq());
      if (!r.commit()) {
        // A later begin ends an earlier open one: the same writer makes one change at a time (and
        // finishes or undoes a failed one before it lets go of the lock), and another writer held
        // the lock after it, so it recovered it. Only a change another live process is still
        // making (the lock file was deleted) stays open, for its commit to come.
        open.values()
            .removeIf(o -> Objects.equals(o.writer(), r.writer()) || !underWayElsewhere(o));
        open.put(key(r), r);
        continue;
      }
      JournalRecord begin = open.remove(key(r));
      if (begin != null) {
        apply(begin);
        r.stampsOrEmpty().forEach(index::stamp);
        knownMtimes = r.mtimes() == null ? knownMtimes : r.mtimes();
      }
    }
    for (JournalRecord cut : List.copyOf(open.values())) {
      if (!underWayElsewhere(cut)) {
        open.remove(key(cut));
        record(recovery.recover(cut));
      }
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
    open.clear();
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
        DurableFiles.discard(mine);
        if (!claimedMeanwhile(claimed)) {
          // An older copy a crash left behind, or none any more (another process, under a lock
          // file someone deleted, claimed and finished the task since the link failed).
          // Renaming ours over it would not be exclusive: two claims could both land. Remove the
          // relic and retry, so that the claim is again made by an exclusive link.
          files.delete(folder.file(claimed.state(), claimed.id()));
        }
        throw new QueueLock.Lost(
            claimed.id()
                + " was claimed by another process at the same moment (was .taskq/lock"
                + " deleted?); retrying with a fresh view of the queue");
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
    JournalRecord begin =
        JournalRecord.begin(s, next, null, null, null, lines, undoable).by(WRITER);
    journal.append(begin);
    try {
      carryOut(s, next, staged, lines, claimed);
    } catch (IOException | RuntimeException e) {
      // Finish or undo it now, while we hold the lock: other processes leave a begin of a live
      // process to it, so nobody else would.
      try {
        record(recovery.recover(begin));
      } catch (IOException | RuntimeException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
    if (journal.size() > Journal.ROTATE_BYTES) {
      writeSnapshot();
    }
  }

  /** Writes the files of a journaled change, its log lines and its commit. */
  private void carryOut(
      long s,
      List<Task> next,
      Map<String, DurableFiles.Staged> staged,
      List<String> lines,
      Task claimed)
      throws IOException {
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
  }

  /**
   * A begin and its commit share seq and writer (two writers can pick one seq, see {@link #open}).
   */
  private static List<Object> key(JournalRecord r) {
    return Arrays.asList(r.seq(), r.writer());
  }

  /**
   * Whether an open begin is a change another process is making right now rather than one a crash
   * cut short. Normally the lock rules this out, but when someone deletes the lock file two
   * processes can both hold "the" lock; finishing or undoing the other's change then would race
   * with it (log lines twice, an enqueue rolled back that its caller was told succeeded). Our own
   * begins are never under way here (we hold the in-JVM lock), and for a begin from before 0.3 or
   * from another host we cannot tell, so those are recovered as before.
   */
  private static boolean underWayElsewhere(JournalRecord r) {
    Holder w = r.writer();
    if (w == null || !w.host().equals(WRITER.host()) || w.equals(WRITER)) {
      return false;
    }
    return ProcessIdentity.isAlive(w);
  }

  /** The one task in {@code next} that a claim takes from pending to in-progress, else null. */
  private Task claimIn(List<Task> next) {
    if (next.size() != 1 || next.get(0).state() != TaskState.IN_PROGRESS) {
      return null;
    }
    Task before = index.get(next.get(0).id());
    return before != null && before.state() == TaskState.PENDING ? next.get(0) : null;
  }

  /**
   * Whether the in-progress file already there is another claim of this version or a later one (or
   * is gone again: then nothing is left to remove), not a relic.
   */
  private boolean claimedMeanwhile(Task claim) throws IOException {
    try {
      Task there = folder.readTask(TaskState.IN_PROGRESS, claim.id());
      return there == null || there.rev() >= claim.rev();
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
    JournalRecord begin = c.asBegin(s).by(WRITER);
    journal.append(begin);
    log.append(c.lines);
    commit(s, c.stamps);
    apply(begin);
    c.stamps.forEach(index::stamp);
  }

  private void commit(long s, Map<String, Stamp> stamps) throws IOException {
    List<Long> mt = folder.mtimes();
    journal.append(JournalRecord.commit(s, mt, stamps).by(WRITER));
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

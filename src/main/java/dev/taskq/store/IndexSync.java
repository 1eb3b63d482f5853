package dev.taskq.store;

import dev.taskq.core.CorruptFile;
import dev.taskq.core.Holder;
import dev.taskq.core.Task;
import dev.taskq.core.TaskId;
import dev.taskq.core.TaskState;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps this process's {@link QueueIndex} equal to the files, cheaply: under the queue lock it
 * reads the journal lines other processes appended, finishes or undoes an operation a crash cut
 * short, and rescans a state folder only when its modification time says someone outside taskq (a
 * person, an editor, a crash) changed it. Every change it makes to files goes through {@link
 * #change}.
 */
final class IndexSync {
  private static final long IDLE_RESCAN_NANOS = 1_000_000_000L;
  private static final long DUE_RESCAN_NANOS = 5_000_000_000L;
  private static final long LIVENESS_NANOS = 500_000_000L;

  private final QueueFolder folder;
  private final QueueIndex index;
  private final Journal journal;
  private final DurableFiles files;
  private final EventLog log;
  private final Clock clock;
  private final Map<Holder, long[]> liveness = new HashMap<>();
  private boolean loaded;
  private List<Long> knownMtimes = List.of();
  private long seq;
  private long lastIdleRescan;
  private long lastFullRescan;

  IndexSync(
      QueueFolder folder,
      QueueIndex index,
      Journal journal,
      DurableFiles files,
      EventLog log,
      Clock clock) {
    this.folder = folder;
    this.index = index;
    this.journal = journal;
    this.files = files;
    this.log = log;
    this.clock = clock;
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
        knownMtimes = r.mtimes() == null ? knownMtimes : r.mtimes();
        open = null;
      }
    }
    if (open != null) {
      recover(open);
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
      knownMtimes = s.mtimes() == null ? List.of() : s.mtimes();
      loaded = true;
      return;
    }
    // First process on this queue (or the snapshot was lost): read the folders once.
    // An empty snapshot with no folder times comes first, so a crash mid-scan makes the next
    // process scan again rather than trust a half-built index.
    knownMtimes = List.of();
    loaded = true;
    journal.writeSnapshot(
        new Journal.Snapshot(journal.gen(), List.of(), List.of(), List.of()), files);
    rescan(List.of(TaskState.values()));
    writeSnapshot();
  }

  private void writeSnapshot() throws IOException {
    List<Long> mt = folder.mtimes();
    journal.writeSnapshot(
        new Journal.Snapshot(journal.gen(), new ArrayList<>(index.all()), index.corrupt(), mt),
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

  // ---------------------------------------------------------------- changes

  /** Moves each task into its state's folder (see FileTaskStore#change), journaled for others. */
  void change(List<Task> next, List<String> lines, boolean undoable) throws IOException {
    long s = ++seq;
    journal.append(JournalRecord.begin(s, next, null, null, null, lines, undoable));
    for (Task t : next) {
      Path target = folder.file(t.state(), t.id());
      files.write(target, QueueFolder.utf8(TaskFile.render(t)));
      for (TaskState other : TaskState.values()) {
        if (other != t.state()) {
          files.delete(folder.file(other, t.id()));
        }
      }
    }
    log.append(lines);
    List<Long> mt = folder.mtimes();
    journal.append(JournalRecord.commit(s, mt));
    knownMtimes = mt;
    for (Task t : next) {
      index.put(t);
    }
    if (journal.size() > Journal.ROTATE_BYTES) {
      writeSnapshot();
    }
  }

  /** Journals what a rescan or a recovery found, so other processes need not look again. */
  private void record(
      List<Task> put,
      List<String> del,
      List<CorruptFile> bad,
      List<String> good,
      List<String> lines)
      throws IOException {
    if (put.isEmpty() && del.isEmpty() && bad.isEmpty() && good.isEmpty() && lines.isEmpty()) {
      List<Long> mt = folder.mtimes();
      if (!mt.equals(knownMtimes)) {
        long s = ++seq;
        journal.append(
            JournalRecord.begin(s, List.of(), List.of(), List.of(), List.of(), List.of(), false));
        journal.append(JournalRecord.commit(s, mt));
        knownMtimes = mt;
      }
      return;
    }
    long s = ++seq;
    journal.append(JournalRecord.begin(s, put, del, bad, good, lines, false));
    log.append(lines);
    List<Long> mt = folder.mtimes();
    journal.append(JournalRecord.commit(s, mt));
    knownMtimes = mt;
    apply(JournalRecord.begin(s, put, del, bad, good, lines, false));
  }

  /**
   * Finishes or undoes an operation whose process died between its begin and commit. The task files
   * decide: where a task's file reached the planned rev, the operation happened and its missing log
   * lines are appended; an interrupted enqueue batch is removed whole.
   */
  private void recover(JournalRecord open) throws IOException {
    files.cleanLeftovers();
    Map<String, Task> actual = new HashMap<>();
    boolean allDone = true;
    for (Task planned : open.putOrEmpty()) {
      Task found = settle(planned.id());
      actual.put(planned.id(), found);
      allDone &= found != null && found.rev() == planned.rev() && found.state() == planned.state();
    }
    List<String> lines = new ArrayList<>();
    List<String> del = new ArrayList<>();
    if (open.undoable() && !allDone) {
      for (Task planned : open.putOrEmpty()) {
        Task found = actual.get(planned.id());
        if (found != null && found.rev() == planned.rev()) {
          files.delete(folder.file(found.state(), found.id()));
          actual.put(planned.id(), null);
          del.add(planned.id());
        }
      }
      lines.add(
          EventLog.line(
              clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
              "ROLLED-BACK",
              null,
              "an enqueue of "
                  + open.putOrEmpty().size()
                  + " task(s) cut short by a crash was undone"));
    } else if (allDone) {
      for (String l : open.logOrEmpty()) {
        if (!log.recentlyContains(l)) {
          lines.add(l);
        }
      }
    }
    List<Task> put = new ArrayList<>();
    for (Map.Entry<String, Task> e : actual.entrySet()) {
      if (e.getValue() != null) {
        put.add(e.getValue());
      } else if (!del.contains(e.getKey())) {
        del.add(e.getKey());
      }
    }
    record(put, del, List.of(), List.of(), lines);
  }

  /**
   * Finds the files of one task across the state folders; when a crash left it in two, keeps the
   * higher rev and deletes the other (it is the same task, one write behind).
   */
  private Task settle(String id) throws IOException {
    Task best = null;
    for (TaskState s : TaskState.values()) {
      Task t;
      try {
        t = folder.readTask(s, id);
      } catch (QueueFolder.Unreadable e) {
        continue;
      }
      if (t == null) {
        continue;
      }
      if (best == null || t.rev() > best.rev()) {
        if (best != null) {
          files.delete(folder.file(best.state(), id));
        }
        best = t;
      } else {
        files.delete(folder.file(s, id));
      }
    }
    return best;
  }

  // ---------------------------------------------------------------- rescans

  /**
   * After nothing was claimable: a rescan of pending/, at most once a second, finds hand-made
   * tasks.
   */
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

  /** For status views: every few seconds, rescan all folders (catches edits folder times miss). */
  void reconcileIfDue() throws IOException {
    long now = System.nanoTime();
    if (now - lastFullRescan >= DUE_RESCAN_NANOS) {
      lastFullRescan = now;
      rescan(List.of(TaskState.values()));
    }
  }

  private void rescan(List<TaskState> states) throws IOException {
    List<Task> put = new ArrayList<>();
    List<String> del = new ArrayList<>();
    List<CorruptFile> bad = new ArrayList<>();
    List<String> good = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (TaskState s : states) {
      rescan(s, put, del, bad, good, lines);
    }
    record(put, del, bad, good, lines);
  }

  private void rescan(
      TaskState s,
      List<Task> put,
      List<String> del,
      List<CorruptFile> bad,
      List<String> good,
      List<String> lines)
      throws IOException {
    Path dir = folder.dir(s);
    Set<String> seen = new HashSet<>();
    Set<String> seenPaths = new HashSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (name.startsWith(".")) {
          continue; // editors' swap and temp files
        }
        String rel = folder.relative(p);
        seenPaths.add(rel);
        String id = name.endsWith(".md") ? name.substring(0, name.length() - 3) : null;
        if (id == null || TaskId.problem(id) != null) {
          String why =
              id == null
                  ? "not a task file: task files are named <id>.md"
                  : "file name is not a valid task id: " + TaskId.problem(id);
          noteBad(rel, why, bad, lines);
          continue;
        }
        seen.add(id);
        Task known = index.get(id);
        if (known != null && known.state() == s && !index.isCorrupt(rel)) {
          continue;
        }
        Task t;
        try {
          t = folder.readTask(s, id);
        } catch (QueueFolder.Unreadable e) {
          noteBad(rel, e.getMessage(), bad, lines);
          continue;
        }
        if (t == null) {
          continue;
        }
        if (known != null && known.state() != s && folder.exists(known.state(), id)) {
          // The same id in two folders, not made by a crash we know of: keep the newer, report the
          // other.
          boolean keepNew = t.rev() > known.rev();
          Task loser = keepNew ? known : t;
          String loserPath = folder.relative(folder.file(loser.state(), id));
          Task winner = keepNew ? t : known;
          noteBad(
              loserPath,
              "duplicate of "
                  + winner.state().folder()
                  + "/"
                  + id
                  + ".md (rev "
                  + winner.rev()
                  + "); delete one of them",
              bad,
              lines);
          if (!keepNew) {
            continue;
          }
        }
        if (index.isCorrupt(rel)) {
          good.add(rel);
        }
        put.add(t);
        index.put(t);
      }
    }
    for (CorruptFile c : index.corrupt()) {
      if (c.path().startsWith(s.folder() + "/") && !seenPaths.contains(c.path())) {
        good.add(c.path());
      }
    }
    for (Task t : List.copyOf(index.all())) {
      if (t.state() == s && !seen.contains(t.id())) {
        Task moved = settle(t.id());
        if (moved == null) {
          del.add(t.id());
          index.remove(t.id());
          lines.add(
              EventLog.line(
                  clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                  "VANISHED",
                  t.id(),
                  "— its file was removed from " + s.folder() + "/"));
        } else {
          put.add(moved);
          index.put(moved);
        }
      }
    }
  }

  private void noteBad(String rel, String why, List<CorruptFile> bad, List<String> lines) {
    if (index.isCorrupt(rel)) {
      return;
    }
    CorruptFile c = new CorruptFile(rel, why);
    bad.add(c);
    index.markCorrupt(c);
    lines.add(
        EventLog.line(
            clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
            "CORRUPT",
            rel,
            "— " + why));
  }

  // ---------------------------------------------------------------- reads

  /**
   * The task's file in {@code s}; when it is missing or unreadable the index is corrected (and the
   * change journaled) and null is returned.
   */
  Task readOrForget(TaskState s, String id) throws IOException {
    Path p = folder.file(s, id);
    try {
      Task t = folder.readTask(s, id);
      if (t != null) {
        Task known = index.get(id);
        if (known == null || known.rev() != t.rev() || known.state() != t.state()) {
          record(List.of(t), List.of(), List.of(), List.of(), List.of());
        }
        return t;
      }
    } catch (QueueFolder.Unreadable e) {
      List<CorruptFile> bad = new ArrayList<>();
      List<String> lines = new ArrayList<>();
      noteBad(folder.relative(p), e.getMessage(), bad, lines);
      index.remove(id);
      record(List.of(), List.of(id), bad, List.of(), lines);
      return null;
    }
    Task moved = settle(id);
    if (moved == null) {
      index.remove(id);
      record(
          List.of(),
          List.of(id),
          List.of(),
          List.of(),
          List.of(
              EventLog.line(
                  clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                  "VANISHED",
                  id,
                  "— its file was removed from " + s.folder() + "/")));
    } else {
      record(List.of(moved), List.of(), List.of(), List.of(), List.of());
    }
    return moved != null && moved.state() == s ? moved : null;
  }

  /** Whether a holder's process still runs, checked at most twice a second per holder. */
  boolean holderAlive(Holder h) {
    long now = System.nanoTime();
    long[] cached = liveness.get(h);
    if (cached != null && now - cached[0] < LIVENESS_NANOS) {
      return cached[1] == 1;
    }
    boolean alive = ProcessIdentity.isAlive(h);
    if (liveness.size() > 1000) {
      liveness.clear();
    }
    liveness.put(h, new long[] {now, alive ? 1 : 0});
    return alive;
  }
}

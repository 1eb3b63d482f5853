package dev.taskq.store.file;

import dev.taskq.core.Task;
import dev.taskq.core.TaskId;
import dev.taskq.core.TaskState;
import dev.taskq.store.LogLine;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Compares a state folder with the index and brings the index in line: files people dropped in,
 * moved or deleted by hand, files nobody can read (reported, never dropped), and copies a crash
 * left in two folders.
 */
final class FolderScan {
  private final QueueFolder folder;
  private final QueueIndex index;
  private final DurableFiles files;
  private final Clock clock;

  FolderScan(QueueFolder folder, QueueIndex index, DurableFiles files, Clock clock) {
    this.folder = folder;
    this.index = index;
    this.files = files;
    this.clock = clock;
  }

  void scan(TaskState s, IndexChanges out) throws IOException {
    Set<String> seenIds = new HashSet<>();
    Set<String> seenPaths = new HashSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder.dir(s))) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (name.startsWith(".")) {
          continue; // editors' swap and temp files
        }
        String rel = folder.relative(p);
        seenPaths.add(rel);
        String id = name.endsWith(".md") ? name.substring(0, name.length() - 3) : null;
        String idProblem = id == null ? "task files are named <id>.md" : TaskId.problem(id);
        if (idProblem != null) {
          noteBad(rel, "not a task file: " + idProblem, out);
          continue;
        }
        if (scanFile(s, id, rel, out)) {
          seenIds.add(id);
        }
      }
    }
    for (CorruptFile c : index.corrupt()) {
      if (c.path().startsWith(s.folder() + "/") && !seenPaths.contains(c.path())) {
        out.good.add(c.path());
        index.clearCorrupt(c.path());
      }
    }
    for (Task t : List.copyOf(index.all())) {
      if (t.state() == s && !seenIds.contains(t.id())) {
        Task moved = settle(t.id(), out);
        if (moved == null) {
          forget(t.id(), s, out);
        } else {
          out.put.add(moved);
          index.put(moved);
        }
      }
    }
  }

  /**
   * Brings the index in line with one listed file. Returns false when the file was gone by the time
   * it was read (moved or deleted since the listing): then the caller looks for the task again, as
   * for any task missing from the folder, instead of failing the scan.
   */
  private boolean scanFile(TaskState s, String id, String rel, IndexChanges out)
      throws IOException {
    Task known = index.get(id);
    boolean sameState = known != null && known.state() == s && !index.isCorrupt(rel);
    Stamp onDisk = Stamp.of(folder.file(s, id));
    if (sameState && onDisk != null && onDisk.equals(index.stamp(id))) {
      return true; // as taskq last wrote or read it
    }
    Task t;
    try {
      t = folder.readTask(s, id);
    } catch (QueueFolder.Unreadable e) {
      noteBad(rel, e.getMessage(), out);
      return true;
    }
    if (t == null) {
      return false;
    }
    if (onDisk != null) {
      out.stamps.put(id, onDisk);
      index.stamp(id, onDisk);
    }
    if (sameState) {
      // Its file changed outside taskq (an editor, sed -i): take what it says now.
      Task seen = t.brief();
      if (!seen.equals(known)) {
        out.put.add(t);
        index.put(t);
        out.lines.add(LogLine.of(now(), "EDITED", id, "— " + edits(known, seen)));
      }
      return true;
    }
    if (known != null && known.state() != s && folder.exists(known.state(), id)) {
      // The same id in two folders, not made by a crash we know of: keep the newer in the queue
      // and report the other for a person to delete.
      boolean keepNew = t.rev() > known.rev();
      Task winner = keepNew ? t : known;
      Task loser = keepNew ? known : t;
      noteBad(
          folder.relative(folder.file(loser.state(), id)),
          "duplicate of "
              + winner.state().folder()
              + "/"
              + id
              + ".md (rev "
              + winner.rev()
              + "); delete one of them",
          out);
      if (!keepNew) {
        return true;
      }
    }
    if (index.clearCorrupt(rel)) {
      out.good.add(rel);
    }
    out.put.add(t);
    index.put(t);
    return true;
  }

  /** What a person changed, as "priority 1 → 50, lane db → api", for the EDITED line. */
  private static String edits(Task before, Task after) {
    List<String> out = new ArrayList<>();
    diff(out, "title", before.title(), after.title());
    diff(out, "priority", before.priority(), after.priority());
    diff(out, "lane", before.lane(), after.lane());
    diff(out, "after", before.after(), after.after());
    diff(out, "max_attempts", before.maxAttempts(), after.maxAttempts());
    return out.isEmpty()
        ? "its file was changed outside taskq"
        : "changed outside taskq: " + String.join(", ", out);
  }

  private static void diff(List<String> out, String field, Object before, Object after) {
    if (!java.util.Objects.equals(before, after)) {
      out.add(field + " " + before + " → " + after);
    }
  }

  /**
   * Finds a task's files across the state folders. When a crash left it in two, the higher rev is
   * the later write: keep it and delete the other copy (logged), which is the same task one step
   * behind.
   */
  Task settle(String id, IndexChanges out) throws IOException {
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
      if (best == null) {
        best = t;
        continue;
      }
      if (t.rev() == best.rev()) {
        continue; // not a crash's leftover (every write bumps rev): the scan reports it instead
      }
      Task stale = t.rev() > best.rev() ? best : t;
      best = t.rev() > best.rev() ? t : best;
      files.delete(folder.file(stale.state(), id));
      out.lines.add(
          LogLine.of(
              now(),
              "RESOLVED",
              id,
              "kept "
                  + best.state().folder()
                  + "/ rev "
                  + best.rev()
                  + ", removed the stale copy in "
                  + stale.state().folder()
                  + "/"));
    }
    return best;
  }

  /** The task's file is gone from every folder (deleted by hand): drop it from the index. */
  void forget(String id, TaskState wasIn, IndexChanges out) {
    index.remove(id);
    out.del.add(id);
    out.lines.add(
        LogLine.of(now(), "VANISHED", id, "— its file was removed from " + wasIn.folder() + "/"));
  }

  void noteBad(String rel, String why, IndexChanges out) {
    if (index.isCorrupt(rel)) {
      return;
    }
    CorruptFile c = new CorruptFile(rel, why);
    out.bad.add(c);
    index.markCorrupt(c);
    out.lines.add(LogLine.of(now(), "CORRUPT", rel, "— " + why));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}

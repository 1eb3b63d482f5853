package dev.taskq.store.file;

import dev.taskq.core.Task;
import dev.taskq.store.LogLine;
import java.io.IOException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finishes or undoes an operation whose process died between its journal begin and commit. The task
 * files decide: where every task's file reached the planned rev, the operation happened and its
 * missing log lines are appended; otherwise it did not, except that an interrupted enqueue batch
 * (all or none) is removed whole.
 */
final class CrashRecovery {
  private final QueueFolder folder;
  private final DurableFiles files;
  private final EventLog log;
  private final FolderScan scan;
  private final Clock clock;

  CrashRecovery(
      QueueFolder folder, DurableFiles files, EventLog log, FolderScan scan, Clock clock) {
    this.folder = folder;
    this.files = files;
    this.log = log;
    this.scan = scan;
    this.clock = clock;
  }

  IndexChanges recover(JournalRecord open) throws IOException {
    files.cleanLeftovers();
    IndexChanges out = new IndexChanges();
    Map<String, Task> actual = new LinkedHashMap<>();
    boolean allDone = true;
    for (Task planned : open.putOrEmpty()) {
      Task found = scan.settle(planned.id(), out);
      actual.put(planned.id(), found);
      allDone &= found != null && found.rev() == planned.rev() && found.state() == planned.state();
    }
    if (open.undoable() && !allDone) {
      for (Task planned : open.putOrEmpty()) {
        Task found = actual.get(planned.id());
        if (found != null && found.rev() == planned.rev()) {
          files.delete(folder.file(found.state(), found.id()));
          actual.put(planned.id(), null);
        }
      }
      out.lines.add(
          LogLine.of(
              clock.instant().truncatedTo(ChronoUnit.MILLIS),
              "ROLLED-BACK",
              null,
              "an enqueue of "
                  + open.putOrEmpty().size()
                  + " task(s) cut short by a crash was undone"));
    } else if (allDone) {
      for (String l : open.logOrEmpty()) {
        if (!log.recentlyContains(l)) {
          out.lines.add(l);
        }
      }
    }
    for (Map.Entry<String, Task> e : actual.entrySet()) {
      if (e.getValue() != null) {
        out.put.add(e.getValue());
      } else {
        out.del.add(e.getKey());
      }
    }
    return out;
  }
}

package dev.taskq.store;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.ErrorCode;
import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.Task;
import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskqException;
import dev.taskq.core.Unreadable;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole queue as it is stored: every task in full, every checkpoint, the whole log. What {@code
 * taskq export} and {@code taskq import} copy from one store to another, read through the {@link
 * Storage} port so any store can be the source.
 */
public record QueueSnapshot(List<Task> tasks, List<Checkpoint> checkpoints, List<String> log) {
  /** More log lines than this are not copied whole (the oldest are left behind, and said so). */
  public static final int LOG_MAX = 10_000_000;

  private static final int PAGE = 10_000;

  public QueueSnapshot {
    tasks = List.copyOf(tasks);
    checkpoints = List.copyOf(checkpoints);
    log = List.copyOf(log);
  }

  /**
   * Reads {@code source} whole. Refuses (CONFLICT, nothing read into anything) a queue holding
   * entries it cannot read as tasks: a copy leaves nothing behind silently.
   */
  public static QueueSnapshot read(Storage source) {
    List<String> ids = new ArrayList<>();
    for (int offset = 0; ; offset += PAGE) {
      QueuePage p = source.page(new QueueQuery(null, null, offset, PAGE));
      if (!p.unreadable().isEmpty()) {
        Unreadable u = p.unreadable().get(0);
        throw new TaskqException(
            ErrorCode.CONFLICT,
            null,
            p.unreadable().size()
                + " entries cannot be read as tasks, e.g. "
                + u.where()
                + ": "
                + u.reason(),
            "fix or move them out, then copy again; nothing was copied",
            "fix or move them out (see `taskq doctor`), then run the command again; nothing was"
                + " copied",
            null);
      }
      for (TaskRow r : p.rows()) {
        ids.add(r.id());
      }
      if (p.rows().size() < PAGE) {
        break;
      }
    }
    List<Task> tasks = new ArrayList<>();
    List<Checkpoint> checkpoints = new ArrayList<>();
    for (String id : ids) {
      Task t = source.read(id);
      if (t == null) {
        continue; // gone between the page and the read
      }
      tasks.add(t);
      for (int n = 1; n <= t.checkpoints(); n++) {
        Checkpoint c = source.checkpoint(id, n);
        if (c != null) {
          checkpoints.add(c);
        }
      }
    }
    return new QueueSnapshot(tasks, checkpoints, source.tail(LOG_MAX));
  }

  /** "12 tasks, 30 checkpoints, 140 log lines". */
  public String describe() {
    return tasks.size()
        + " task(s), "
        + checkpoints.size()
        + " checkpoint(s), "
        + log.size()
        + " log line(s)";
  }
}

package dev.taskq.store.file;

import dev.taskq.core.IdleReason;
import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.Task;
import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskState;
import dev.taskq.core.Unreadable;
import dev.taskq.store.Blockers;
import dev.taskq.store.Rows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Status views read off the index: pages of rows, and why nothing is claimable. */
final class QueueViews {
  private QueueViews() {}

  /** Costs O(offset + limit) without a lane filter, whatever the size of the queue. */
  static QueuePage page(QueueIndex index, QueueQuery q, Instant now, Predicate<Task> alive) {
    Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
    int all = 0;
    for (TaskState s : TaskState.values()) {
      counts.put(s, index.count(s));
      all += index.count(s);
    }
    List<TaskRow> rows = new ArrayList<>();
    int seen = 0;
    boolean countKnown = q.lane() == null;
    int total = q.state() != null ? counts.get(q.state()) : all;
    for (Iterable<Task> group : index.viewOrder()) {
      for (Task t : group) {
        if ((q.state() != null && t.state() != q.state())
            || (q.lane() != null && !q.lane().equals(t.lane()))) {
          continue;
        }
        if (seen >= q.offset() && rows.size() < q.limit()) {
          rows.add(row(index, t, now, alive));
        } else if (countKnown && rows.size() >= q.limit()) {
          return new QueuePage(
              counts, index.blockedCount(), unreadable(index), rows, q.offset(), total);
        }
        seen++;
      }
    }
    return new QueuePage(
        counts,
        index.blockedCount(),
        unreadable(index),
        rows,
        q.offset(),
        countKnown ? total : seen);
  }

  private static List<Unreadable> unreadable(QueueIndex index) {
    List<Unreadable> out = new ArrayList<>();
    for (CorruptFile c : index.corrupt()) {
      out.add(new Unreadable(c.path(), c.reason()));
    }
    return out;
  }

  static TaskRow row(QueueIndex index, Task t, Instant now, Predicate<Task> alive) {
    return Rows.of(t, now, alive.test(t), index::get);
  }

  static IdleReason idle(QueueIndex index, String lane) {
    int blockedCount = 0;
    int stuckCount = 0;
    Map<String, List<String>> blocked = new LinkedHashMap<>();
    Map<String, String> stuck = new LinkedHashMap<>();
    for (Task t : index.blocked()) {
      if (lane == null || lane.equals(t.lane())) {
        blockedCount++;
        String why = Blockers.stuck(t, index::get);
        if (why != null) {
          stuckCount++;
          if (stuck.size() < 5) {
            stuck.put(t.id(), why);
          }
        } else if (blocked.size() < 5) {
          blocked.put(t.id(), Blockers.waitingFor(t, index::get));
        }
      }
    }
    // Asked for one lane and nothing there was ready: every ready task is in another lane.
    int readyElsewhere = lane == null ? 0 : index.readyCount();
    return new IdleReason(
        lane,
        blockedCount,
        readyElsewhere,
        blocked,
        blockedCount,
        index.count(TaskState.IN_PROGRESS),
        index.corrupt().size(),
        stuck,
        stuckCount);
  }
}

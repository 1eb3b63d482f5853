package dev.taskq.dashboard;

import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskState;
import dev.taskq.core.Unreadable;
import dev.taskq.store.TaskStore;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The board as one read of the store: per column its count and the first cards, plus corrupt
 * entries and warnings. Each column is one bounded query, so the cost follows the cards shown, not
 * the size of the queue (with a lane filter the store scans its index once per column).
 *
 * @param version the change-feed version the board was read at (read before the store)
 * @param counts tasks per column (with a lane filter: of that lane)
 * @param capped true when a lane's pending tasks were too many to split exactly into pending and
 *     blocked; the two counts are then lower bounds
 */
record BoardView(
    long version,
    String lane,
    Map<Column, Integer> counts,
    Map<Column, List<TaskRow>> rows,
    List<Unreadable> corrupt,
    List<String> warnings,
    boolean capped) {

  /** How many of a lane's pending tasks are read at most to split them into pending and blocked. */
  static final int LANE_PENDING_SCAN = 10_000;

  static BoardView load(TaskStore store, String lane, Map<Column, Integer> shown, long version) {
    Map<Column, Integer> counts = new EnumMap<>(Column.class);
    Map<Column, List<TaskRow>> rows = new EnumMap<>(Column.class);
    QueuePage ip = page(store, TaskState.IN_PROGRESS, lane, 0, shown.get(Column.IN_PROGRESS));
    counts.put(Column.IN_PROGRESS, lane == null ? ip.count(TaskState.IN_PROGRESS) : ip.total());
    rows.put(Column.IN_PROGRESS, ip.rows());
    boolean capped = false;
    if (lane == null) {
      // Pending rows come claimable first, then blocked: each kind is one offset away.
      int blocked = ip.blocked();
      int claimable = Math.max(0, ip.count(TaskState.PENDING) - blocked);
      counts.put(Column.PENDING, claimable);
      counts.put(Column.BLOCKED, blocked);
      rows.put(
          Column.PENDING,
          claimable == 0
              ? List.of()
              : only(page(store, TaskState.PENDING, null, 0, shown.get(Column.PENDING)), false));
      rows.put(
          Column.BLOCKED,
          blocked == 0
              ? List.of()
              : only(
                  page(store, TaskState.PENDING, null, claimable, shown.get(Column.BLOCKED)),
                  true));
    } else {
      // The store counts blocked tasks for the whole queue only: split the lane's pending rows.
      QueuePage p = page(store, TaskState.PENDING, lane, 0, LANE_PENDING_SCAN);
      List<TaskRow> ready = new ArrayList<>();
      List<TaskRow> waiting = new ArrayList<>();
      for (TaskRow r : p.rows()) {
        (r.blockedBy().isEmpty() ? ready : waiting).add(r);
      }
      capped = p.total() > p.rows().size();
      counts.put(Column.PENDING, ready.size());
      counts.put(Column.BLOCKED, waiting.size());
      rows.put(Column.PENDING, head(ready, shown.get(Column.PENDING)));
      rows.put(Column.BLOCKED, head(waiting, shown.get(Column.BLOCKED)));
    }
    for (Column c : List.of(Column.COMPLETED, Column.FAILED)) {
      TaskState s = c == Column.COMPLETED ? TaskState.COMPLETED : TaskState.FAILED;
      if (lane == null && ip.count(s) == 0) {
        counts.put(c, 0);
        rows.put(c, List.of());
      } else {
        QueuePage p = page(store, s, lane, 0, shown.get(c));
        counts.put(c, lane == null ? p.count(s) : p.total());
        rows.put(c, p.rows());
      }
    }
    return new BoardView(version, lane, counts, rows, ip.unreadable(), store.warnings(), capped);
  }

  int more(Column c) {
    return Math.max(0, counts.getOrDefault(c, 0) - rows.get(c).size());
  }

  private static QueuePage page(TaskStore store, TaskState s, String lane, int offset, int limit) {
    return store.list(new QueueQuery(s, lane, offset, limit));
  }

  private static List<TaskRow> only(QueuePage p, boolean blocked) {
    return p.rows().stream().filter(r -> r.blockedBy().isEmpty() != blocked).toList();
  }

  private static List<TaskRow> head(List<TaskRow> all, int n) {
    return all.size() <= n ? all : List.copyOf(all.subList(0, n));
  }
}

package dev.taskq.store.postgres;

import dev.taskq.core.IdleReason;
import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.Task;
import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskState;
import dev.taskq.store.Blockers;
import dev.taskq.store.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Status views in SQL, in the order the file store shows them: in progress (by id), claimable
 * pending in claim order, blocked pending, failed and completed (newest first). A page reads one
 * group after another with OFFSET/LIMIT on the indexes, so its cost grows with the offset, not the
 * queue; the counts are one grouped scan of an index.
 */
final class Views {
  private final Connection c;
  private final Sql sql;
  private final String queue;

  Views(Connection c, Sql sql, String queue) {
    this.c = c;
    this.sql = sql;
    this.queue = queue;
  }

  private enum Group {
    IN_PROGRESS("t.state = 'in_progress'", "t.id"),
    READY("t.state = 'pending' AND NOT " + Sql.UNMET, Sql.CLAIM_ORDER),
    BLOCKED("t.state = 'pending' AND t.after_ids <> '{}' AND " + Sql.UNMET, Sql.CLAIM_ORDER),
    FAILED("t.state = 'failed'", "coalesce(t.finished, t.created) DESC, t.id"),
    COMPLETED("t.state = 'completed'", "coalesce(t.finished, t.created) DESC, t.id");

    final String where;
    final String order;

    Group(String where, String order) {
      this.where = where;
      this.order = order;
    }

    TaskState state() {
      return switch (this) {
        case IN_PROGRESS -> TaskState.IN_PROGRESS;
        case READY, BLOCKED -> TaskState.PENDING;
        case FAILED -> TaskState.FAILED;
        case COMPLETED -> TaskState.COMPLETED;
      };
    }
  }

  QueuePage page(QueueQuery q) throws SQLException {
    Map<TaskState, Integer> counts = PostgresStorage.zeroCounts();
    int blocked = counts(null, counts);
    Map<TaskState, Integer> laneCounts = counts;
    int laneBlocked = blocked;
    if (q.lane() != null) {
      laneCounts = PostgresStorage.zeroCounts();
      laneBlocked = counts(q.lane(), laneCounts);
    }
    Map<Group, Integer> sizes = new EnumMap<>(Group.class);
    sizes.put(Group.IN_PROGRESS, laneCounts.get(TaskState.IN_PROGRESS));
    sizes.put(Group.READY, laneCounts.get(TaskState.PENDING) - laneBlocked);
    sizes.put(Group.BLOCKED, laneBlocked);
    sizes.put(Group.FAILED, laneCounts.get(TaskState.FAILED));
    sizes.put(Group.COMPLETED, laneCounts.get(TaskState.COMPLETED));
    List<TaskRow> rows = new ArrayList<>();
    int skip = q.offset();
    int total = 0;
    for (Group g : Group.values()) {
      if (q.state() != null && g.state() != q.state()) {
        continue;
      }
      int size = sizes.get(g);
      total += size;
      if (rows.size() >= q.limit() || size == 0) {
        continue;
      }
      if (skip >= size) {
        skip -= size;
        continue;
      }
      rows.addAll(rows(g, q.lane(), skip, q.limit() - rows.size()));
      skip = 0;
    }
    return new QueuePage(counts, blocked, List.of(), rows, q.offset(), total);
  }

  private List<TaskRow> rows(Group g, String lane, int offset, int limit) throws SQLException {
    String query =
        sql.of(
            sql.liveLocks()
                + "SELECT "
                + TaskRows.list("t", TaskRows.BRIEF_COLUMNS)
                + ", "
                + Sql.NOW
                + ", "
                + sql.gone("t")
                + " FROM %1$s.tasks t WHERE t.queue = ? AND "
                + g.where
                + (lane == null ? "" : " AND t.lane = ?")
                + " ORDER BY "
                + g.order
                + " OFFSET ? LIMIT ?");
    try (PreparedStatement ps = c.prepareStatement(query)) {
      int i = 1;
      ps.setString(i++, queue);
      if (lane != null) {
        ps.setString(i++, lane);
      }
      ps.setInt(i++, offset);
      ps.setInt(i, limit);
      record Read(Task task, Instant now, boolean gone) {}
      List<Read> read = new ArrayList<>();
      int n = TaskRows.COLUMNS.size();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          read.add(
              new Read(TaskRows.read(rs, 1), TaskRows.instant(rs, n + 1), rs.getBoolean(n + 2)));
        }
      }
      Lookup lookup = new Lookup();
      lookup.prefetch(read.stream().flatMap(r -> r.task().after().stream()).toList());
      List<TaskRow> out = new ArrayList<>();
      for (Read r : read) {
        out.add(Rows.of(r.task(), r.now(), !r.gone(), lookup));
      }
      return out;
    }
  }

  /**
   * Fills {@code counts} with the tasks per state of {@code lane} (null: any) and returns how many
   * of the pending ones are blocked; one round trip.
   */
  private int counts(String lane, Map<TaskState, Integer> counts) throws SQLException {
    String laneFilter = lane == null ? "" : " AND t.lane = ?";
    try (PreparedStatement ps =
        c.prepareStatement(
            sql.of(
                "SELECT t.state, count(*) FROM %1$s.tasks t WHERE t.queue = ?"
                    + laneFilter
                    + " GROUP BY t.state UNION ALL SELECT 'blocked', count(*) FROM %1$s.tasks t"
                    + " WHERE t.queue = ?"
                    + laneFilter
                    + " AND "
                    + Group.BLOCKED.where))) {
      int i = 1;
      for (int k = 0; k < 2; k++) {
        ps.setString(i++, queue);
        if (lane != null) {
          ps.setString(i++, lane);
        }
      }
      int blocked = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getString(1).equals("blocked")) {
            blocked = rs.getInt(2);
          } else {
            counts.put(TaskState.fromFolder(rs.getString(1)), rs.getInt(2));
          }
        }
      }
      return blocked;
    }
  }

  /** Why nothing is claimable for {@code lane}, in the file store's numbers. */
  IdleReason idle(String lane) throws SQLException {
    List<Task> waiting = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            sql.of(
                "SELECT "
                    + TaskRows.list("t", TaskRows.BRIEF_COLUMNS)
                    + " FROM %1$s.tasks t WHERE t.queue = ? AND "
                    + Group.BLOCKED.where
                    + (lane == null ? "" : " AND t.lane = ?")
                    + " ORDER BY "
                    + Sql.CLAIM_ORDER))) {
      ps.setString(1, queue);
      if (lane != null) {
        ps.setString(2, lane);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          waiting.add(TaskRows.read(rs, 1));
        }
      }
    }
    Lookup lookup = new Lookup();
    lookup.prefetch(waiting.stream().flatMap(t -> t.after().stream()).toList());
    Map<String, List<String>> blocked = new LinkedHashMap<>();
    Map<String, String> stuck = new LinkedHashMap<>();
    int stuckCount = 0;
    for (Task t : waiting) {
      String why = Blockers.stuck(t, lookup);
      if (why != null) {
        stuckCount++;
        if (stuck.size() < 5) {
          stuck.put(t.id(), why);
        }
      } else if (blocked.size() < 5) {
        blocked.put(t.id(), Blockers.waitingFor(t, lookup));
      }
    }
    Map<TaskState, Integer> counts = PostgresStorage.zeroCounts();
    int allBlocked = counts(null, counts);
    // Asked for one lane and nothing there was ready: every ready task is in another lane.
    int readyElsewhere = lane == null ? 0 : counts.get(TaskState.PENDING) - allBlocked;
    return new IdleReason(
        lane,
        waiting.size(),
        readyElsewhere,
        blocked,
        waiting.size(),
        counts.get(TaskState.IN_PROGRESS),
        0,
        stuck,
        stuckCount);
  }

  /** Tasks by id for {@link Blockers}, read in brief on first ask and kept for this view. */
  private final class Lookup implements Function<String, Task> {
    private final Map<String, Task> known = new HashMap<>();

    void prefetch(List<String> ids) throws SQLException {
      List<String> missing = ids.stream().distinct().filter(id -> !known.containsKey(id)).toList();
      if (missing.isEmpty()) {
        return;
      }
      Map<String, Task> got = PostgresStorage.briefs(c, sql, queue, missing);
      for (String id : missing) {
        known.put(id, got.get(id));
      }
    }

    @Override
    public Task apply(String id) {
      if (!known.containsKey(id)) {
        try {
          prefetch(List.of(id));
        } catch (SQLException e) {
          throw new Database.Unchecked(e);
        }
      }
      return known.get(id);
    }
  }

  static EnumMap<TaskState, Integer> empty() {
    return new EnumMap<>(TaskState.class);
  }
}

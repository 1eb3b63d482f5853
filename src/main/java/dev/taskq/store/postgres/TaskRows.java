package dev.taskq.store.postgres;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.Definition;
import dev.taskq.core.Ending;
import dev.taskq.core.Holder;
import dev.taskq.core.Lease;
import dev.taskq.core.Outcome;
import dev.taskq.core.Progress;
import dev.taskq.core.Task;
import dev.taskq.core.TaskState;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

/** A task as a row of {@code tasks} and back: every field of {@link Task}, none lost. */
final class TaskRows {
  /** The columns of a task, in the order {@link #read} expects them. */
  static final List<String> COLUMNS =
      List.of(
          "id",
          "title",
          "criterion",
          "instructions",
          "lane",
          "priority",
          "after_ids",
          "max_attempts",
          "created",
          "dedupe_key",
          "state",
          "attempt",
          "holder_session",
          "holder_host",
          "holder_pid",
          "holder_start",
          "token",
          "lease_until",
          "progress_at",
          "checkpoints",
          "progress_done",
          "progress_total",
          "outcome",
          "finished",
          "reason",
          "result",
          "rev");

  /** The same columns without the long texts, for views: criterion, instructions, result empty. */
  static final List<String> BRIEF_COLUMNS =
      COLUMNS.stream()
          .map(
              c ->
                  switch (c) {
                    case "criterion", "instructions" -> "''::text AS " + c;
                    case "result" -> "NULL::text AS " + c;
                    default -> c;
                  })
          .toList();

  private TaskRows() {}

  /** {@code alias.col, alias.col, …} of {@code columns}. */
  static String list(String alias, List<String> columns) {
    return columns.stream()
        .map(c -> c.contains(" AS ") ? c : alias + "." + c)
        .collect(Collectors.joining(", "));
  }

  static String all(String alias) {
    return list(alias, COLUMNS);
  }

  /** Reads the task whose columns start at {@code first} (1-based). */
  static Task read(ResultSet rs, int first) throws SQLException {
    int i = first;
    String id = rs.getString(i++);
    String title = rs.getString(i++);
    String criterion = rs.getString(i++);
    String instructions = rs.getString(i++);
    String lane = rs.getString(i++);
    int priority = rs.getInt(i++);
    Array after = rs.getArray(i++);
    int maxAttempts = rs.getInt(i++);
    Instant created = instant(rs, i++);
    String dedupe = rs.getString(i++);
    TaskState state = TaskState.fromFolder(rs.getString(i++));
    int attempt = rs.getInt(i++);
    String session = rs.getString(i++);
    String host = rs.getString(i++);
    long pid = rs.getLong(i++);
    long start = rs.getLong(i++);
    String token = rs.getString(i++);
    Instant until = instant(rs, i++);
    Instant progressAt = instant(rs, i++);
    int checkpoints = rs.getInt(i++);
    long done = rs.getLong(i++);
    boolean hasProgress = !rs.wasNull();
    long total = rs.getLong(i++);
    String outcome = rs.getString(i++);
    Instant finished = instant(rs, i++);
    String reason = rs.getString(i++);
    String result = rs.getString(i++);
    long rev = rs.getLong(i);
    Definition d =
        new Definition(
            id,
            title,
            criterion,
            instructions,
            lane,
            priority,
            after == null ? List.of() : List.of((String[]) after.getArray()),
            maxAttempts,
            created,
            dedupe);
    Lease lease =
        token == null
            ? null
            : new Lease(new Holder(session, host, pid, start), token, until, progressAt);
    return new Task(
        d,
        state,
        attempt,
        lease,
        checkpoints,
        hasProgress ? new Progress(done, total) : null,
        Ending.of(outcome == null ? null : Outcome.valueOf(outcome), finished, reason),
        result,
        rev);
  }

  /**
   * Binds every column of {@code t} from parameter {@code first} on, in {@link #COLUMNS} order.
   *
   * @return the next parameter index
   */
  static int bind(Connection c, PreparedStatement ps, int first, Task t) throws SQLException {
    int i = first;
    ps.setString(i++, t.id());
    ps.setString(i++, t.title());
    ps.setString(i++, t.criterion());
    ps.setString(i++, t.instructions());
    ps.setString(i++, t.lane());
    ps.setInt(i++, t.priority());
    ps.setArray(i++, c.createArrayOf("text", t.after().toArray()));
    ps.setInt(i++, t.maxAttempts());
    setInstant(ps, i++, t.created());
    ps.setString(i++, t.dedupeKey());
    ps.setString(i++, t.state().wire());
    ps.setInt(i++, t.attempt());
    Lease l = t.lease();
    ps.setString(i++, l == null ? null : l.holder().session());
    ps.setString(i++, l == null ? null : l.holder().host());
    setLong(ps, i++, l == null ? null : l.holder().pid());
    setLong(ps, i++, l == null ? null : l.holder().processStart());
    ps.setString(i++, l == null ? null : l.token());
    setInstant(ps, i++, l == null ? null : l.until());
    setInstant(ps, i++, l == null ? null : l.progressAt());
    ps.setInt(i++, t.checkpoints());
    setLong(ps, i++, t.progress() == null ? null : t.progress().done());
    setLong(ps, i++, t.progress() == null ? null : t.progress().total());
    ps.setString(i++, t.outcome() == null ? null : t.outcome().name());
    setInstant(ps, i++, t.finished());
    ps.setString(i++, t.reason());
    ps.setString(i++, t.result());
    ps.setLong(i++, t.rev());
    return i;
  }

  static Checkpoint checkpoint(ResultSet rs) throws SQLException {
    long done = rs.getLong("progress_done");
    boolean has = !rs.wasNull();
    return new Checkpoint(
        rs.getString("task_id"),
        rs.getInt("n"),
        rs.getInt("attempt"),
        instant(rs, rs.findColumn("at")),
        rs.getString("holder"),
        rs.getString("summary"),
        has ? new Progress(done, rs.getLong("progress_total")) : null,
        rs.getString("findings"),
        rs.getString("next"));
  }

  static Instant instant(ResultSet rs, int i) throws SQLException {
    OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(i, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
    }
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }
}

package dev.taskq.store.postgres;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.Holder;
import dev.taskq.core.IdleReason;
import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.Task;
import dev.taskq.core.TaskState;
import dev.taskq.core.TaskqException;
import dev.taskq.store.ClaimEnd;
import dev.taskq.store.ClaimSpec;
import dev.taskq.store.Claimed;
import dev.taskq.store.Events;
import dev.taskq.store.LogLine;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.QueueSnapshot;
import dev.taskq.store.Storage;
import dev.taskq.store.StoreConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The queue in PostgreSQL: the {@link Storage} port in SQL. Each write is one transaction; the
 * instant every rule sees is the database's {@code now()} (the transaction's start), never this
 * machine's clock. See {@code package-info.java} for one claim from the call to the commit.
 */
public final class PostgresStorage implements Storage {
  /**
   * The instant of a statement: the database's now(), unless a test set {@code taskq.now} on the
   * connection (only the contract suite does, through {@link #PostgresStorage(StoreConfig,
   * Clock)}).
   */
  static final String NOW =
      "coalesce(nullif(current_setting('taskq.now', true), '')::timestamptz, now())";

  private final StoreConfig config;
  private final Schema schema;
  private final Database db;
  private final ProcessLink link;
  private final String queue;
  private final String channel;
  private final Clock testClock;
  private final Sql sql;
  private volatile boolean ready;
  private final Map<Connection, String> clockSet = new java.util.WeakHashMap<>();

  /** The queue {@code config} names in its database. Connects on first use, not here. */
  public PostgresStorage(StoreConfig config) {
    this(config, null);
  }

  /**
   * For tests that move time by hand: every instant comes from {@code clock} instead of the
   * database's now(). Production code never passes one (the factory uses the other constructor).
   */
  public PostgresStorage(StoreConfig config, Clock testClock) {
    if (!config.usesDatabase()) {
      throw new IllegalArgumentException("not a database configuration");
    }
    this.config = config;
    this.schema = new Schema(config.schema());
    this.queue = config.queue();
    this.db = new Database(config.database(), "taskq " + ProcessHandle.current().pid());
    this.testClock = testClock;
    String ch = config.schema() + ":" + config.queue();
    this.channel = ch.length() > 63 ? ch.substring(0, 63) : ch;
    this.sql = new Sql(schema);
    this.link = ProcessLink.acquire(config.database(), schema);
  }

  // ------------------------------------------------------------------ plumbing

  /** A change: its statements, and the log lines to append with it in the same transaction. */
  private interface Write<R> {
    R run(Connection c, List<String> lines) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction with the log lines it adds (every change adds at least
   * one), then tells listeners when anything was written.
   */
  private <R> R write(Write<R> work) {
    ensureReady();
    boolean[] changed = {false};
    R r =
        db.tx(
            c -> {
              List<String> lines = new ArrayList<>();
              R answer = work.run(prepared(c), lines);
              appendLines(c, lines);
              changed[0] = !lines.isEmpty();
              return answer;
            });
    if (changed[0]) {
      notifyChange();
    }
    return r;
  }

  private <R> R read(Database.Work<R> work) {
    ensureReady();
    return db.read(c -> work.run(prepared(c)));
  }

  /** Sets the test clock's instant on {@code c} when it moved since the last call there. */
  private Connection prepared(Connection c) throws SQLException {
    if (testClock != null) {
      String now = testClock.instant().truncatedTo(ChronoUnit.MICROS).toString();
      synchronized (clockSet) {
        if (now.equals(clockSet.get(c))) {
          return c;
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT set_config('taskq.now', ?, false)")) {
        ps.setString(1, now);
        ps.execute();
      }
      synchronized (clockSet) {
        clockSet.put(c, now);
      }
    }
    return c;
  }

  /** Migrates the schema and registers the queue, once per instance. */
  private void ensureReady() {
    if (ready) {
      return;
    }
    db.read(
        c -> {
          schema.migrate(c);
          try (PreparedStatement ps =
              c.prepareStatement(
                  sql.of("INSERT INTO %1$s.queues (name) VALUES (?) ON CONFLICT DO NOTHING"))) {
            ps.setString(1, queue);
            ps.executeUpdate();
          }
          return null;
        });
    ready = true;
  }

  /**
   * Tells listeners after the commit, in a transaction of its own that need not wait for the disk:
   * a NOTIFY inside the change's transaction would serialize every commit of the database on the
   * notification queue's lock. A listener that missed one (this process died in between) still sees
   * the change by the log's sequence within two seconds.
   */
  private void notifyChange() {
    try {
      db.read(
          c -> {
            try (Statement st = c.createStatement()) {
              st.execute(
                  "BEGIN; SET LOCAL synchronous_commit TO off; NOTIFY \"" + channel + "\"; COMMIT");
            }
            return null;
          });
    } catch (TaskqException e) {
      // The change is committed; listeners fall back to the log sequence.
    }
  }

  private Instant now(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT " + NOW)) {
      rs.next();
      return TaskRows.instant(rs, 1);
    }
  }

  // ------------------------------------------------------------------ writes

  @Override
  public <R> R enqueue(EnqueueStep<R> step) {
    return write(
        (c, lines) -> {
          Instant now;
          try (PreparedStatement ps =
              c.prepareStatement(
                  sql.of("SELECT " + NOW + " FROM %1$s.queues WHERE name = ? FOR UPDATE"))) {
            ps.setString(1, queue);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              now = TaskRows.instant(rs, 1);
            }
          }
          Batch<R> batch = step.plan(new SqlLookup(c), now);
          if (!batch.tasks().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(sql.insertTask())) {
              for (Task t : batch.tasks()) {
                ps.setString(1, queue);
                TaskRows.bind(c, ps, 2, t);
                ps.addBatch();
              }
              ps.executeBatch();
            }
          }
          lines.addAll(batch.lines());
          return batch.answer();
        });
  }

  /** Lookups inside the enqueue's transaction, which holds the queue's row lock. */
  private final class SqlLookup implements Lookup {
    private final Connection c;

    SqlLookup(Connection c) {
      this.c = c;
    }

    @Override
    public Task byDedupeKey(String key) {
      try (PreparedStatement ps =
          c.prepareStatement(
              sql.of(
                  "SELECT "
                      + TaskRows.all("t")
                      + " FROM %1$s.tasks t WHERE t.queue = ? AND t.dedupe_key = ?"))) {
        ps.setString(1, queue);
        ps.setString(2, key);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? TaskRows.read(rs, 1) : null;
        }
      } catch (SQLException e) {
        throw new Database.Unchecked(e);
      }
    }

    @Override
    public boolean exists(String id) {
      try (PreparedStatement ps =
          c.prepareStatement(sql.of("SELECT 1 FROM %1$s.tasks WHERE queue = ? AND id = ?"))) {
        ps.setString(1, queue);
        ps.setString(2, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      } catch (SQLException e) {
        throw new Database.Unchecked(e);
      }
    }
  }

  @Override
  public Claimed claim(ClaimSpec spec) {
    Holder h = spec.holder();
    int holderKey = link.holderKey(h, ProcessIdentity.isAlive(h));
    Duration lease = spec.lease().truncatedTo(ChronoUnit.MICROS);
    return write(
        (c, lines) -> {
          failExhausted(c, lines);
          Claimed claimed = null;
          try (PreparedStatement ps = c.prepareStatement(sql.claim(spec.lane() != null))) {
            int i = 1;
            ps.setString(i++, queue);
            if (spec.lane() != null) {
              ps.setString(i++, spec.lane());
            }
            ps.setString(i++, queue);
            if (spec.lane() != null) {
              ps.setString(i++, spec.lane());
            }
            ps.setString(i++, h.session());
            ps.setString(i++, h.host());
            ps.setLong(i++, h.pid());
            ps.setLong(i++, h.processStart());
            ps.setInt(i++, holderKey);
            ps.setString(i++, spec.token());
            ps.setLong(i++, lease.toNanos() / 1_000);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                Task after = TaskRows.read(rs, 1);
                Task before = TaskRows.read(rs, TaskRows.COLUMNS.size() + 1);
                Instant at = TaskRows.instant(rs, 2 * TaskRows.COLUMNS.size() + 1);
                Task expected = before.claimed(h, spec.token(), at, lease);
                check(expected, after, "claim");
                String why =
                    before.state() == TaskState.IN_PROGRESS
                        ? ClaimEnd.why(before, at, false)
                        : null;
                List<String> claimLines = Events.claimed(before, after, why, at);
                lines.addAll(claimLines);
                claimed = new Claimed(after, before, claimLines);
              }
            }
          }
          return claimed;
        });
  }

  /**
   * Fails the in-progress tasks whose claim ended on their last attempt: picks them locked, then
   * writes each as one compare-and-set on the version it read. Adds their lines to {@code lines}.
   */
  private void failExhausted(Connection c, List<String> lines) throws SQLException {
    List<Task> ended = new ArrayList<>();
    Instant now = null;
    try (PreparedStatement ps = c.prepareStatement(sql.exhausted())) {
      ps.setString(1, queue);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ended.add(TaskRows.read(rs, 1));
          now = TaskRows.instant(rs, TaskRows.COLUMNS.size() + 1);
        }
      }
    }
    for (Task before : ended) {
      String why = ClaimEnd.why(before, now, false);
      Task failed = before.expired(now, why);
      if (!writeIfUnchanged(c, before, failed)) {
        continue;
      }
      lines.addAll(Events.exhausted(before, failed, why, now));
    }
  }

  @Override
  public <R> R update(String id, Step<R> step) {
    return write(
        (c, lines) -> {
          for (int round = 0; ; round++) {
            Task current;
            Instant now;
            try (PreparedStatement ps =
                c.prepareStatement(
                    sql.of(
                        "SELECT "
                            + TaskRows.all("t")
                            + ", "
                            + NOW
                            + " FROM %1$s.tasks t WHERE t.queue = ? AND t.id = ? FOR UPDATE"))) {
              ps.setString(1, queue);
              ps.setString(2, id);
              try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                  throw TaskqException.notFound(id);
                }
                current = TaskRows.read(rs, 1);
                now = TaskRows.instant(rs, TaskRows.COLUMNS.size() + 1);
              }
            }
            Change<R> ch = step.apply(current, now);
            if (ch.next() != null && !writeIfUnchanged(c, current, ch.next())) {
              if (round < 3) {
                continue;
              }
              throw TaskqException.storeError(id + " kept changing under a locked row", null);
            }
            if (ch.checkpoint() != null) {
              insertCheckpoint(c, ch.checkpoint());
            }
            lines.addAll(ch.lines());
            return ch.answer();
          }
        });
  }

  /**
   * Writes {@code next} over {@code seen} only if the row is still the version {@code seen} (same
   * rev, same token): every holder write carries {@code WHERE id = ? AND token = ?}.
   */
  private boolean writeIfUnchanged(Connection c, Task seen, Task next) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.updateTask())) {
      int i = TaskRows.bind(c, ps, 1, next);
      ps.setBoolean(i++, next.lease() == null);
      Holder to = next.lease() == null ? null : next.lease().holder();
      if (to != null && seen.lease() != null && !to.sameProcess(seen.lease().holder())) {
        // The claim passes to another process (a resumed session's server): its lock, not the
        // old holder's, tells from now on whether the holder lives.
        ps.setInt(i++, link.holderKey(to, ProcessIdentity.isAlive(to)));
      } else {
        ps.setNull(i++, java.sql.Types.INTEGER);
      }
      ps.setString(i++, queue);
      ps.setString(i++, seen.id());
      ps.setLong(i++, seen.rev());
      ps.setString(i, seen.lease() == null ? null : seen.lease().token());
      return ps.executeUpdate() == 1;
    }
  }

  private void insertCheckpoint(Connection c, Checkpoint cp) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            sql.of(
                "INSERT INTO %1$s.checkpoints (queue, task_id, n, attempt, at, holder, summary,"
                    + " progress_done, progress_total, findings, next)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))) {
      ps.setString(1, queue);
      ps.setString(2, cp.taskId());
      ps.setInt(3, cp.n());
      ps.setInt(4, cp.attempt());
      TaskRows.setInstant(ps, 5, cp.at());
      ps.setString(6, cp.holder());
      ps.setString(7, cp.summary());
      if (cp.progress() == null) {
        ps.setNull(8, java.sql.Types.BIGINT);
        ps.setNull(9, java.sql.Types.BIGINT);
      } else {
        ps.setLong(8, cp.progress().done());
        ps.setLong(9, cp.progress().total());
      }
      ps.setString(10, cp.findings());
      ps.setString(11, cp.next());
      ps.executeUpdate();
    }
  }

  @Override
  public String note(String id, Function<Instant, String> line) {
    return write(
        (c, lines) -> {
          Instant now;
          if (id != null) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    sql.of("SELECT " + NOW + " FROM %1$s.tasks WHERE queue = ? AND id = ?"))) {
              ps.setString(1, queue);
              ps.setString(2, id);
              try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                  throw TaskqException.notFound(id);
                }
                now = TaskRows.instant(rs, 1);
              }
            }
          } else {
            now = now(c);
          }
          String l = line.apply(now);
          lines.add(l);
          return l;
        });
  }

  /** Appends log lines in order, each with the task it is about (for the resume packet's look). */
  private void appendLines(Connection c, List<String> lines) throws SQLException {
    if (lines.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            sql.of(
                "INSERT INTO %1$s.log (queue, task_id, line)"
                    + " SELECT ?, u.task_id, u.line FROM unnest(?::text[], ?::text[])"
                    + " WITH ORDINALITY AS u(task_id, line, n) ORDER BY u.n"))) {
      String[] ids = new String[lines.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = Sql.taskOf(lines.get(i));
      }
      ps.setString(1, queue);
      ps.setArray(2, c.createArrayOf("text", ids));
      ps.setArray(3, c.createArrayOf("text", lines.toArray()));
      ps.executeUpdate();
    }
  }

  private static void check(Task expected, Task actual, String what) {
    if (!expected.equals(actual)) {
      throw TaskqException.storeError(
          "the database's "
              + what
              + " of "
              + actual.id()
              + " differs from the queue's rule (a bug in taskq; nothing was changed): "
              + actual
              + " instead of "
              + expected,
          null);
    }
  }

  /**
   * Loads a whole queue into this one, which must hold no task yet: tasks, checkpoints and log
   * lines in one transaction, all or nothing ({@code taskq import}). Claims come along as they are
   * (their holders are not known here, so they end by their lease).
   *
   * @return how many tasks were loaded
   */
  public int load(QueueSnapshot snapshot) {
    return write(
        (c, lines) -> {
          int have;
          try (PreparedStatement ps =
              c.prepareStatement(
                  sql.of(
                      "SELECT (SELECT count(*) FROM %1$s.tasks WHERE queue = ?)"
                          + " FROM %1$s.queues WHERE name = ? FOR UPDATE"))) {
            ps.setString(1, queue);
            ps.setString(2, queue);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              have = rs.getInt(1);
            }
          }
          if (have > 0) {
            throw new TaskqException(
                dev.taskq.core.ErrorCode.CONFLICT,
                null,
                "queue " + queue + " already holds " + have + " task(s)",
                "import into an empty queue; nothing was imported",
                "import into an empty queue (another name: TASKQ_QUEUE=NAME); nothing was"
                    + " imported",
                null);
          }
          try (PreparedStatement ps = c.prepareStatement(sql.insertTask())) {
            for (Task t : snapshot.tasks()) {
              ps.setString(1, queue);
              TaskRows.bind(c, ps, 2, t);
              ps.addBatch();
            }
            ps.executeBatch();
          }
          for (Checkpoint cp : snapshot.checkpoints()) {
            insertCheckpoint(c, cp);
          }
          lines.addAll(snapshot.log());
          lines.add(LogLine.of(now(c), "IMPORTED", null, snapshot.describe() + " from files"));
          return snapshot.tasks().size();
        });
  }

  // ------------------------------------------------------------------ reads

  @Override
  public Task read(String id) {
    return read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  sql.of(
                      "SELECT "
                          + TaskRows.all("t")
                          + " FROM %1$s.tasks t WHERE t.queue = ? AND t.id = ?"))) {
            ps.setString(1, queue);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? TaskRows.read(rs, 1) : null;
            }
          }
        });
  }

  @Override
  public String claimEnded(Task t) {
    if (t.state() != TaskState.IN_PROGRESS) {
      return null;
    }
    return read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  sql.of(
                      sql.liveLocks()
                          + "SELECT "
                          + NOW
                          + ", "
                          + sql.gone("t")
                          + " FROM %1$s.tasks t WHERE t.queue = ? AND t.id = ?"))) {
            ps.setString(1, queue);
            ps.setString(2, t.id());
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return null;
              }
              return ClaimEnd.why(t, TaskRows.instant(rs, 1), !rs.getBoolean(2));
            }
          }
        });
  }

  @Override
  public Checkpoint checkpoint(String id, int n) {
    return read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  sql.of(
                      "SELECT * FROM %1$s.checkpoints WHERE queue = ? AND task_id = ? AND n = ?"))) {
            ps.setString(1, queue);
            ps.setString(2, id);
            ps.setInt(3, n);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? TaskRows.checkpoint(rs) : null;
            }
          }
        });
  }

  @Override
  public Map<String, Task> briefs(Collection<String> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    return read(c -> briefs(c, sql, queue, ids));
  }

  /** Those of {@code ids} that exist, without their long texts, by id. */
  static Map<String, Task> briefs(Connection c, Sql sql, String queue, Collection<String> ids)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            sql.of(
                "SELECT "
                    + TaskRows.list("t", TaskRows.BRIEF_COLUMNS)
                    + " FROM %1$s.tasks t WHERE t.queue = ? AND t.id = ANY (?)"))) {
      ps.setString(1, queue);
      ps.setArray(2, c.createArrayOf("text", ids.toArray()));
      Map<String, Task> out = new LinkedHashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Task t = TaskRows.read(rs, 1);
          out.put(t.id(), t);
        }
      }
      return out;
    }
  }

  @Override
  public QueuePage page(QueueQuery q) {
    return read(c -> new Views(c, sql, queue).page(q));
  }

  @Override
  public IdleReason idle(String lane) {
    return read(c -> new Views(c, sql, queue).idle(lane));
  }

  @Override
  public List<String> heldBy(Holder holder) {
    return read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  sql.of(
                      "SELECT id FROM %1$s.tasks WHERE queue = ? AND state = 'in_progress'"
                          + " AND holder_host = ? AND holder_pid = ? AND holder_start = ?"
                          + " ORDER BY id"))) {
            ps.setString(1, queue);
            ps.setString(2, holder.host());
            ps.setLong(3, holder.pid());
            ps.setLong(4, holder.processStart());
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getString(1));
              }
            }
            return out;
          }
        });
  }

  @Override
  public List<String> tail(int n) {
    return lines(
        "SELECT line FROM (SELECT seq, line FROM %1$s.log WHERE queue = ?"
            + " ORDER BY seq DESC LIMIT ?) x ORDER BY seq",
        null, n);
  }

  @Override
  public List<String> recent(String id, int n) {
    return lines(
        "SELECT line FROM (SELECT seq, line FROM %1$s.log WHERE queue = ? AND task_id = ?"
            + " ORDER BY seq DESC LIMIT ?) x ORDER BY seq",
        id, n);
  }

  private List<String> lines(String query, String id, int n) {
    return read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.of(query))) {
            int i = 1;
            ps.setString(i++, queue);
            if (id != null) {
              ps.setString(i++, id);
            }
            ps.setInt(i, n);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getString(1));
              }
            }
            return out;
          }
        });
  }

  // ------------------------------------------------------------------ signal and the rest

  @Override
  public long changeMark() {
    return link.mark(channel, queue);
  }

  @Override
  public long awaitChange(long mark, Duration timeout) {
    return link.await(channel, queue, mark, timeout);
  }

  @Override
  public List<String> warnings() {
    return List.of();
  }

  @Override
  public String describe() {
    return "PostgreSQL "
        + config.database().redacted()
        + ", schema "
        + schema.name()
        + ", queue "
        + queue;
  }

  @Override
  public void close() {
    db.close();
    link.release();
  }

  static EnumMap<TaskState, Integer> zeroCounts() {
    EnumMap<TaskState, Integer> m = new EnumMap<>(TaskState.class);
    for (TaskState s : TaskState.values()) {
      m.put(s, 0);
    }
    return m;
  }
}

package dev.taskq.store.postgres;

import java.util.Collections;
import java.util.List;

/**
 * The statements of the PostgreSQL store that are more than a line, built once per schema. Values
 * always travel as parameters; the only text put into SQL is the schema name (checked to be a-z,
 * 0-9 and '_', then quoted), the advisory lock class (a number) and fixed column names.
 */
final class Sql {
  static final String NOW = PostgresStorage.NOW;

  /** A pending task waits while any of its {@code after} tasks is missing or not completed. */
  static final String UNMET =
      "EXISTS (SELECT 1 FROM unnest(t.after_ids) AS d(id) LEFT JOIN %1$s.tasks x"
          + " ON x.queue = t.queue AND x.id = d.id WHERE x.state IS DISTINCT FROM 'completed')";

  static final String CLAIM_ORDER = "t.priority DESC, t.created, t.id";

  private final Schema schema;
  private final String claimAnyLane;
  private final String claimOneLane;
  private final String exhausted;
  private final String insertTask;
  private final String updateTask;

  Sql(Schema schema) {
    this.schema = schema;
    this.claimAnyLane = buildClaim(false);
    this.claimOneLane = buildClaim(true);
    this.exhausted =
        of(
            "SELECT "
                + TaskRows.all("t")
                + ", "
                + NOW
                + " FROM %1$s.tasks t WHERE t.queue = ? AND t.state = 'in_progress'"
                + " AND t.attempt >= t.max_attempts AND "
                + claimEnded("t")
                + " ORDER BY t.id FOR UPDATE OF t SKIP LOCKED");
    this.insertTask =
        of(
            "INSERT INTO %1$s.tasks (queue, "
                + String.join(", ", TaskRows.COLUMNS)
                + ") VALUES (?, "
                + String.join(", ", Collections.nCopies(TaskRows.COLUMNS.size(), "?"))
                + ")");
    StringBuilder set = new StringBuilder();
    for (String c : TaskRows.COLUMNS) {
      set.append(c).append(" = ?, ");
    }
    this.updateTask =
        of(
            "UPDATE %1$s.tasks SET "
                + set
                + "holder_key = CASE WHEN ? THEN NULL ELSE coalesce(?::int, holder_key) END"
                + " WHERE queue = ? AND id = ? AND rev = ? AND token IS NOT DISTINCT FROM ?::text");
  }

  /** {@code sql} with the schema's name in place of {@code %1$s}. */
  String of(String sql) {
    return schema.sql(sql);
  }

  /**
   * One statement takes the best claimable task: the first pending task in claim order whose {@code
   * after} tasks are completed, or the first in-progress task whose claim ended (lease ran out, or
   * its holder's lock is free) with attempts left, whichever comes first in claim order; each
   * picked {@code FOR UPDATE SKIP LOCKED}, so concurrent claims take different tasks and never wait
   * for each other. It sets attempt + 1, the new holder and token, and the lease from the
   * database's clock; RETURNING gives the new row, the old one and the instant.
   *
   * <p>Parameters: queue, [lane], queue, [lane], holder session, host, pid, start, key, token,
   * lease in microseconds.
   */
  String claim(boolean lane) {
    return lane ? claimOneLane : claimAnyLane;
  }

  private String buildClaim(boolean lane) {
    String laneFilter = lane ? " AND t.lane = ?" : "";
    return of(
        "WITH pend AS (SELECT t.* FROM %1$s.tasks t WHERE t.queue = ?"
            + laneFilter
            + " AND t.state = 'pending' AND NOT "
            + UNMET
            + " ORDER BY "
            + CLAIM_ORDER
            + " LIMIT 1 FOR UPDATE OF t SKIP LOCKED)"
            + ", ended AS (SELECT t.* FROM %1$s.tasks t WHERE t.queue = ?"
            + laneFilter
            + " AND t.state = 'in_progress' AND t.attempt < t.max_attempts AND "
            + claimEnded("t")
            + " ORDER BY "
            + CLAIM_ORDER
            + " LIMIT 1 FOR UPDATE OF t SKIP LOCKED)"
            + ", pick AS (SELECT * FROM (SELECT * FROM pend UNION ALL SELECT * FROM ended) t"
            + " ORDER BY "
            + CLAIM_ORDER
            + " LIMIT 1)"
            + " UPDATE %1$s.tasks t SET state = 'in_progress', attempt = t.attempt + 1,"
            + " holder_session = ?, holder_host = ?, holder_pid = ?, holder_start = ?,"
            + " holder_key = ?, token = ?, lease_until = "
            + NOW
            + " + (?::bigint * interval '1 microsecond'), progress_at = "
            + NOW
            + ","
            + " outcome = NULL, finished = NULL, reason = NULL, result = NULL, rev = t.rev + 1"
            + " FROM pick WHERE t.queue = pick.queue AND t.id = pick.id RETURNING "
            + TaskRows.all("t")
            + ", "
            + TaskRows.all("pick")
            + ", "
            + NOW);
  }

  /** See {@link PostgresStorage#failExhausted}. Parameter: queue. */
  String exhausted() {
    return exhausted;
  }

  /** Parameters: queue, then every column of {@link TaskRows#COLUMNS}. */
  String insertTask() {
    return insertTask;
  }

  /**
   * A compare-and-set write of a whole task. Parameters: every column, "lease gone" (clears the
   * holder key), the new holder's key when the claim passes to another process (a resumed session)
   * or null, queue, id, the rev and the token the writer saw.
   */
  String updateTask() {
    return updateTask;
  }

  /**
   * {@code WITH live AS (…)}: the holder keys whose advisory lock some session holds right now, in
   * this database, read once per statement (only when a statement asks about a holder).
   */
  String liveLocks() {
    return "WITH live AS MATERIALIZED (SELECT objid FROM pg_locks WHERE locktype = 'advisory'"
        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        + " AND classid = "
        + schema.classId()
        + "::oid AND objsubid = 2 AND granted) ";
  }

  /**
   * For views, which must not take locks: true when the holder of {@code alias}'s claim is known to
   * be gone: it registered since the server started and no session holds its lock now. Needs {@link
   * #liveLocks}.
   */
  String gone(String alias) {
    return "("
        + alias
        + ".holder_key IS NOT NULL AND NOT EXISTS (SELECT 1 FROM live WHERE live.objid = "
        + alias
        + ".holder_key::oid) AND EXISTS (SELECT 1 FROM %1$s.holders h WHERE h.key = "
        + alias
        + ".holder_key AND h.locked_since >= pg_postmaster_start_time()))";
  }

  /**
   * For the claim and the reaping, which lock what they pick: true when {@code alias}'s claim has
   * ended, its lease passed or its holder gone. "Gone" is asked of the lock manager for that one
   * key: a shared transaction-level try-lock succeeds only when no session holds the holder's
   * (exclusive) lock, and then holds it until this transaction ends, which is harmless (the
   * holder's own re-registration just tries again). Reading {@code pg_locks} instead would copy the
   * whole lock table, under all its partition locks, on every claim. Evaluated in order (CASE), so
   * the try-lock runs only for a live lease of a holder registered since the server started.
   */
  String claimEnded(String alias) {
    return "(CASE WHEN "
        + alias
        + ".lease_until <= "
        + NOW
        + " THEN true WHEN "
        + alias
        + ".holder_key IS NULL THEN false WHEN NOT EXISTS (SELECT 1 FROM %1$s.holders h"
        + " WHERE h.key = "
        + alias
        + ".holder_key AND h.locked_since >= pg_postmaster_start_time()) THEN false"
        + " ELSE pg_try_advisory_xact_lock_shared("
        + schema.classId()
        + ", "
        + alias
        + ".holder_key) END)";
  }

  /** The task a log line is about ({@code <instant> <EVENT>: <id> …}), or null for "-". */
  static String taskOf(String line) {
    int colon = line.indexOf(": ");
    if (colon < 0) {
      return null;
    }
    int start = colon + 2;
    int end = line.indexOf(' ', start);
    String id = end < 0 ? line.substring(start) : line.substring(start, end);
    return id.equals("-") || id.isEmpty() ? null : id;
  }

  static List<String> columns() {
    return TaskRows.COLUMNS;
  }
}

package dev.taskq.store.postgres;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.zip.CRC32;

/**
 * taskq's tables in their own schema ({@code taskq} unless configured), so they can share a
 * database with the user's application. Created and migrated by taskq itself: numbered steps, each
 * applied once, in one transaction under a transaction-level advisory lock, so any number of
 * servers may start at once.
 *
 * <p>Advisory locks of taskq use the two-number form {@code (classId, n)} with a class id derived
 * from the schema name: {@code n = 0} guards migrations, {@code n > 0} is a holder's key.
 */
final class Schema {
  /** The migrations in order; step i brings the schema to version i + 1. Never edit a step. */
  private static final List<String> STEPS =
      List.of(
          """
          CREATE TABLE %1$s.queues (
            name text PRIMARY KEY,
            created timestamptz NOT NULL DEFAULT now());
          CREATE TABLE %1$s.tasks (
            queue text NOT NULL,
            id text NOT NULL,
            title text NOT NULL,
            criterion text NOT NULL,
            instructions text NOT NULL,
            lane text,
            priority int NOT NULL,
            after_ids text[] NOT NULL,
            max_attempts int NOT NULL,
            created timestamptz NOT NULL,
            dedupe_key text,
            state text NOT NULL
              CHECK (state IN ('pending', 'in_progress', 'completed', 'failed')),
            attempt int NOT NULL,
            holder_session text,
            holder_host text,
            holder_pid bigint,
            holder_start bigint,
            holder_key int,
            token text,
            lease_until timestamptz,
            checkpoints int NOT NULL,
            progress_done bigint,
            progress_total bigint,
            outcome text,
            finished timestamptz,
            reason text,
            result text,
            rev bigint NOT NULL,
            PRIMARY KEY (queue, id));
          CREATE UNIQUE INDEX tasks_dedupe ON %1$s.tasks (queue, dedupe_key)
            WHERE dedupe_key IS NOT NULL;
          CREATE INDEX tasks_state ON %1$s.tasks (queue, state);
          CREATE INDEX tasks_pending ON %1$s.tasks (queue, priority DESC, created, id)
            WHERE state = 'pending';
          CREATE INDEX tasks_pending_lane ON %1$s.tasks (queue, lane, priority DESC, created, id)
            WHERE state = 'pending';
          CREATE INDEX tasks_waiting ON %1$s.tasks (queue, priority DESC, created, id)
            WHERE state = 'pending' AND after_ids <> '{}';
          CREATE INDEX tasks_claimed ON %1$s.tasks (queue, priority DESC, created, id)
            WHERE state = 'in_progress';
          CREATE INDEX tasks_finished
            ON %1$s.tasks (queue, state, (coalesce(finished, created)) DESC, id)
            WHERE state IN ('completed', 'failed');
          CREATE TABLE %1$s.checkpoints (
            queue text NOT NULL,
            task_id text NOT NULL,
            n int NOT NULL,
            attempt int NOT NULL,
            at timestamptz NOT NULL,
            holder text NOT NULL,
            summary text NOT NULL,
            progress_done bigint,
            progress_total bigint,
            findings text,
            next text,
            PRIMARY KEY (queue, task_id, n));
          CREATE TABLE %1$s.log (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            queue text NOT NULL,
            task_id text,
            line text NOT NULL);
          CREATE INDEX log_queue ON %1$s.log (queue, seq);
          CREATE INDEX log_task ON %1$s.log (queue, task_id, seq) WHERE task_id IS NOT NULL;
          CREATE TABLE %1$s.holders (
            key int GENERATED ALWAYS AS IDENTITY (CYCLE) PRIMARY KEY,
            host text NOT NULL,
            pid bigint NOT NULL,
            process_start bigint NOT NULL,
            session text NOT NULL,
            locked_since timestamptz NOT NULL,
            UNIQUE (host, pid, process_start));
          """,
          // 2: when a claim last progressed (claimed or checkpointed): heartbeats never move its
          // lease past this plus the progress deadline.
          """
          ALTER TABLE %1$s.tasks ADD COLUMN progress_at timestamptz;
          """);

  private final String name;
  private final String quoted;
  private final int classId;

  Schema(String name) {
    this.name = name;
    this.quoted = "\"" + name + "\"";
    CRC32 crc = new CRC32();
    crc.update(("taskq schema " + name).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    this.classId = (int) (crc.getValue() & 0x7fffffffL);
  }

  String name() {
    return name;
  }

  /** {@code sql} with every {@code %1$s} replaced by the quoted schema name. */
  String sql(String sql) {
    return sql.replace("%1$s", quoted);
  }

  /** The advisory lock class of this schema's locks. */
  int classId() {
    return classId;
  }

  static int latestVersion() {
    return STEPS.size();
  }

  /**
   * Brings the schema to the latest version: a cheap look first; the lock and the steps only when
   * something is missing. Refuses a schema newer than this taskq.
   */
  void migrate(Connection c) throws SQLException {
    c.setAutoCommit(true);
    int have = versionOrMinusOne(c);
    if (have == latestVersion()) {
      return;
    }
    checkNotNewer(have);
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SELECT pg_advisory_xact_lock(" + classId + ", 0)");
      st.execute("CREATE SCHEMA IF NOT EXISTS " + quoted);
      st.execute(
          sql(
              "CREATE TABLE IF NOT EXISTS %1$s.migrations (version int PRIMARY KEY,"
                  + " applied timestamptz NOT NULL DEFAULT now())"));
      int now = 0;
      try (ResultSet rs =
          st.executeQuery(sql("SELECT coalesce(max(version), 0) FROM %1$s.migrations"))) {
        rs.next();
        now = rs.getInt(1);
      }
      checkNotNewer(now);
      for (int v = now + 1; v <= latestVersion(); v++) {
        st.execute(sql(STEPS.get(v - 1)));
        try (PreparedStatement ins =
            c.prepareStatement(sql("INSERT INTO %1$s.migrations (version) VALUES (?)"))) {
          ins.setInt(1, v);
          ins.executeUpdate();
        }
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the caller drops a broken connection
      }
      throw e;
    } finally {
      if (!c.isClosed()) {
        c.setAutoCommit(true);
      }
    }
  }

  private void checkNotNewer(int have) {
    if (have > latestVersion()) {
      throw new TaskqException(
          ErrorCode.STORE_ERROR,
          null,
          "the database schema "
              + name
              + " is at version "
              + have
              + ", newer than this taskq knows ("
              + latestVersion()
              + ")",
          "ask the user to upgrade taskq on this machine",
          "upgrade taskq on this machine: another machine migrated the queue's schema",
          null);
    }
  }

  /** The schema's version, 0 when taskq's table is missing, -1 when the schema is. */
  private int versionOrMinusOne(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT to_regclass(?) IS NOT NULL, to_regnamespace(?) IS NOT NULL")) {
      ps.setString(1, quoted + ".migrations");
      ps.setString(2, quoted);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return rs.getBoolean(2) ? 0 : -1;
        }
      }
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql("SELECT max(version) FROM %1$s.migrations"))) {
      rs.next();
      return rs.getInt(1);
    }
  }
}

package dev.taskq.store.postgres;

import dev.taskq.core.Holder;
import dev.taskq.core.TaskqException;
import dev.taskq.store.DatabaseUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * This process's one long-lived connection to a database schema, shared by every store instance of
 * the process on it: it holds the session-level advisory lock of each holder identity the process
 * claims for, and it LISTENs for the queues' change notifications.
 *
 * <p><b>Holders.</b> A claim records the key of its holder ({@code holders} table, one row per
 * process: host, pid, start time). While this connection lives, PostgreSQL keeps the holder's lock
 * taken; when the process or its machine dies, the connection drops and PostgreSQL frees the lock
 * at once, and the next claim anywhere sees the holder is gone. A holder whose process this host
 * can see has exited is registered without its lock. Locks all go when the database restarts; a
 * holder counts as gone only if it registered since the server started ({@code locked_since >=
 * pg_postmaster_start_time()}), so a restart fences nobody: live holders register again when they
 * reconnect, dead ones end by their lease.
 *
 * <p><b>Changes.</b> Every write commits, then sends {@code NOTIFY} on its queue's channel. {@link
 * #mark} counts the notifications received and, to see a change committed just before, also the
 * queue's last log line number, which every change moves. After a lost connection the count is
 * bumped (a change may have been missed). The link reconnects on its own, no more often than every
 * few seconds, and never throws from {@link #mark} or {@link #await}: a watcher keeps waiting.
 */
final class ProcessLink {
  private static final Map<String, ProcessLink> LINKS = new HashMap<>();
  private static final long RETRY_MS = 2_000;
  private static final long SLICE_MS = 100;
  private static final long POLL_MS = 2_000;

  private final String key;
  private final Database connector;
  private final Schema schema;
  private final Map<String, Channel> channels = new HashMap<>();
  private final Map<String, HolderEntry> holders = new java.util.concurrent.ConcurrentHashMap<>();
  private int users;
  private Connection conn;
  private long nextTryMs;

  private static final class Channel {
    final String queue;
    long count;
    long lastSeq = -1;
    long lastPollMs;
    boolean notified;

    Channel(String queue) {
      this.queue = queue;
    }
  }

  private static final class HolderEntry {
    final Holder holder;
    final boolean wantLock;
    volatile int key = -1;
    volatile boolean locked;

    HolderEntry(Holder holder, boolean wantLock) {
      this.holder = holder;
      this.wantLock = wantLock;
    }
  }

  private ProcessLink(String key, Database connector, Schema schema) {
    this.key = key;
    this.connector = connector;
    this.schema = schema;
  }

  /** The process's link for {@code url}'s database and {@code schema}; {@link #release} it. */
  static ProcessLink acquire(DatabaseUrl url, Schema schema) {
    String key = url.jdbcUrl() + "|" + url.properties().getProperty("user") + "|" + schema.name();
    synchronized (LINKS) {
      ProcessLink l = LINKS.get(key);
      if (l == null) {
        l =
            new ProcessLink(
                key,
                new Database(url, "taskq " + ProcessHandle.current().pid() + " listener"),
                schema);
        LINKS.put(key, l);
      }
      l.users++;
      return l;
    }
  }

  /** One user less; the last one closes the connection, which frees its holders' locks. */
  void release() {
    synchronized (LINKS) {
      if (--users > 0) {
        return;
      }
      LINKS.remove(key);
    }
    synchronized (this) {
      drop();
    }
  }

  // ------------------------------------------------------------------ holders

  /**
   * The key of {@code holder}, registered (and its lock taken unless {@code alive} is false) on
   * this link. STORE_ERROR when the database cannot be reached.
   */
  int holderKey(Holder holder, boolean alive) {
    String id = holder.host() + "#" + holder.pid() + "#" + holder.processStart();
    HolderEntry e = holders.get(id);
    // Every claim asks; once registered (and locked) the answer needs neither the connection nor
    // the monitor, which a watcher's wait holds for up to a slice.
    if (e != null && e.key > 0 && (e.locked || !e.wantLock)) {
      return e.key;
    }
    return register(id, holder, alive);
  }

  private synchronized int register(String id, Holder holder, boolean alive) {
    HolderEntry e = holders.get(id);
    if (e != null && e.key > 0 && (e.locked || !e.wantLock)) {
      return e.key;
    }
    if (e == null) {
      e = new HolderEntry(holder, alive);
      holders.put(id, e);
    }
    Connection c = connection();
    if (c == null) {
      throw connector.unreachable();
    }
    try {
      register(c, e);
      return e.key;
    } catch (SQLException ex) {
      lost(ex);
      throw connector.unreachable();
    }
  }

  private void register(Connection c, HolderEntry e) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            schema.sql(
                "INSERT INTO %1$s.holders (host, pid, process_start, session, locked_since)"
                    + " VALUES (?, ?, ?, ?, clock_timestamp())"
                    + " ON CONFLICT (host, pid, process_start) DO UPDATE"
                    + " SET locked_since = clock_timestamp(), session = EXCLUDED.session"
                    + " RETURNING key"))) {
      ps.setString(1, e.holder.host());
      ps.setLong(2, e.holder.pid());
      ps.setLong(3, e.holder.processStart());
      ps.setString(4, e.holder.session());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        e.key = rs.getInt(1);
      }
    }
    if (e.wantLock) {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
        ps.setInt(1, schema.classId());
        ps.setInt(2, e.key);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          // False while another session holds it (another instance's link, or our own old
          // backend the server has not noticed is gone yet): the holder counts as alive then too.
          e.locked = rs.getBoolean(1);
        }
      }
    }
  }

  // ------------------------------------------------------------------ change signal

  /** The change count of {@code queue}'s channel now (see the class comment). Never throws. */
  synchronized long mark(String channel, String queue) {
    Channel ch = channel(channel, queue);
    Connection c = connection();
    if (c != null) {
      try {
        take(c.unwrap(PGConnection.class).getNotifications());
        observe(c, ch);
      } catch (SQLException e) {
        lost(e);
      }
    }
    return ch.count;
  }

  /**
   * Waits until {@code channel}'s count differs from {@code mark} or {@code timeout} passed, and
   * returns the count then. Never throws; an interrupt ends the wait (flag kept).
   */
  long await(String channel, String queue, long mark, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      boolean connected;
      long now;
      synchronized (this) {
        Channel ch = channel(channel, queue);
        if (ch.count != mark || left <= 0 || Thread.currentThread().isInterrupted()) {
          return ch.count;
        }
        Connection c = connection();
        connected = c != null;
        if (connected) {
          try {
            PGNotification[] got =
                c.unwrap(PGConnection.class)
                    .getNotifications((int) Math.max(1, Math.min(SLICE_MS, left / 1_000_000)));
            take(got);
            if (ch.notified || System.currentTimeMillis() - ch.lastPollMs >= POLL_MS) {
              observe(c, ch);
            }
          } catch (SQLException e) {
            lost(e);
          }
        }
        now = ch.count;
      }
      if (now != mark) {
        return now;
      }
      if (!connected) {
        try {
          Thread.sleep(Math.max(1, Math.min(SLICE_MS, left / 1_000_000)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else {
        Thread.yield();
      }
    }
  }

  private Channel channel(String name, String queue) {
    Channel ch = channels.get(name);
    if (ch == null) {
      ch = new Channel(queue);
      channels.put(name, ch);
      if (conn != null) {
        try (Statement st = conn.createStatement()) {
          st.execute("LISTEN \"" + name + "\"");
        } catch (SQLException e) {
          lost(e);
        }
      }
    }
    return ch;
  }

  /**
   * Counts one change when a notification came or the queue's last log line number moved (a change
   * committed before this call has moved it): both for one change count once.
   */
  private void observe(Connection c, Channel ch) throws SQLException {
    ch.lastPollMs = System.currentTimeMillis();
    try (PreparedStatement ps =
        c.prepareStatement(
            schema.sql("SELECT coalesce(max(seq), 0) FROM %1$s.log WHERE queue = ?"))) {
      ps.setString(1, ch.queue);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long seq = rs.getLong(1);
        if (ch.notified || (ch.lastSeq >= 0 && seq != ch.lastSeq)) {
          ch.count++;
        }
        ch.notified = false;
        ch.lastSeq = seq;
      }
    }
  }

  /** Marks the channels {@code got} has notifications for; their watchers count them. */
  private void take(PGNotification[] got) {
    if (got == null) {
      return;
    }
    for (PGNotification n : got) {
      Channel ch = channels.get(n.getName());
      if (ch != null) {
        ch.notified = true;
      }
    }
  }

  // ------------------------------------------------------------------ the connection

  /** The open connection, reconnecting when due; null while the database cannot be reached. */
  private Connection connection() {
    if (conn != null) {
      return conn;
    }
    long now = System.currentTimeMillis();
    if (now < nextTryMs) {
      return null;
    }
    nextTryMs = now + RETRY_MS;
    Connection c = null;
    try {
      c = connector.connect();
      c.setAutoCommit(true);
      schema.migrate(c);
      try (Statement st = c.createStatement()) {
        // Only this connection's own notifications: a lost commit record costs nothing here.
        st.execute("SET synchronous_commit = off");
        for (String name : channels.keySet()) {
          st.execute("LISTEN \"" + name + "\"");
        }
      }
      for (HolderEntry e : holders.values()) {
        register(c, e);
      }
      conn = c;
      for (Channel ch : channels.values()) {
        // Changes made while we were not listening are unknown: report one.
        ch.count++;
        ch.lastSeq = -1;
      }
      return conn;
    } catch (SQLException | TaskqException e) {
      Database.closeQuietly(c);
      return null;
    }
  }

  private void lost(SQLException e) {
    if (Errors.isConnectionLoss(e) || isClosed(conn)) {
      drop();
    }
  }

  private void drop() {
    Database.closeQuietly(conn);
    conn = null;
    for (HolderEntry e : holders.values()) {
      e.locked = false;
    }
  }

  private static boolean isClosed(Connection c) {
    try {
      return c == null || c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }
}

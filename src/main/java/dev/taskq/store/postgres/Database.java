package dev.taskq.store.postgres;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import dev.taskq.store.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connections one store instance runs its statements on: at most {@link #MAX_OPEN}, opened on
 * first use (never at start-up: a server answers {@code initialize} without the network), each with
 * bounded waits (connect 10 s, statement 30 s, lock 10 s, idle in a transaction 60 s, a socket read
 * 90 s). A pool library would bring more than this needs: a few connections, taken in turn.
 *
 * <p>When the database cannot be reached, calls fail at once with STORE_ERROR "database
 * unreachable: …; retry in a minute" until the next attempt is due (0.5 s, 1 s, 2 s … at most 30 s
 * after the last failure), so a lost database never hangs a caller and never floods the network.
 */
final class Database implements AutoCloseable {
  static final int MAX_OPEN = 4;
  private static final Duration BORROW_WAIT = Duration.ofSeconds(30);
  private static final long MAX_BACKOFF_MS = 30_000;

  private final DatabaseUrl url;
  private final Properties props;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition returned = lock.newCondition();
  private final ArrayDeque<Connection> idle = new ArrayDeque<>();
  private int open;
  private boolean closed;

  private volatile long retryAtNanos;
  private volatile long backoffMs;
  private volatile String lastFailure;

  Database(DatabaseUrl url, String applicationName) {
    this.url = url;
    this.props = connectionProperties(url, applicationName);
  }

  /** What pgjdbc gets: the URL's settings plus taskq's bounded waits (the URL's own win). */
  static Properties connectionProperties(DatabaseUrl url, String applicationName) {
    Properties p = url.properties();
    p.putIfAbsent("connectTimeout", "10");
    p.putIfAbsent("socketTimeout", "90");
    p.putIfAbsent("tcpKeepAlive", "true");
    p.putIfAbsent("ApplicationName", applicationName);
    String waits =
        "-c statement_timeout=30s -c lock_timeout=10s -c idle_in_transaction_session_timeout=60s";
    String options = p.getProperty("options");
    p.setProperty("options", options == null || options.isBlank() ? waits : options + " " + waits);
    return p;
  }

  DatabaseUrl url() {
    return url;
  }

  /** A new connection outside the pool (the change listener's), with the same settings. */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(url.jdbcUrl(), props);
  }

  /** Runs {@code work} in one transaction and commits it; see {@link #call}. */
  <R> R tx(Work<R> work) {
    return call(work, true);
  }

  /** Runs {@code work} in autocommit mode (reads). */
  <R> R read(Work<R> work) {
    return call(work, false);
  }

  /** Statements on one connection. */
  interface Work<R> {
    R run(Connection c) throws SQLException;
  }

  /** An SQLException passed through an interface that cannot throw it; unwrapped here. */
  static final class Unchecked extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unchecked(SQLException e) {
      super(e);
    }

    SQLException sql() {
      return (SQLException) getCause();
    }
  }

  /**
   * Runs {@code work} on a pooled connection. A connection found broken before the commit is
   * dropped and the work runs once more on a fresh one (the database rolled the first try back).
   * Deadlocks and serialization failures are retried too. A failure during the commit is reported
   * as such: the change may or may not have happened.
   */
  private <R> R call(Work<R> work, boolean transaction) {
    int attempts = 0;
    while (true) {
      attempts++;
      Connection c = borrow();
      boolean committing = false;
      boolean broken = false;
      try {
        c.setAutoCommit(!transaction);
        R r;
        try {
          r = work.run(c);
        } catch (Unchecked u) {
          throw u.sql();
        }
        if (transaction) {
          committing = true;
          c.commit();
        }
        succeeded();
        return r;
      } catch (SQLException e) {
        broken = isConnectionLoss(e) || isClosed(c);
        rollbackQuietly(c, broken);
        if (broken && committing) {
          failed(e);
          throw new TaskqException(
              ErrorCode.STORE_ERROR,
              null,
              "database connection lost while committing ("
                  + Errors.summary(e)
                  + "): the change may or may not have been made",
              "read taskq://queue before retrying (a dedupe_key makes enqueue retries safe)",
              "check with `taskq status` before running the command again",
              null);
        }
        if (broken && attempts == 1) {
          continue;
        }
        if (!broken && Errors.isRetryable(e) && attempts < 4) {
          continue;
        }
        if (broken) {
          failed(e);
          throw unreachable();
        }
        throw Errors.translate(e);
      } catch (RuntimeException | Error e) {
        rollbackQuietly(c, false);
        throw e;
      } finally {
        giveBack(c, broken);
      }
    }
  }

  private static void rollbackQuietly(Connection c, boolean broken) {
    if (broken) {
      return;
    }
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException ignored) {
      // the connection is dropped by giveBack when it is closed
    }
  }

  private Connection borrow() {
    long deadline = System.nanoTime() + BORROW_WAIT.toNanos();
    lock.lock();
    try {
      while (true) {
        if (closed) {
          throw TaskqException.storeError("this store is closed", null);
        }
        Connection c = idle.pollLast();
        if (c != null) {
          return c;
        }
        if (open < MAX_OPEN) {
          open++;
          break;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw TaskqException.storeError(
              "all " + MAX_OPEN + " database connections of this process stayed busy for 30 s",
              null);
        }
        returned.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TaskqException.storeError("interrupted while waiting for a database connection", e);
    } finally {
      lock.unlock();
    }
    try {
      return openConnection();
    } catch (RuntimeException e) {
      lock.lock();
      try {
        open--;
        returned.signal();
      } finally {
        lock.unlock();
      }
      throw e;
    }
  }

  /** A fresh connection, unless the last attempt failed and the next one is not due yet. */
  private Connection openConnection() {
    if (lastFailure != null && System.nanoTime() < retryAtNanos) {
      throw unreachable();
    }
    try {
      return connect();
    } catch (SQLException e) {
      if (Errors.isLoginProblem(e)) {
        failed(e);
        throw Errors.translate(e);
      }
      failed(e);
      throw unreachable();
    }
  }

  private void giveBack(Connection c, boolean broken) {
    boolean drop = broken || isClosed(c);
    lock.lock();
    try {
      if (drop || closed) {
        open--;
        closeQuietly(c);
      } else {
        idle.addLast(c);
      }
      returned.signal();
    } finally {
      lock.unlock();
    }
  }

  private void succeeded() {
    if (lastFailure != null) {
      lastFailure = null;
      backoffMs = 0;
    }
  }

  private void failed(SQLException e) {
    lastFailure = Errors.summary(e);
    long next = backoffMs == 0 ? 500 : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    backoffMs = next;
    retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(next);
  }

  /** The error every call gets while the database cannot be reached. */
  TaskqException unreachable() {
    String why = lastFailure == null ? "connection lost" : lastFailure;
    return new TaskqException(
        ErrorCode.STORE_ERROR,
        null,
        "database unreachable: " + why + " (" + url.redacted() + "); retry in a minute",
        "the queue's database cannot be reached right now, so nothing was read or changed by this"
            + " call: wait a minute and call again; if it persists, tell the user",
        "nothing was read or changed; check that the database is up and reachable (taskq doctor),"
            + " then run the command again",
        null);
  }

  static boolean isConnectionLoss(SQLException e) {
    return Errors.isConnectionLoss(e);
  }

  private static boolean isClosed(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ignored) {
      // closing a broken connection may fail; it is gone either way
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      for (Connection c : idle) {
        closeQuietly(c);
        open--;
      }
      idle.clear();
      returned.signalAll();
    } finally {
      lock.unlock();
    }
  }
}

package dev.taskq.store.postgres;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import java.sql.SQLException;

/**
 * What a failed statement means for the caller, by SQLSTATE. Messages carry the server's words and
 * the state, never the connection URL (pgjdbc's messages do not hold the password either).
 */
final class Errors {
  private Errors() {}

  /** The connection is gone or the server is going away: try again on a new connection. */
  static boolean isConnectionLoss(SQLException e) {
    String s = e.getSQLState();
    return s != null
        && (s.startsWith("08")
            || s.equals("57P01") // terminated by pg_terminate_backend or a fast shutdown
            || s.equals("57P02") // crash of another backend
            || s.equals("57P03") // starting up or shutting down
            || s.equals("53300")); // too many connections
  }

  /** Wrong password, unknown user or database: retrying will not help, a person must act. */
  static boolean isLoginProblem(SQLException e) {
    String s = e.getSQLState();
    return s != null && (s.startsWith("28") || s.equals("3D000"));
  }

  static boolean isRetryable(SQLException e) {
    String s = e.getSQLState();
    return "40001".equals(s) || "40P01".equals(s);
  }

  /** One line: the server's message and the SQLSTATE. */
  static String summary(SQLException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    return e.getSQLState() == null ? m : m + " [" + e.getSQLState() + "]";
  }

  static TaskqException translate(SQLException e) {
    String s = e.getSQLState() == null ? "" : e.getSQLState();
    if (s.startsWith("28")) {
      return new TaskqException(
          ErrorCode.STORE_ERROR,
          null,
          "the database refused the login: " + summary(e),
          "ask the user to check the user and password for the queue's database",
          "check the user in TASKQ_DATABASE_URL and its password (in ~/.pgpass or PGPASSFILE)",
          null);
    }
    if (s.equals("3D000")) {
      return new TaskqException(
          ErrorCode.STORE_ERROR,
          null,
          "the queue's database does not exist: " + summary(e),
          "ask the user to create the database named in TASKQ_DATABASE_URL",
          "create it (createdb NAME) or fix the database name in TASKQ_DATABASE_URL",
          null);
    }
    if (s.equals("42501")) {
      return new TaskqException(
          ErrorCode.STORE_ERROR,
          null,
          "the database user lacks a privilege taskq needs: " + summary(e),
          "ask the user to grant the database user rights on taskq's schema",
          "grant the user CREATE on the database (or create the schema for it:"
              + " CREATE SCHEMA taskq AUTHORIZATION the_user)",
          null);
    }
    if (s.equals("55P03")) {
      return storeError("waited 10 s for a lock in the queue's database: " + summary(e));
    }
    if (s.equals("57014")) {
      return storeError("the queue's database took longer than 30 s: " + summary(e));
    }
    if (s.equals("23505")) {
      return TaskqException.conflict(
          "another session added the same task at the same moment ("
              + summary(e)
              + "); nothing was changed");
    }
    return storeError("the queue's database failed: " + summary(e));
  }

  private static TaskqException storeError(String message) {
    return new TaskqException(
        ErrorCode.STORE_ERROR,
        null,
        message,
        "nothing was changed; call again in a moment, and if it repeats tell the user to run"
            + " `taskq doctor`",
        "nothing was changed; run the command again, and `taskq doctor` if it repeats",
        null);
  }
}

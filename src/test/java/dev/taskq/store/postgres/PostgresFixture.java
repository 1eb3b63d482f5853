package dev.taskq.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.store.TaskStore;
import dev.taskq.store.contract.ExpectedQueue;
import dev.taskq.store.contract.StoreFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fresh queue in the test database for the model-checked test, and what only the tables show:
 * each task one row with the expected state, attempt, token and checkpoint count; its checkpoint
 * rows numbered 1..n; a holder key exactly on in-progress rows; one DONE line per completed task.
 */
final class PostgresFixture implements StoreFixture {
  private final PostgresQueues queues;
  private final String queue;
  private Connection admin;

  PostgresFixture(PostgresQueues queues) {
    this.queues = queues;
    this.queue = queues.fresh();
  }

  @Override
  public TaskStore open(Clock clock, Duration lease) {
    return queues.open(queue, clock, lease);
  }

  @Override
  public void checkStored(ExpectedQueue expected) {
    try {
      if (admin == null) {
        admin = queues.server().admin(queues.database());
      }
      Connection c = admin;
      Map<String, Row> rows = new HashMap<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, state, attempt, token, checkpoints, holder_key, lease_until"
                  + " FROM taskq.tasks WHERE queue = ?")) {
        ps.setString(1, queue);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rs.getInt(6);
            boolean hasKey = !rs.wasNull();
            rows.put(
                rs.getString(1),
                new Row(
                    rs.getString(2),
                    rs.getInt(3),
                    rs.getString(4),
                    rs.getInt(5),
                    hasKey,
                    rs.getObject(7) != null));
          }
        }
      }
      assertThat(rows.keySet()).as("task rows").isEqualTo(expected.tasks().keySet());
      Map<String, List<Integer>> cps = new HashMap<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT task_id, n FROM taskq.checkpoints WHERE queue = ? ORDER BY task_id, n")) {
        ps.setString(1, queue);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            cps.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getInt(2));
          }
        }
      }
      for (ExpectedQueue.ExpectedTask e : expected.tasks().values()) {
        Row r = rows.get(e.id());
        boolean claimed = e.state() == dev.taskq.core.TaskState.IN_PROGRESS;
        assertThat(r.state()).as("state of " + e.id()).isEqualTo(e.state().wire());
        assertThat(r.attempt()).as("attempt of " + e.id()).isEqualTo(e.attempt());
        if (e.state() != dev.taskq.core.TaskState.FAILED) {
          // A failed task may keep its last claim (for a late done); only a live one is the
          // model's.
          assertThat(r.token()).as("token of " + e.id()).isEqualTo(e.token());
        }
        assertThat(r.checkpoints()).as("checkpoints of " + e.id()).isEqualTo(e.checkpoints());
        assertThat(r.holderKey()).as("holder key with the token of " + e.id()).isEqualTo(r.lease());
        if (claimed) {
          assertThat(r.lease()).as("lease on " + e.id()).isTrue();
        }
        List<Integer> want = new ArrayList<>();
        for (int i = 1; i <= e.checkpoints(); i++) {
          want.add(i);
        }
        assertThat(cps.getOrDefault(e.id(), List.of()))
            .as("checkpoint rows of " + e.id() + " are 1..n")
            .isEqualTo(want);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Row(
      String state, int attempt, String token, int checkpoints, boolean holderKey, boolean lease) {}

  @Override
  public void close() {
    // The queue stays in the test database, which the server's temp folder takes with it.
    try {
      if (admin != null) {
        admin.close();
      }
    } catch (SQLException e) {
      // closing a test connection
    }
  }
}

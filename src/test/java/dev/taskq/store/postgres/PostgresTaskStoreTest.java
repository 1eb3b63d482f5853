package dev.taskq.store.postgres;

import dev.taskq.store.TaskStore;
import dev.taskq.store.contract.TaskStoreContract;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract suite, unchanged, on PostgreSQL: a real server, a fresh queue per test, the clock of
 * the suite standing in for the database's now(). Dead holders are the suite's own (a process that
 * exited on this host: its claims were registered without their lock).
 */
class PostgresTaskStoreTest extends TaskStoreContract {
  private static PostgresQueues queues;
  private String queue;

  @BeforeAll
  static void database() {
    queues = PostgresQueues.onSharedServer();
  }

  @Override
  protected void resetQueue() {
    queue = queues.fresh();
  }

  @Override
  protected TaskStore openStore(Clock clock, Duration lease) {
    return queues.open(queue, clock, lease);
  }
}

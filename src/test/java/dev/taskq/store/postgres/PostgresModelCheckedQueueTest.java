package dev.taskq.store.postgres;

import dev.taskq.store.contract.ModelCheckedQueue;
import dev.taskq.store.contract.StoreFixture;

/** The model-checked test on PostgreSQL, with the tables checked after every step. */
class PostgresModelCheckedQueueTest extends ModelCheckedQueue {
  private static PostgresQueues queues;

  @Override
  protected StoreFixture newFixture() {
    synchronized (PostgresModelCheckedQueueTest.class) {
      if (queues == null) {
        queues = PostgresQueues.onSharedServer();
      }
    }
    return new PostgresFixture(queues);
  }
}

package dev.taskq.store.postgres;

import dev.taskq.store.contract.ModelCheckedQueue;
import dev.taskq.store.contract.StoreFixture;
import net.jqwik.api.Tag;

/**
 * The model-checked test on PostgreSQL, with the tables checked after every step. Tagged
 * "postgres": the long variant (tagged "slow" too, 18,000 steps) runs on the file store only, since
 * on PostgreSQL it alone would take about ten minutes of the CI budget (pom.xml, profile long).
 */
@Tag("postgres")
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

package dev.taskq.reliability;

import dev.taskq.store.contract.ModelCheckedQueue;
import dev.taskq.store.contract.StoreFixture;

/** The model-checked test on the file store, with the files checked after every step. */
class ModelCheckedQueueTest extends ModelCheckedQueue {
  @Override
  protected StoreFixture newFixture() {
    return new FileStoreFixture();
  }
}

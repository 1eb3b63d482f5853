package dev.taskq.store.contract;

import dev.taskq.core.Holder;
import dev.taskq.store.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * One empty queue of some store, for the model-checked test: it opens instances on that queue (as
 * separate sessions would), names holders the store must see as gone, and adds the store's own
 * checks of what it keeps. The file store's fixture checks the folders; a PostgreSQL fixture would
 * check its tables.
 */
public interface StoreFixture extends AutoCloseable {

  /** Another store instance on this fixture's queue, standing in for another process. */
  TaskStore open(Clock clock, Duration lease);

  /**
   * Holders the store sees as gone (their claims end at once). The default: processes that ran on
   * this host and exited, which the file store detects by pid and start time.
   */
  default List<Holder> goneHolders() {
    return List.of(DeadHolders.make("dead-1"), DeadHolders.make("dead-2"));
  }

  /**
   * The store's own invariants after a step, beyond what the API shows (which the model test checks
   * itself). {@code expected} is the state of every task, as the model sees it.
   */
  default void checkStored(ExpectedQueue expected) {}

  /** Drops the queue (temporary folders, a test schema). */
  @Override
  void close();
}

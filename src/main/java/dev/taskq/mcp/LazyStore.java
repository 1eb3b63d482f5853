package dev.taskq.mcp;

import dev.taskq.core.Holder;
import dev.taskq.project.QueueLocation;
import dev.taskq.store.TaskStore;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Finds the queue and opens the store on first use: `initialize` needs neither, and start-up time
 * is what every session waits for. When no queue is found the call fails and the next one looks
 * again, so a server started before `taskq init` works once it has run.
 */
final class LazyStore {
  private final Supplier<QueueLocation> finder;
  private final Function<QueueLocation, TaskStore> opener;
  private final Consumer<TaskStore> onOpen;
  private volatile TaskStore store;
  private volatile QueueLocation location;

  /** {@code onOpen} runs once, right after the store opened. */
  LazyStore(
      Supplier<QueueLocation> finder,
      Function<QueueLocation, TaskStore> opener,
      Consumer<TaskStore> onOpen) {
    this.finder = finder;
    this.opener = opener;
    this.onOpen = onOpen;
  }

  TaskStore get() {
    TaskStore s = store;
    if (s == null) {
      synchronized (this) {
        s = store;
        if (s == null) {
          QueueLocation where = finder.get();
          s = opener.apply(where);
          location = where;
          store = s;
          onOpen.accept(s);
        }
      }
    }
    return s;
  }

  /** The store when it is open, else null (never opens it). */
  TaskStore ifOpen() {
    return store;
  }

  /** The queue in use: opens the store if it is not open yet. */
  QueueLocation location() {
    get();
    return location;
  }

  /**
   * Hands back this process's claims (no attempt used up) and closes the store, if it was opened.
   *
   * @return how many claims were released
   */
  synchronized int releaseAndClose(Holder holder) {
    TaskStore s = store;
    if (s == null) {
      return 0;
    }
    try {
      return s.releaseAllHeldBy(holder);
    } finally {
      s.close();
      store = null;
    }
  }
}

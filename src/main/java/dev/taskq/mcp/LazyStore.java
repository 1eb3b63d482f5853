package dev.taskq.mcp;

import dev.taskq.core.Holder;
import dev.taskq.store.TaskStore;
import java.util.function.Supplier;

/**
 * Opens the store on first use: `initialize` does not need it, and start-up time is what every
 * session waits for.
 */
final class LazyStore {
  private final Supplier<TaskStore> opener;
  private volatile TaskStore store;

  LazyStore(Supplier<TaskStore> opener) {
    this.opener = opener;
  }

  TaskStore get() {
    TaskStore s = store;
    if (s == null) {
      synchronized (this) {
        s = store;
        if (s == null) {
          s = opener.get();
          store = s;
        }
      }
    }
    return s;
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

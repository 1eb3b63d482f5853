package dev.taskq.mcp;

import dev.taskq.core.Holder;
import dev.taskq.store.TaskStore;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Opens the store on first use: `initialize` does not need it, and start-up time is what every
 * session waits for.
 */
final class LazyStore {
  private final Supplier<TaskStore> opener;
  private final Consumer<TaskStore> onOpen;
  private volatile TaskStore store;

  /** {@code onOpen} runs once, right after the store opened. */
  LazyStore(Supplier<TaskStore> opener, Consumer<TaskStore> onOpen) {
    this.opener = opener;
    this.onOpen = onOpen;
  }

  TaskStore get() {
    TaskStore s = store;
    if (s == null) {
      synchronized (this) {
        s = store;
        if (s == null) {
          s = opener.get();
          store = s;
          onOpen.accept(s);
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

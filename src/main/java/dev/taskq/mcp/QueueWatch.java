package dev.taskq.mcp;

import dev.taskq.store.TaskStore;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells this session's client about changes other sessions make to the shared queue, through the
 * store's change signal ({@link TaskStore#awaitChange}), on one daemon thread that starts when the
 * store opens. A change this session made itself may be announced twice, which costs the client one
 * extra read.
 */
final class QueueWatch implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(2);
  private static final Logger log = LoggerFactory.getLogger(QueueWatch.class);

  private final Notifier notifier;
  private volatile Thread thread;
  private volatile boolean closed;

  QueueWatch(Notifier notifier) {
    this.notifier = notifier;
  }

  /** Starts watching {@code store}; called once, when the session first opens it. */
  synchronized void start(TaskStore store) {
    if (closed || thread != null) {
      return;
    }
    Thread t = new Thread(() -> watch(store), "taskq-queue-watch");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  private void watch(TaskStore store) {
    try {
      long mark = store.changeMark();
      while (!closed && !Thread.currentThread().isInterrupted()) {
        long now = store.awaitChange(mark, WAIT);
        if (now != mark && !closed) {
          mark = now;
          notifier.stateChanged(List.of());
        }
      }
    } catch (RuntimeException e) {
      log.debug("queue watch stopped: {}", e.toString());
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }
}

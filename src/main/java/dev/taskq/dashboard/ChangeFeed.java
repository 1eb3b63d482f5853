package dev.taskq.dashboard;

import dev.taskq.store.TaskStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One thread that waits on the store's change signal ({@link TaskStore#awaitChange}: log growth on
 * files, LISTEN/NOTIFY on PostgreSQL) and wakes every open event stream, so a hundred open tabs
 * cost one watcher. {@link #version()} counts the changes seen since start: the board carries the
 * version it was read at, and the page re-reads only for a newer one.
 */
final class ChangeFeed implements AutoCloseable {
  private final TaskStore store;
  private final LongSupplier poolStamp;
  private final PrintWriter log;
  private final Object lock = new Object();
  private final Thread thread;
  private long version;
  private boolean closed;

  /**
   * @param poolStamp moves when the worker pool's state file changes; looked at once a second,
   *     since the supervisor's own changes (a worker's turns, a pause) write no task
   */
  ChangeFeed(TaskStore store, LongSupplier poolStamp, PrintWriter log) {
    this.store = store;
    this.poolStamp = poolStamp;
    this.log = log;
    this.thread = new Thread(this::watch, "taskq-dashboard-changes");
    thread.setDaemon(true);
    thread.start();
  }

  long version() {
    synchronized (lock) {
      return version;
    }
  }

  /**
   * Blocks until the version differs from {@code seen}, the feed closes, or {@code timeout} passes;
   * returns the version then.
   */
  long awaitAfter(long seen, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (version == seen && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return version;
    }
  }

  boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  private void watch() {
    long mark = store.changeMark();
    long pool = poolStamp.getAsLong();
    boolean complained = false;
    while (!isClosed()) {
      try {
        long next = store.awaitChange(mark, Duration.ofSeconds(1));
        long nextPool = poolStamp.getAsLong();
        if (next != mark || nextPool != pool) {
          mark = next;
          pool = nextPool;
          synchronized (lock) {
            version++;
            lock.notifyAll();
          }
        }
        complained = false;
        if (Thread.currentThread().isInterrupted()) {
          return; // awaitChange ends early on an interrupt and keeps the flag
        }
      } catch (RuntimeException e) {
        // The signal failed (the queue folder went away, the database dropped): say so once, keep
        // trying, and let the page's own reads report what is wrong.
        if (!complained) {
          log.println("taskq dashboard: the change signal failed (" + e + "); retrying");
          complained = true;
        }
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
    thread.interrupt();
  }
}

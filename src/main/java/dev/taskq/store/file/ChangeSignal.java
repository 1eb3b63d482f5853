package dev.taskq.store.file;

import dev.taskq.core.TaskState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The file store's change mark: every change taskq makes appends to {@code log.txt}, and a person
 * dropping, moving or deleting a task file changes its state folder's modification time. So the
 * mark is a hash of log.txt's size and time and the four folders' times: five stats, no lock, no
 * read of any file. Waiters poll it every {@link #POLL} and are woken at once by changes made in
 * this JVM (through any store instance on the same folder).
 */
final class ChangeSignal {
  static final Duration POLL = Duration.ofMillis(100);

  /** One monitor per queue folder, shared by the store instances of this JVM on that folder. */
  private static final ConcurrentHashMap<Path, Pokes> LOCAL = new ConcurrentHashMap<>();

  private static final class Pokes {
    long count;
  }

  private final QueueFolder folder;
  private final Pokes monitor;

  ChangeSignal(QueueFolder folder) {
    this.folder = folder;
    this.monitor = LOCAL.computeIfAbsent(folder.root, p -> new Pokes());
  }

  long mark() {
    long h = 17;
    h = 31 * h + stat(folder.log, true);
    h = 31 * h + stat(folder.log, false);
    for (TaskState s : TaskState.values()) {
      h = 31 * h + stat(folder.dir(s), false);
    }
    return h;
  }

  /** This process changed the queue: wake its waiters now rather than at their next poll. */
  void poke() {
    synchronized (monitor) {
      monitor.count++;
      monitor.notifyAll();
    }
  }

  long await(long mark, Duration timeout) {
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    while (true) {
      long now = mark();
      long left = deadline - System.nanoTime();
      if (now != mark || left <= 0) {
        return now;
      }
      synchronized (monitor) {
        long seen = monitor.count;
        long waitNanos = Math.min(left, POLL.toNanos());
        long until = System.nanoTime() + waitNanos;
        try {
          while (monitor.count == seen && System.nanoTime() < until) {
            TimeUnit.NANOSECONDS.timedWait(monitor, Math.max(1, until - System.nanoTime()));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return mark();
        }
      }
    }
  }

  /** Size (when {@code size}) or modification time in nanoseconds; -1 when absent. */
  private static long stat(Path p, boolean size) {
    try {
      BasicFileAttributes a =
          Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return size ? a.size() : a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    } catch (NoSuchFileException e) {
      return -1;
    } catch (IOException e) {
      return -2;
    }
  }
}

package dev.taskq.store.file;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import dev.taskq.store.ProcessIdentity;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queue-wide lock: an in-JVM lock (a FileLock does not exclude threads of one JVM) plus an
 * exclusive FileLock on {@code .taskq/lock} (excludes other processes). If someone deletes the lock
 * file while servers run, a process could lock a fresh file while another holds the old one; so
 * after locking we check the path still names the file we locked, and retry if not.
 *
 * <p>The wait is bounded ({@link #DEFAULT_WAIT}). Whoever takes the lock writes who it is and since
 * when into the lock file, so a caller that gives up can say who holds the lock and for how long
 * (the way HikariCP's timeout names the pool's state): a hung process shows up by its pid.
 */
final class QueueLock {
  static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
  private static final int HOLDER_TEXT_MAX = 512;
  private static final String ME =
      "pid " + ProcessHandle.current().pid() + " on " + ProcessIdentity.host();
  private static volatile ScheduledExecutorService alarms;

  private final Path path;
  private final Duration wait;

  /**
   * One in-JVM lock per lock file: two stores on one queue in the same JVM must not both ask for
   * the FileLock at once (the JVM would throw OverlappingFileLockException instead of waiting).
   */
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

  private final ReentrantLock local;
  private FileChannel channel;
  private FileLock held;
  private Object openedKey;

  /** Which thread of this JVM holds the in-JVM lock, and since when (for the timeout's message). */
  private static final ConcurrentHashMap<Path, String> LOCAL_HOLDER = new ConcurrentHashMap<>();

  QueueLock(Path path) {
    this(path, DEFAULT_WAIT);
  }

  QueueLock(Path path, Duration wait) {
    this.path = path.toAbsolutePath().normalize();
    this.wait = wait;
    this.local = LOCAL.computeIfAbsent(this.path, p -> new ReentrantLock());
  }

  /**
   * Takes the lock, waiting at most the configured time; then STORE_ERROR naming who holds it and
   * since when, with nothing changed.
   */
  void lock() throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      if (!local.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        throw timeout(LOCAL_HOLDER.getOrDefault(path, "another thread of this process"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the queue lock " + path);
    }
    boolean ok = false;
    try {
      if (local.getHoldCount() == 1) {
        acquireFileLock(deadline);
        LOCAL_HOLDER.put(
            path, "thread '" + Thread.currentThread().getName() + "' of " + ME + since());
      }
      ok = true;
    } finally {
      if (!ok) {
        local.unlock();
      }
    }
  }

  void unlock() {
    try {
      if (local.getHoldCount() == 1) {
        LOCAL_HOLDER.remove(path);
      }
      if (local.getHoldCount() == 1 && held != null) {
        try {
          held.release();
        } catch (IOException e) {
          // closing the channel below releases it in any case
          closeChannel();
        }
        held = null;
      }
    } finally {
      local.unlock();
    }
  }

  /** The lock file was deleted or replaced while held: nothing was changed, retry. */
  static final class Lost extends IOException {
    private static final long serialVersionUID = 1L;

    Lost(String message) {
      super(message);
    }
  }

  /**
   * Checks, right before a change, that the lock file is still the one we locked. If someone
   * deleted it, another process may hold a lock on a new file now; stop before touching anything.
   */
  void ensureStillHeld() throws IOException {
    if (held == null || !Objects.equals(keyOnDisk(), openedKey)) {
      closeChannel();
      held = null;
      throw new Lost(
          path
              + " was deleted or replaced while this process held it; the operation was stopped"
              + " before changing anything. Never delete files in .taskq/ while taskq runs");
    }
  }

  boolean isHeldByCurrentThread() {
    return local.isHeldByCurrentThread();
  }

  private void acquireFileLock(long deadline) throws IOException {
    for (int tries = 0; ; tries++) {
      if (channel == null || !channel.isOpen()) {
        // Reading the key only after the open would take a file created in between for ours (two
        // processes starting while someone deletes the lock file: both then "hold" it). When the
        // path names one file just before and just after the open, that is the file we opened.
        Object before = keyOnDisk();
        channel =
            FileChannel.open(
                path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        openedKey = keyOnDisk();
        if (!Objects.equals(before, openedKey) && tries <= 10) {
          closeChannel();
          continue;
        }
      }
      FileLock l = channel.tryLock();
      if (l == null) {
        l = lockBefore(deadline);
      }
      Object now = keyOnDisk();
      if ((now != null && Objects.equals(now, openedKey)) || tries > 10) {
        held = l;
        sayWhoHolds();
        return;
      }
      l.release();
      closeChannel();
    }
  }

  /**
   * Waits for the file lock in the kernel's queue (fair, unlike polling tryLock) until {@code
   * deadline}: an alarm interrupts the wait, which closes the channel (FileChannel is
   * interruptible: FileLockInterruptionException), and the interrupt is then cleared again.
   */
  private FileLock lockBefore(long deadline) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw timeout(whoHolds());
    }
    Alarm alarm = new Alarm(Thread.currentThread());
    ScheduledFuture<?> ring = alarms().schedule(alarm, left, TimeUnit.NANOSECONDS);
    try {
      return channel.lock();
    } catch (FileLockInterruptionException | ClosedByInterruptException e) {
      closeChannel(); // the interrupt closed it
      if (!alarm.disarm()) {
        throw e; // interrupted by someone else: keep the interrupt
      }
      throw timeout(whoHolds());
    } finally {
      ring.cancel(false);
      alarm.disarm();
    }
  }

  /** Interrupts a waiting thread once, only while it still waits. */
  private static final class Alarm implements Runnable {
    private final Thread waiter;
    private boolean armed = true;
    private boolean rang;

    Alarm(Thread waiter) {
      this.waiter = waiter;
    }

    @Override
    public synchronized void run() {
      if (armed) {
        rang = true;
        waiter.interrupt();
      }
    }

    /** Stops the alarm; if it rang, clears the interrupt it caused. Returns whether it rang. */
    synchronized boolean disarm() {
      armed = false;
      if (rang) {
        Thread.interrupted();
      }
      return rang;
    }
  }

  private static ScheduledExecutorService alarms() {
    ScheduledExecutorService a = alarms;
    if (a == null) {
      synchronized (QueueLock.class) {
        a = alarms;
        if (a == null) {
          ScheduledThreadPoolExecutor t =
              new ScheduledThreadPoolExecutor(
                  1,
                  r -> {
                    Thread th = new Thread(r, "taskq-lock-alarm");
                    th.setDaemon(true);
                    return th;
                  });
          t.setRemoveOnCancelPolicy(true);
          alarms = a = t;
        }
      }
    }
    return a;
  }

  /** Writes who holds the lock and since when into the lock file (not fsynced: a hint only). */
  private void sayWhoHolds() {
    try {
      ByteBuffer b = ByteBuffer.wrap((ME + since() + "\n").getBytes(StandardCharsets.UTF_8));
      channel.truncate(0);
      while (b.hasRemaining()) {
        channel.write(b, b.position());
      }
    } catch (IOException e) {
      // only a hint for a timeout message: never a reason to fail
    }
  }

  private static String since() {
    return " since " + Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  /** What the lock file says about its holder, or that it does not say. */
  private String whoHolds() {
    try {
      byte[] b = QueueFolder.readBounded(path, HOLDER_TEXT_MAX);
      String text = b == null ? "" : new String(b, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "a process that did not say who it is (an older taskq?)" : text;
    } catch (IOException | QueueFolder.Unreadable e) {
      return "a process that did not say who it is (" + e.getMessage() + ")";
    }
  }

  private TaskqException timeout(String holder) {
    String age = "";
    int at = holder.lastIndexOf(" since ");
    if (at >= 0) {
      try {
        Instant since = Instant.parse(holder.substring(at + 7).strip());
        age = " (" + Duration.between(since, Instant.now()).toSeconds() + " s ago)";
      } catch (RuntimeException e) {
        // no age then
      }
    }
    String message =
        "the queue lock "
            + path
            + " was not free within "
            + wait.toSeconds()
            + " s: held by "
            + holder
            + age
            + ". A call holds it for milliseconds, so that process is probably stuck";
    return new TaskqException(
        ErrorCode.STORE_ERROR,
        null,
        message,
        "nothing was changed; wait a minute and call again, and tell the user if it persists",
        "nothing was changed; stop the process holding the lock if it hangs, then run the"
            + " command again",
        null);
  }

  private Object keyOnDisk() throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private void closeChannel() {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // nothing more to do
    }
    channel = null;
  }

  void close() {
    closeChannel();
  }
}

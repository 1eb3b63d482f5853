package dev.taskq.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queue-wide lock: an in-JVM lock (a FileLock does not exclude threads of one JVM) plus an
 * exclusive FileLock on {@code .taskq/lock} (excludes other processes). If someone deletes the lock
 * file while servers run, a process could lock a fresh file while another holds the old one; so
 * after locking we check the path still names the file we locked, and retry if not.
 */
final class QueueLock {
  private final Path path;

  /**
   * One in-JVM lock per lock file: two stores on one queue in the same JVM must not both ask for
   * the FileLock at once (the JVM would throw OverlappingFileLockException instead of waiting).
   */
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

  private final ReentrantLock local;
  private FileChannel channel;
  private FileLock held;
  private Object openedKey;

  QueueLock(Path path) {
    this.path = path.toAbsolutePath().normalize();
    this.local = LOCAL.computeIfAbsent(this.path, p -> new ReentrantLock());
  }

  void lock() throws IOException {
    local.lock();
    boolean ok = false;
    try {
      if (local.getHoldCount() == 1) {
        acquireFileLock();
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

  private void acquireFileLock() throws IOException {
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
      FileLock l = channel.lock();
      Object now = keyOnDisk();
      if ((now != null && Objects.equals(now, openedKey)) || tries > 10) {
        held = l;
        return;
      }
      l.release();
      closeChannel();
    }
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

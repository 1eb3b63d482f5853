package dev.taskq.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whole-file writes that survive a crash at any instant: write a temp file in the queue's own
 * {@code .taskq/tmp}, fsync it, rename it over the target, fsync the directory.
 *
 * <p>The directory fsyncs are deferred to {@link #syncDirs()}, which the store calls after it
 * releases the queue lock and before it answers: the file's data is durable before its rename (so a
 * power cut never leaves an empty task file), the rename is durable before the caller hears of it,
 * and processes overlap their directory fsyncs instead of queueing for the lock behind them.
 */
final class DurableFiles {
  private static final AtomicLong SEQ = new AtomicLong();
  private final Path tmpDir;
  private final String prefix;
  private final ThreadLocal<Set<Path>> dirtyDirs = ThreadLocal.withInitial(HashSet::new);

  DurableFiles(Path tmpDir) {
    this.tmpDir = tmpDir;
    // pid + counter keeps names unique across the processes sharing the folder
    this.prefix = ProcessHandle.current().pid() + "-";
  }

  /** Replaces {@code target} with {@code bytes} atomically and durably. */
  void write(Path target, byte[] bytes) throws IOException {
    Path tmp = tmpDir.resolve(prefix + SEQ.incrementAndGet() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(tmp);
      throw e;
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    dirtyDirs.get().add(target.getParent());
  }

  /** Deletes {@code file} if present; durable after {@link #syncDirs()}. */
  void delete(Path file) throws IOException {
    if (Files.deleteIfExists(file)) {
      dirtyDirs.get().add(file.getParent());
    }
  }

  /** Makes this thread's renames and deletions durable. */
  void syncDirs() {
    Set<Path> dirs = dirtyDirs.get();
    for (Path d : dirs) {
      syncDir(d);
    }
    dirs.clear();
  }

  /** fsync on a directory makes renames and deletions in it durable (Linux; a no-op elsewhere). */
  static void syncDir(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some platforms cannot open directories; the rename itself is still atomic.
    }
  }

  /**
   * Removes temp files left by processes that died mid-write. Every write happens under the queue
   * lock, so while the caller holds it any temp file is a leftover.
   */
  int cleanLeftovers() throws IOException {
    int n = 0;
    try (var entries = Files.newDirectoryStream(tmpDir, "*.tmp")) {
      for (Path p : entries) {
        Files.deleteIfExists(p);
        n++;
      }
    }
    return n;
  }
}

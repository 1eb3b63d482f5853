package dev.taskq.store.file;

import dev.taskq.store.ProcessIdentity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
    // pid and process start time name this process among all that ever shared the folder (pids
    // are reused, and in containers the server is often the same small pid every start)
    this.prefix = writerPrefix(ProcessHandle.current());
  }

  /** A complete, fsynced temp file, waiting to be renamed over its target or discarded. */
  record Staged(Path tmp, Path target) {}

  /** Replaces {@code target} with {@code bytes} atomically and durably. */
  void write(Path target, byte[] bytes) throws IOException {
    install(stage(target, bytes));
  }

  /**
   * Writes and fsyncs the temp file for {@code target}. Safe without the queue lock: this is the
   * slow part of a write, and holders stage their changes before they queue for the lock.
   */
  Staged stage(Path target, byte[] bytes) throws IOException {
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
    return new Staged(tmp, target);
  }

  /** Renames a staged file over its target (caller holds the queue lock). */
  void install(Staged s) throws IOException {
    try {
      Files.move(s.tmp(), s.target(), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(s.tmp());
      throw e;
    }
    dirtyDirs.get().add(s.target().getParent());
  }

  /**
   * Puts a staged file at its target only if nothing is there yet: a hard link fails when the name
   * exists, where a rename would silently replace it. Returns false, keeping the staged file for
   * the caller to install or discard, when the target exists. Where the filesystem has no hard
   * links this checks, then renames.
   */
  boolean installNew(Staged s) throws IOException {
    try {
      Files.createLink(s.target(), s.tmp());
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException | FileSystemException e) {
      if (Files.exists(s.target(), LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      install(s);
      return true;
    }
    discard(s);
    dirtyDirs.get().add(s.target().getParent());
    return true;
  }

  /** Drops a staged file that will not be used. */
  static void discard(Staged s) {
    try {
      Files.deleteIfExists(s.tmp());
    } catch (IOException e) {
      // a leftover temp file is removed when its process is gone
    }
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
   * Removes temp files whose writer process is gone. Live processes stage files outside the lock,
   * so only a dead writer's temp file is a leftover (the name starts with the writer's pid).
   */
  int cleanLeftovers() throws IOException {
    int n = 0;
    try (var entries = Files.newDirectoryStream(tmpDir, "*.tmp")) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (!name.startsWith(prefix) && !writerAlive(name)) {
          Files.deleteIfExists(p);
          n++;
        }
      }
    }
    return n;
  }

  private static String writerPrefix(ProcessHandle p) {
    long start = ProcessIdentity.startStamp(p);
    return p.pid() + "-" + start + "-";
  }

  /** Whether the process that named a temp file "pid-start-seq.tmp" still runs. */
  private static boolean writerAlive(String name) {
    String[] parts = name.split("-");
    if (parts.length < 3) {
      return false;
    }
    long pid = parsePid(parts[0]);
    return pid > 0
        && ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .map(h -> name.startsWith(writerPrefix(h)))
            .orElse(false);
  }

  private static long parsePid(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

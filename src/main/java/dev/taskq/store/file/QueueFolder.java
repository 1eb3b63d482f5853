package dev.taskq.store.file;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.Limits;
import dev.taskq.core.Task;
import dev.taskq.core.TaskState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The queue directory's paths and safe reads. Never follows a symbolic link and never reads more
 * than a bounded amount, so a hostile file cannot lead taskq outside the folder or exhaust memory.
 */
final class QueueFolder {
  /** A task file that could not be read as a task, and why. */
  static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String reason) {
      super(reason, null, false, false);
    }
  }

  final Path root;
  final Path meta;
  final Path tmp;
  final Path checkpoints;
  final Path log;

  QueueFolder(Path root) {
    this.root = root;
    this.meta = root.resolve(".taskq");
    this.tmp = meta.resolve("tmp");
    this.checkpoints = root.resolve("checkpoints");
    this.log = root.resolve("log.txt");
  }

  Path dir(TaskState s) {
    return root.resolve(s.folder());
  }

  Path file(TaskState s, String id) {
    return dir(s).resolve(id + ".md");
  }

  Path checkpoint(String id, int n) {
    return checkpoints.resolve(CheckpointFile.fileName(id, n));
  }

  /** "pending/db-audit.md": how people see a path. */
  String relative(Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }

  /** Creates the queue folder and its layout, but never the folders above it. */
  void createLayout() throws IOException {
    if (!Files.isDirectory(root)) {
      try {
        Files.createDirectory(root);
      } catch (FileAlreadyExistsException e) {
        // sessions starting together on a new project race to create it: one wins, all go on
        if (!Files.isDirectory(root)) {
          throw e;
        }
      }
    }
    for (TaskState s : TaskState.values()) {
      ownDirectory(dir(s));
    }
    ownDirectory(checkpoints);
    ownDirectory(meta);
    ownDirectory(tmp);
  }

  /**
   * Creates {@code d} or checks it is a real directory: a state folder that is a symbolic link
   * would make every write land outside the queue folder.
   */
  private static void ownDirectory(Path d) throws IOException {
    Files.createDirectories(d);
    if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          d
              + " is a symbolic link or not a directory; taskq writes only inside the queue folder."
              + " Replace it with a plain folder");
    }
  }

  /** The four state folders' modification times, in TaskState order. */
  List<Long> mtimes() throws IOException {
    List<Long> out = new ArrayList<>(4);
    for (TaskState s : TaskState.values()) {
      out.add(Files.getLastModifiedTime(dir(s)).to(TimeUnit.NANOSECONDS));
    }
    return out;
  }

  boolean exists(TaskState s, String id) {
    return Files.exists(file(s, id), LinkOption.NOFOLLOW_LINKS);
  }

  /** Reads {@code <state>/<id>.md}; null when absent. */
  Task readTask(TaskState s, String id) throws IOException, Unreadable {
    Path p = file(s, id);
    byte[] bytes = readBounded(p, Limits.TASK_FILE_MAX_BYTES);
    if (bytes == null) {
      return null;
    }
    for (byte b : bytes) {
      if (b == 0) {
        throw new Unreadable("binary file (holds NUL bytes); a task file is Markdown text");
      }
    }
    Instant mtime;
    try {
      mtime = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
    } catch (NoSuchFileException e) {
      return null; // moved or deleted since it was read: absent, as if it had been a moment later
    }
    try {
      return TaskFile.parse(FrontMatter.decode(bytes), id, s, mtime);
    } catch (IllegalArgumentException e) {
      throw new Unreadable(e.getMessage());
    }
  }

  /** Checkpoint n of a task, or null when absent or unreadable (checkpoints are advisory). */
  Checkpoint readCheckpoint(String id, int n) throws IOException {
    try {
      byte[] bytes = readBounded(checkpoint(id, n), Limits.TASK_FILE_MAX_BYTES);
      return bytes == null ? null : CheckpointFile.parse(FrontMatter.decode(bytes));
    } catch (RuntimeException | Unreadable e) {
      return null;
    }
  }

  /** The whole file, or null when absent; refuses links, folders and oversized files. */
  static byte[] readBounded(Path p, int max) throws IOException, Unreadable {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
    if (a.isSymbolicLink()) {
      throw new Unreadable("a symbolic link; taskq never follows links out of the queue folder");
    }
    if (a.isDirectory()) {
      throw new Unreadable("a directory, not a task file");
    }
    if (!a.isRegularFile()) {
      throw new Unreadable("not a regular file");
    }
    if (a.size() > max) {
      throw new Unreadable("too large (" + a.size() + " bytes; the limit is " + max + ")");
    }
    try (SeekableByteChannel ch =
        Files.newByteChannel(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(max + 1L, Math.max(a.size(), 0) + 1));
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        // read until full or EOF
      }
      if (buf.position() > max) {
        throw new Unreadable("too large (over " + max + " bytes)");
      }
      byte[] out = new byte[buf.position()];
      buf.flip().get(out);
      return out;
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

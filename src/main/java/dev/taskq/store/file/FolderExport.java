package dev.taskq.store.file;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.ErrorCode;
import dev.taskq.core.Task;
import dev.taskq.core.TaskqException;
import dev.taskq.store.QueueSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a {@link QueueSnapshot} as the file store's Markdown layout (pending/, in-progress/,
 * completed/, failed/, checkpoints/, log.txt) into a folder that does not exist yet: all in a
 * temporary sibling, then one rename, so the folder appears whole or not at all. The result is a
 * queue folder the file store opens like any other.
 */
public final class FolderExport {
  private FolderExport() {}

  /** Writes {@code snapshot} to {@code dir}; CONFLICT when {@code dir} exists and is not empty. */
  public static void write(QueueSnapshot snapshot, Path dir) {
    Path target = dir.toAbsolutePath().normalize();
    if (Files.exists(target) && !isEmptyDir(target)) {
      throw new TaskqException(
          ErrorCode.CONFLICT,
          "DIR",
          target + " already exists and is not empty",
          "name a new folder; nothing was written",
          "name a new folder; nothing was written",
          null);
    }
    Path parent = target.getParent();
    Path tmp =
        parent.resolve(
            "." + target.getFileName() + ".taskq-export-" + ProcessHandle.current().pid());
    try {
      Files.createDirectories(parent);
      QueueFolder folder = new QueueFolder(tmp);
      folder.createLayout();
      for (Task t : snapshot.tasks()) {
        Files.writeString(
            folder.file(t.state(), t.id()), TaskFile.render(t), StandardCharsets.UTF_8);
      }
      for (Checkpoint c : snapshot.checkpoints()) {
        Files.writeString(
            folder.checkpoint(c.taskId(), c.n()), CheckpointFile.render(c), StandardCharsets.UTF_8);
      }
      StringBuilder log = new StringBuilder();
      for (String line : snapshot.log()) {
        log.append(line).append('\n');
      }
      Files.writeString(folder.log, log, StandardCharsets.UTF_8);
      // The copy carries no machine state: the file store builds its index when it first opens.
      deleteTree(folder.meta);
      if (Files.exists(target)) {
        Files.delete(target);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target);
      }
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw TaskqException.storeError(
          "cannot write the queue to " + target + ": " + e.getMessage() + "; nothing was written",
          e);
    }
  }

  private static boolean isEmptyDir(Path p) {
    try (Stream<Path> s = Files.list(p)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> all = Files.walk(p)) {
      for (Path x : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      deleteTree(p);
    } catch (IOException e) {
      // a temp folder left behind names itself (.…taskq-export-<pid>)
    }
  }
}

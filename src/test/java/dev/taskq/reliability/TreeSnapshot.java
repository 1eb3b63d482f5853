package dev.taskq.reliability;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Every path under a folder with its kind, size and modification time, so a test can prove a call
 * wrote nothing there: take one before, one after, compare.
 */
record TreeSnapshot(Map<String, String> entries) {

  static TreeSnapshot of(Path root) throws IOException {
    return of(root, rel -> true);
  }

  /** Only paths (relative, '/'-separated) that {@code include} accepts. */
  static TreeSnapshot of(Path root, Predicate<String> include) throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (!Files.exists(root)) {
      return new TreeSnapshot(out);
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
            String rel = rel(root, dir);
            if (!rel.isEmpty() && !include.test(rel)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            out.put(rel + "/", "dir");
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
            String rel = rel(root, file);
            if (include.test(rel)) {
              out.put(
                  rel,
                  (a.isSymbolicLink() ? "link " : "")
                      + a.size()
                      + " "
                      + a.lastModifiedTime().toMillis());
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return new TreeSnapshot(out);
  }

  private static String rel(Path root, Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }

  /** The task-facing part of a queue: state folders, checkpoints and the log, not .taskq. */
  static TreeSnapshot ofQueueContent(Path queue) throws IOException {
    return of(queue, rel -> !rel.startsWith(".taskq"));
  }
}

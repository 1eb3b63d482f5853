package dev.taskq.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which git checkout a folder belongs to, read from the {@code .git} files themselves: a linked
 * worktree's {@code .git} is a file {@code gitdir: <main>/.git/worktrees/<name>}, whose {@code
 * commondir} leads back to the main repository. Reading two small files costs about 2 ms in a cold
 * JVM, against about 16 ms to spawn {@code git rev-parse --git-common-dir} (measured on the build
 * machine), and works where git is not installed.
 */
final class GitCheckout {
  private static final long MAX_POINTER_BYTES = 4096;

  private GitCheckout() {}

  /**
   * The same folder in the main checkout when {@code dir} lies inside a linked git worktree; null
   * otherwise (a main checkout, a submodule, a worktree of a bare repository, no git at all).
   */
  static Path inMainCheckout(Path dir) {
    for (Path d = dir; d != null; d = d.getParent()) {
      Path git = d.resolve(".git");
      if (Files.isDirectory(git)) {
        return null;
      }
      if (Files.isRegularFile(git)) {
        Path main = mainOfLinkedWorktree(d, git);
        return main == null ? null : main.resolve(d.relativize(dir)).normalize();
      }
    }
    return null;
  }

  /**
   * The main checkout of the worktree at {@code top}, or null. A submodule's gitdir has no {@code
   * commondir}; a bare repository's common dir is not a {@code .git} folder inside a checkout.
   */
  private static Path mainOfLinkedWorktree(Path top, Path gitFile) {
    String pointer = readSmall(gitFile);
    if (pointer == null || !pointer.startsWith("gitdir:")) {
      return null;
    }
    Path gitDir = top.resolve(pointer.substring("gitdir:".length()).strip()).normalize();
    String common = readSmall(gitDir.resolve("commondir"));
    if (common == null || common.isBlank()) {
      return null;
    }
    Path commonDir = gitDir.resolve(common.strip()).normalize();
    if (commonDir.getFileName() == null
        || !commonDir.getFileName().toString().equals(".git")
        || commonDir.getParent() == null
        || !Files.isDirectory(commonDir)) {
      return null;
    }
    return commonDir.getParent();
  }

  private static String readSmall(Path file) {
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > MAX_POINTER_BYTES) {
        return null;
      }
      String s = Files.readString(file);
      int nl = s.indexOf('\n');
      return nl < 0 ? s : s.substring(0, nl);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}

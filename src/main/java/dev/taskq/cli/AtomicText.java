package dev.taskq.cli;

import dev.taskq.core.TaskqException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces a small text file in one step (temp file, then rename), so an interrupted init never
 * leaves a half-written .mcp.json or CLAUDE.md behind.
 */
final class AtomicText {
  private AtomicText() {}

  static void write(Path file, String text) {
    Path target = file;
    try {
      if (Files.isSymbolicLink(file)) {
        // Write where the link points; renaming over the link would replace it with a copy.
        target = file.toRealPath();
      }
      Path tmp = target.resolveSibling("." + target.getFileName() + ".taskq-tmp");
      try {
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw TaskqException.storeError("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}

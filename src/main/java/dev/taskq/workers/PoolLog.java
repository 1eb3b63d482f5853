package dev.taskq.workers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The supervisor's own log, {@code pool.log}: one line per start, exit, pause and resume, for a
 * person running {@code taskq workers logs}. Bounded: past 1 MiB it moves to {@code pool.log.1}
 * (replacing the older one) and starts again.
 */
public final class PoolLog {
  static final long MAX_BYTES = 1 << 20;

  private final Path file;
  private final Clock clock;

  public PoolLog(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** Appends "2026-11-24T14:05:00Z line"; a failure to write is not worth stopping the pool. */
  public synchronized String line(String text) {
    String line = stamp(clock.instant()) + " " + text.replace('\n', ' ');
    try {
      Files.createDirectories(file.getParent());
      if (Files.exists(file) && Files.size(file) > MAX_BYTES) {
        Files.move(
            file,
            file.resolveSibling(file.getFileName() + ".1"),
            StandardCopyOption.REPLACE_EXISTING);
      }
      Files.writeString(
          file,
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println("taskq supervisor: cannot write " + file + ": " + e.getMessage());
    }
    return line;
  }

  static String stamp(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}

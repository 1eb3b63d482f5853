package dev.taskq.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The file store's change signal until the store offers its own: every change appends a line to
 * {@code log.txt}, so a new size means a change. One {@code stat} per poll; reads nothing else.
 */
final class LogGrowthSignal implements ChangeSignal {
  static final long POLL_MS = 100;

  private final Path log;

  LogGrowthSignal(Path queueDir) {
    this.log = queueDir.resolve("log.txt");
  }

  @Override
  public long mark() {
    try {
      return Files.size(log);
    } catch (IOException e) {
      return -1; // no log yet: the first line written is a change
    }
  }

  @Override
  public long awaitChange(long mark, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long now = mark();
      if (now != mark) {
        return now;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return mark;
      }
      Thread.sleep(Math.min(POLL_MS, Math.max(1, left / 1_000_000)));
    }
  }
}

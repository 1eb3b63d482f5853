package dev.taskq.mcp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Notices what other sessions change in the shared queue, so this session's client hears of it too:
 * every change appends to log.txt, so a growing log means the queue changed. One stat every two
 * seconds on a daemon thread; a change this session made itself may be announced twice, which costs
 * the client one extra read.
 */
final class QueueWatch implements AutoCloseable {
  static final long PERIOD_MS = 2_000;

  private final Path log;
  private final Notifier notifier;
  private final ScheduledExecutorService timer;
  private long lastSize;

  QueueWatch(Path queueDir, Notifier notifier) {
    this.log = queueDir.resolve("log.txt");
    this.notifier = notifier;
    this.lastSize = size();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "taskq-queue-watch");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::poll, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  private void poll() {
    long now = size();
    if (now != lastSize) {
      lastSize = now;
      notifier.stateChanged(List.of());
    }
  }

  private long size() {
    try {
      return Files.size(log);
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

package dev.taskq.bench;

import dev.taskq.core.Limits;
import dev.taskq.core.NewTask;
import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.TaskState;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills a queue directory with pending tasks through the real store, in batches of the largest size
 * the store accepts, so building 100,000 tasks costs one lock and one journal record per 100.
 */
final class QueueBuilder {
  private QueueBuilder() {}

  /** Adds {@code count} pending tasks with realistic sizes; returns the time it took in ms. */
  static long fill(Path dir, int count) {
    long start = System.nanoTime();
    try (TaskStore store = StoreFactory.open(StoreConfig.of(dir))) {
      List<NewTask> batch = new ArrayList<>(Limits.BATCH_MAX);
      for (int i = 0; i < count; i++) {
        batch.add(task(i));
        if (batch.size() == Limits.BATCH_MAX || i == count - 1) {
          store.enqueue(batch);
          batch.clear();
        }
      }
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /**
   * Writes {@code count} task files into pending/ without fsync, as a person or a script could,
   * then opens the store once so it indexes them (the store's first scan); returns ms taken.
   */
  static long write(Path dir, int count) throws IOException {
    long start = System.nanoTime();
    Path pending = dir.resolve("pending");
    Files.createDirectories(pending);
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < count; i++) {
      NewTask t = task(i);
      String text =
          "---\n"
              + "id: "
              + t.id()
              + "\ntitle: \""
              + t.title()
              + "\"\ncriterion: \""
              + t.criterion()
              + "\"\npriority: 0\nattempt: 0\nmax_attempts: "
              + t.maxAttempts()
              + "\ncreated: "
              + created.plusMillis(i)
              + "\nrev: 1\n---\n"
              + t.instructions()
              + "\n";
      Files.writeString(pending.resolve(t.id() + ".md"), text);
    }
    try (TaskStore store = StoreFactory.open(StoreConfig.of(dir))) {
      QueuePage page = store.list(QueueQuery.firstPage(1));
      if (page.counts().get(TaskState.PENDING) != count || !page.unreadable().isEmpty()) {
        throw new IllegalStateException(
            "the store indexed " + page.counts() + " and " + page.unreadable() + " in " + dir);
      }
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static NewTask task(int i) {
    return new NewTask(
        String.format("bench-%07d", i),
        "Audit module " + i + " for N+1 queries",
        "every query in module " + i + " listed with file:line",
        "Read every file of module "
            + i
            + ", list each database query with file and line, and flag the ones run in a loop.",
        null,
        0,
        List.of(),
        Limits.DEFAULT_MAX_ATTEMPTS,
        null);
  }
}

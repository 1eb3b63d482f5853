package dev.taskq.cli;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import dev.taskq.project.QueueLocation;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the store of a command's queue, with the lease and clock from the context. */
final class StoreOpener {
  private StoreOpener() {}

  /**
   * Opens the queue; one named by --dir or TASKQ_DIR is created on first use (the person asked for
   * exactly that folder), one found by walking up exists already.
   */
  static TaskStore open(CliContext ctx, QueueLocation queue) {
    return StoreFactory.open(config(ctx, queue));
  }

  /**
   * The store settings of the queue: the file store in its folder, or PostgreSQL when
   * TASKQ_DATABASE_URL or the project's tasks/queue.json says so.
   */
  static StoreConfig config(CliContext ctx, QueueLocation queue) {
    return StoreConfig.fromEnv(queue.dir(), ctx.env(), ctx.clock());
  }

  /**
   * The folder whose files hold the tasks, for views that name a task's file; null when the queue
   * is kept in a database.
   */
  static Path taskFiles(CliContext ctx, QueueLocation queue) {
    return config(ctx, queue).usesDatabase() ? null : queue.dir();
  }

  /** Views never create a queue: a typo in --dir should say so, not show an empty queue. */
  static TaskStore openExisting(CliContext ctx, QueueLocation queue) {
    StoreConfig config = config(ctx, queue);
    if (config.usesDatabase()) {
      return StoreFactory.open(config);
    }
    if (queue.named() && !Files.isDirectory(queue.dir().resolve("pending"))) {
      String option = queue.source() == QueueLocation.Source.OPTION ? "--dir" : "TASKQ_DIR";
      throw new TaskqException(
          ErrorCode.NOT_FOUND,
          option,
          "no queue at " + queue.dir() + " (named by " + option + ")",
          "run `taskq init` in your project, or fix " + option,
          null);
    }
    return open(ctx, queue);
  }
}

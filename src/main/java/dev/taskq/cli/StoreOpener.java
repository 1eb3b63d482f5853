package dev.taskq.cli;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import dev.taskq.project.QueueLocation;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.nio.file.Files;

/** Opens the store of a command's queue, with the lease and clock from the context. */
final class StoreOpener {
  private StoreOpener() {}

  /**
   * Opens the queue; one named by --dir or TASKQ_DIR is created on first use (the person asked for
   * exactly that folder), one found by walking up exists already.
   */
  static TaskStore open(CliContext ctx, QueueLocation queue) {
    return StoreFactory.open(StoreConfig.fromEnv(queue.dir(), ctx.env(), ctx.clock()));
  }

  /** Views never create a queue: a typo in --dir should say so, not show an empty queue. */
  static TaskStore openExisting(CliContext ctx, QueueLocation queue) {
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

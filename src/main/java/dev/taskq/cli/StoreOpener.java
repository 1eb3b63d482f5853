package dev.taskq.cli;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Opens the store for a command, with the lease and clock from the context. */
final class StoreOpener {
  private StoreOpener() {}

  /** Opens (and on first use creates) the queue at {@code dir}. */
  static TaskStore open(CliContext ctx, Path dir) {
    Map<String, String> env = new HashMap<>(ctx.env());
    env.put("TASKQ_DIR", dir.toString());
    return StoreFactory.open(StoreConfig.fromEnv(env, ctx.cwd(), ctx.clock()));
  }

  /** Views never create a queue: a typo in --dir should say so, not show an empty queue. */
  static TaskStore openExisting(CliContext ctx, Path dir) {
    if (!Files.isDirectory(dir.resolve("pending"))) {
      throw new TaskqException(
          ErrorCode.NOT_FOUND,
          "--dir",
          "no queue at " + dir,
          "run `taskq init` in your project, or pass --dir / set TASKQ_DIR",
          null);
    }
    return open(ctx, dir);
  }
}

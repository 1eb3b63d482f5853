package dev.taskq.mcp;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import dev.taskq.project.QueueLocation;
import dev.taskq.store.TaskStore;
import dev.taskq.workers.ClaudeExecutable;
import dev.taskq.workers.PoolConfig;
import dev.taskq.workers.PoolFiles;
import dev.taskq.workers.PoolLauncher;
import dev.taskq.workers.PoolState;
import dev.taskq.workers.QueueLook;
import dev.taskq.workers.RunningJar;
import dev.taskq.workers.SupervisorLock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * {@code start_workers}: the model starts the worker pool itself, so "do this in the background" is
 * one conversation with no shell. Workers started this way always get the safe defaults (the taskq
 * tools and read-only tools, never asked): only a person widens them, with {@code taskq workers
 * start --allowed-tools}; a model cannot grant its workers more than that.
 */
final class WorkersTool {
  /** A model may start fewer workers at once than a person (32): each one costs tokens. */
  static final int MAX_WORKERS = 8;

  private final LazyStore store;
  private final Map<String, String> env;
  private final Path cwd;

  WorkersTool(LazyStore store, Map<String, String> env, Path cwd) {
    this.store = store;
    this.env = Map.copyOf(env);
    this.cwd = cwd;
  }

  String start(Map<String, Object> arguments) {
    Args a = new Args(arguments, "", Set.of("workers", "lane"));
    int n = a.integer("workers", 3);
    if (n < 1 || n > MAX_WORKERS) {
      throw TaskqException.invalid("workers", "must be between 1 and " + MAX_WORKERS);
    }
    String lane = a.text("lane");
    lane = lane == null || lane.isBlank() ? null : lane;
    TaskStore s = store.get();
    QueueLocation where = store.location();
    PoolFiles files = new PoolFiles(where.dir());
    try {
      QueueLook look = QueueLook.take(s, lane, 1_001);
      if (look.claimable() == 0 && !SupervisorLock.isHeld(files)) {
        return "Nothing to start: no claimable task"
            + (lane == null ? "" : " in lane " + lane)
            + " in "
            + where.label()
            + (look.inProgress() > 0 ? " (" + look.inProgress() + " in progress)" : "")
            + ".\nNext step: enqueue_task first, then call start_workers.";
      }
      ClaudeExecutable claude = ClaudeExecutable.find(null, env, cwd);
      PoolConfig config =
          new PoolConfig(
              n, lane, null, null, null, null, false, null, false, claude.path().toString(), true);
      PoolLauncher.Started st =
          new PoolLauncher(files, RunningJar.java(), RunningJar.jar(), env, cwd)
              .start(config, false);
      return reply(st, where, look);
    } catch (IOException e) {
      throw TaskqException.storeError("cannot start the workers: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskqException(ErrorCode.STORE_ERROR, "interrupted while starting the workers");
    }
  }

  private static String reply(PoolLauncher.Started st, QueueLocation where, QueueLook look) {
    PoolState s = st.state();
    String head =
        st.joined()
            ? "The worker pool on "
                + where.label()
                + " already runs (supervisor pid "
                + s.pid()
                + "); it now runs up to "
                + s.config().workers()
                + " workers."
            : "Started up to "
                + s.config().workers()
                + " background workers on "
                + where.label()
                + " (supervisor pid "
                + s.pid()
                + "; "
                + look.claimable()
                + " claimable tasks). They go on after this session ends. Workers may use "
                + String.join(", ", s.config().allowedTools())
                + " only: tasks that need edits fail unless the user starts them with `taskq workers"
                + " start --allowed-tools …`.";
    return head
        + "\nNext step: run `taskq wait --timeout 110m` with run_in_background and the Bash timeout"
        + " at 7200000 ms (the default 10 minutes would end it early), then keep working; you are"
        + " told when it exits (0 all done, 1 some failed, 124 still running: run it again)."
        + " Progress: taskq://queue or `taskq workers status`; stop: `taskq workers stop`.";
  }
}

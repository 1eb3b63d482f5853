package dev.taskq.cli;

import dev.taskq.project.QueueLocation;
import dev.taskq.store.TaskStore;
import dev.taskq.workers.PoolFiles;
import dev.taskq.workers.PoolState;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/** {@code taskq status}: once, or redrawn in place every few seconds with {@code --watch}. */
final class StatusScreen {
  private static final String HOME = "\u001b[H";
  private static final String CLEAR_LINE = "\u001b[K";
  private static final String CLEAR_BELOW = "\u001b[J";
  private static final String CLEAR_SCREEN = "\u001b[2J";

  private final CliContext ctx;
  private final TaskStore store;
  private final QueueLocation queue;
  private final boolean json;
  private final int limit;
  private final String lane;

  StatusScreen(
      CliContext ctx, TaskStore store, QueueLocation queue, boolean json, int limit, String lane) {
    this.ctx = ctx;
    this.store = store;
    this.queue = queue;
    this.json = json;
    this.limit = limit;
    this.lane = lane;
  }

  String frame() {
    Instant now = ctx.clock().instant();
    StatusView v =
        StatusView.load(store, queue, now, limit, lane)
            .withPool(WorkersText.summary(PoolState.read(new PoolFiles(queue.dir())), now));
    return json ? StatusJson.render(v, JsonText.MAPPER) : StatusText.render(v, ctx.style());
  }

  void once() {
    ctx.out().print(frame());
    ctx.out().flush();
  }

  /**
   * Redraws until the thread is interrupted (Ctrl-C ends the process) or stdout goes away. On a
   * terminal each frame overwrites the last; elsewhere frames follow each other, one blank line
   * apart, so a log of them stays readable.
   */
  void watch(Duration every) {
    PrintWriter out = ctx.out();
    boolean inPlace = ctx.tty() && !json;
    if (inPlace) {
      out.print(CLEAR_SCREEN);
    }
    long mark = store.changeMark();
    for (boolean first = true; !out.checkError(); first = false) {
      String f = frame();
      if (inPlace) {
        out.print(HOME + f.replace("\n", CLEAR_LINE + "\n") + CLEAR_BELOW);
      } else {
        out.print(first ? f : "\n" + f);
      }
      out.flush();
      // A change redraws at once (the store's change signal: LISTEN/NOTIFY on PostgreSQL); the
      // interval still redraws a quiet queue, whose leases count down.
      mark = store.awaitChange(mark, every);
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }
}

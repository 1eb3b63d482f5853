package dev.taskq.store.file;

import dev.taskq.core.CheckpointRequest;
import dev.taskq.core.Claim;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.EnqueueResult;
import dev.taskq.core.Holder;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.core.Progress;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskState;
import dev.taskq.core.TaskqException;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A separate JVM working on a queue, for the cross-process tests. Prints one line per fact the test
 * checks: {@code READY}, {@code ENQ <id>} after an enqueue returned, {@code DONE <id>} after a
 * completion returned, {@code END} when finished.
 *
 * <pre>
 * drain &lt;dir&gt; &lt;name&gt; &lt;count&gt; &lt;go-file&gt;   enqueue count tasks, then claim → checkpoint → complete
 * chaos &lt;dir&gt; &lt;name&gt; &lt;seed&gt;             a mixed workload until killed
 * </pre>
 */
public final class QueueWorker {
  private final TaskStore store;
  private final Holder holder;
  private final PrintStream out = System.out;

  private QueueWorker(Path dir, String name) {
    this.store = StoreFactory.open(new StoreConfig(dir, Duration.ofMinutes(2), Clock.systemUTC()));
    this.holder = ProcessIdentity.current(name);
  }

  public static void main(String[] args) throws Exception {
    QueueWorker w = new QueueWorker(Path.of(args[1]), args[2]);
    switch (args[0]) {
      case "drain" -> w.drain(args[2], Integer.parseInt(args[3]), Path.of(args[4]));
      case "chaos" -> w.chaos(args[2], Long.parseLong(args[3]));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
    w.store.close();
    w.say("END");
  }

  private void drain(String name, int count, Path go) throws Exception {
    say("READY");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.exists(go) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    for (int start = 0; start < count; start += 25) {
      List<NewTask> batch = new ArrayList<>();
      for (int i = start; i < Math.min(count, start + 25); i++) {
        batch.add(
            new NewTask(
                name + "-" + i,
                "Task " + i + " of " + name,
                "done once",
                null,
                null,
                0,
                null,
                3,
                null));
      }
      for (EnqueueResult r : store.enqueue(batch)) {
        say("ENQ " + r.task().id());
      }
      for (int i = 0; i < 10 && work(Outcome.DONE); i++) {
        // interleave claims with enqueues so the processes contend from the start
      }
    }
    while (work(Outcome.DONE)) {
      // drain until nothing is claimable
    }
  }

  /** Claims one task and finishes it; false when nothing was claimable. */
  private boolean work(Outcome outcome) {
    if (!(store.claimNext(holder, null) instanceof ClaimResult.Claimed got)) {
      return false;
    }
    Claim c = got.claim();
    String id = c.task().id();
    store.writeCheckpoint(
        new CheckpointRequest(id, c.token(), "halfway", new Progress(1, 2), null, null));
    store.complete(id, c.token(), outcome, outcome == Outcome.RELEASED ? null : "result of " + id);
    if (outcome == Outcome.DONE) {
      say("DONE " + id);
    }
    return true;
  }

  private void chaos(String name, long seed) {
    Random rnd = new Random(seed);
    List<String> mine = new ArrayList<>();
    say("READY");
    for (int n = 0; ; n++) {
      int op = rnd.nextInt(100);
      try {
        if (op < 20) {
          enqueueSome(name, n, rnd, mine);
        } else if (op < 75) {
          int pick = rnd.nextInt(100);
          work(pick < 70 ? Outcome.DONE : pick < 85 ? Outcome.FAILED : Outcome.RELEASED);
        } else if (op < 85) {
          store.list(new QueueQuery(null, null, rnd.nextInt(20), 50));
        } else if (op < 92) {
          store.claimNext(holder, null); // keep it: the claim dies with this process
        } else if (op < 96) {
          store.appendLog("note " + n + " from " + name, null, null);
        } else {
          overrideSomething(rnd);
        }
      } catch (TaskqException e) {
        if (e.code() != dev.taskq.core.ErrorCode.FENCED
            && e.code() != dev.taskq.core.ErrorCode.CONFLICT) {
          throw e;
        }
      }
    }
  }

  private void enqueueSome(String name, int n, Random rnd, List<String> mine) {
    List<NewTask> batch = new ArrayList<>();
    int size = 1 + rnd.nextInt(4);
    for (int i = 0; i < size; i++) {
      String id = name + "-" + n + "-" + i;
      List<String> after =
          !mine.isEmpty() && rnd.nextInt(5) == 0
              ? List.of(mine.get(rnd.nextInt(mine.size())))
              : List.of();
      batch.add(
          new NewTask(
              id,
              "Chaos " + id,
              "criterion " + id,
              "Line one of " + id + "\nline two\n",
              rnd.nextBoolean() ? "lane-" + rnd.nextInt(3) : null,
              rnd.nextInt(5) - 2,
              after,
              1 + rnd.nextInt(3),
              rnd.nextInt(4) == 0 ? "key-" + id : null));
    }
    for (EnqueueResult r : store.enqueue(batch)) {
      mine.add(r.task().id());
      say("ENQ " + r.task().id());
    }
  }

  private void overrideSomething(Random rnd) {
    List<TaskRow> rows = store.list(new QueueQuery(null, null, 0, 50)).rows();
    if (rows.isEmpty()) {
      return;
    }
    TaskRow r = rows.get(rnd.nextInt(rows.size()));
    if (r.state() == TaskState.IN_PROGRESS) {
      store.forceRelease(r.id());
    } else if (r.state() == TaskState.FAILED) {
      store.requeue(r.id());
    }
  }

  private void say(String line) {
    out.println(line);
    out.flush();
  }
}

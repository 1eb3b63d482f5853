package dev.taskq.cli;

import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.Task;
import dev.taskq.core.TaskDetail;
import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskState;
import dev.taskq.core.TaskqException;
import dev.taskq.store.TaskStore;
import dev.taskq.workers.PoolState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code taskq wait}: blocks until the awaited tasks are completed or failed, printing one line per
 * task as it ends. Made to be run in the background by Claude Code ({@code run_in_background}),
 * which tells the model when the command exits: the exit is the notification, so the exit code says
 * how it went (0 all done, 1 any failed or stuck, 124 timed out) and the output is what the model
 * reads next.
 *
 * <p>Between looks at the queue it sleeps on the store's change signal, so waiting costs a few
 * stats of the queue folder a second and no model call.
 */
final class Waiter {
  static final int DONE = 0;
  static final int FAILED = 1;
  static final int TIMED_OUT = 124;

  /** Even without a change signal, look again this often (a lease can run out silently). */
  private static final Duration RECHECK = Duration.ofSeconds(5);

  private static final int PAGE = 1_000;
  private static final int RESULT_CHARS = 160;

  private final TaskStore store;
  private final Path queueDir;
  private final PrintWriter out;
  private int idWidth;

  private final Supplier<Optional<PoolState>> pool;
  private final Clock clock;
  private Instant since;
  private boolean poolWatched;

  /**
   * @param pool the worker pool's state: a wait also ends when the pool it counted on stopped on an
   *     error (a refused login, every worker given up) and nothing else is working
   */
  Waiter(
      TaskStore store,
      Path queueDir,
      PrintWriter out,
      Supplier<Optional<PoolState>> pool,
      Clock clock) {
    this.store = store;
    this.queueDir = queueDir;
    this.pool = pool;
    this.clock = clock;
    this.out = out;
  }

  /**
   * The tasks to wait for: the named ones (each must exist), else every task not finished now, of
   * {@code lane} when given.
   */
  List<String> awaited(List<String> ids, String lane) {
    if (ids != null && !ids.isEmpty()) {
      if (lane != null) {
        throw TaskqException.invalid("--lane", "give task ids or --lane, not both");
      }
      Set<String> named = new LinkedHashSet<>();
      for (String id : ids) {
        store.get(id); // NOT_FOUND names the id
        named.add(id);
      }
      return List.copyOf(named);
    }
    return List.copyOf(unfinished(lane).keySet());
  }

  /**
   * Waits for {@code ids}; {@code timeout} null waits as long as it takes.
   *
   * @return {@link #DONE}, {@link #FAILED} or {@link #TIMED_OUT}
   */
  int run(List<String> ids, Duration timeout) throws InterruptedException {
    if (ids.isEmpty()) {
      out.println("nothing to wait for: no unfinished tasks");
      out.flush();
      return DONE;
    }
    out.println(
        "waiting for "
            + (ids.size() == 1 ? "1 task: " : ids.size() + " tasks: ")
            + String.join(", ", ids.subList(0, Math.min(10, ids.size())))
            + (ids.size() > 10 ? ", …" : ""));
    out.flush();
    idWidth = Math.min(40, ids.stream().mapToInt(String::length).max().orElse(0));
    since = clock.instant();
    poolWatched = pool.get().map(PoolState::active).orElse(false);
    long started = System.nanoTime();
    long deadline = timeout == null ? Long.MAX_VALUE : started + timeout.toNanos();
    Set<String> open = java.util.Collections.synchronizedSet(new LinkedHashSet<>(ids));
    // Claude Code ends a background command at its Bash timeout (10 minutes unless the call sets
    // one) with SIGTERM: say what was still open, so the model knows to wait again.
    Thread onSignal =
        new Thread(
            () -> {
              List<String> left;
              synchronized (open) {
                left = List.copyOf(open);
              }
              out.println(
                  "stopped by a signal after "
                      + elapsed(Duration.ofNanos(System.nanoTime() - started))
                      + ": "
                      + left.size()
                      + " of "
                      + ids.size()
                      + " not finished ("
                      + String.join(", ", left.subList(0, Math.min(10, left.size())))
                      + (left.size() > 10 ? ", …" : "")
                      + "); run taskq wait again (from Claude Code: run_in_background with the"
                      + " Bash timeout at its maximum, 7200000 ms)");
              out.flush();
            },
            "taskq-wait-signal");
    Runtime.getRuntime().addShutdownHook(onSignal);
    try {
      return waitFor(ids, open, deadline, timeout);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException e) {
        // shutting down: the hook says its piece
      }
    }
  }

  private int waitFor(List<String> ids, Set<String> open, long deadline, Duration timeout)
      throws InterruptedException {
    int failed = 0;
    while (true) {
      long mark = store.changeMark();
      Map<String, TaskRow> unfinished = unfinished(null);
      for (String id : List.copyOf(open)) {
        if (!unfinished.containsKey(id)) {
          // Missing from the listing: finished, or moved between the two pages it was read
          // from (claimed or released meanwhile); the task itself tells which.
          Ending e = ending(id);
          if (e != Ending.OPEN) {
            open.remove(id);
            failed += e == Ending.DONE ? 0 : 1;
          }
        }
      }
      if (open.isEmpty()) {
        return summary(ids.size(), failed);
      }
      if (stalled()) {
        // The listing above is older than this look: confirm with each task as it is now, and
        // call them stuck only if every one still waits and the queue still cannot move.
        List<String> stuck = new ArrayList<>();
        for (String id : List.copyOf(open)) {
          Ending e = ending(id);
          if (e != Ending.OPEN) {
            open.remove(id);
            failed += e == Ending.DONE ? 0 : 1;
            continue;
          }
          String line = stuckLine(id);
          if (line != null) {
            stuck.add(line);
          }
        }
        if (open.isEmpty()) {
          return summary(ids.size(), failed);
        }
        if (stuck.size() == open.size() && stalled()) {
          stuck.forEach(out::println);
          out.println(
              (ids.size() - open.size() - failed)
                  + " done, "
                  + failed
                  + " failed, "
                  + open.size()
                  + " stuck: nothing is in progress or claimable, so these wait forever; requeue or"
                  + " cancel what they wait for");
          out.flush();
          return FAILED;
        }
      }
      String poolDied = poolStoppedOnError();
      if (poolDied != null) {
        for (String id : open) {
          out.println(openLine(unfinished.get(id)));
        }
        out.println(
            "the worker pool stopped: "
                + poolDied
                + "; "
                + open.size()
                + " of "
                + ids.size()
                + " not finished. Fix that, start the workers again (taskq workers start), then"
                + " wait again");
        out.flush();
        return FAILED;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        out.println(
            "timed out after "
                + HumanFormat.duration(timeout)
                + ": "
                + open.size()
                + " of "
                + ids.size()
                + " not finished");
        for (String id : open) {
          out.println(openLine(unfinished.get(id)));
        }
        out.flush();
        return TIMED_OUT;
      }
      store.awaitChange(mark, Duration.ofNanos(Math.min(left, RECHECK.toNanos())));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  /**
   * Why the pool this wait counted on stopped on an error, or null: only a pool that ran when the
   * wait began or started since, only an error stop (not "nothing left to do"), and only while
   * nothing is in progress (someone else may still finish the work).
   */
  private String poolStoppedOnError() {
    Optional<PoolState> p = pool.get();
    if (p.isEmpty() || !p.get().error() || p.get().active()) {
      return null;
    }
    PoolState s = p.get();
    boolean ours = poolWatched || (s.started() != null && s.started().isAfter(since));
    if (!ours || store.list(new QueueQuery(null, null, 0, 1)).count(TaskState.IN_PROGRESS) > 0) {
      return null;
    }
    return s.reason() == null ? "an error (see taskq workers logs)" : s.reason();
  }

  /** Ids padded to one width, so the files and results of the lines line up. */
  private String pad(String id) {
    return HumanFormat.pad(id, idWidth);
  }

  private static String elapsed(Duration d) {
    return d.getSeconds() < 1 ? "0s" : HumanFormat.duration(d);
  }

  private int summary(int total, int failed) {
    out.println(
        failed == 0
            ? (total == 1 ? "the task is done" : "all " + total + " tasks done")
            : (total - failed) + " done, " + failed + " failed");
    out.flush();
    return failed == 0 ? DONE : FAILED;
  }

  private enum Ending {
    DONE,
    FAILED,
    OPEN
  }

  /** Prints how a task ended, if it did. */
  private Ending ending(String id) {
    Task t;
    try {
      t = store.get(id).task();
    } catch (TaskqException e) {
      out.println("GONE    " + pad(id) + "  no longer in the queue (its file was removed)");
      out.flush();
      return Ending.FAILED;
    }
    if (!t.state().isFinal()) {
      return Ending.OPEN;
    }
    boolean done = t.state() == TaskState.COMPLETED;
    // A queue in a database has no file to point at: the line goes without it.
    String file =
        queueDir == null ? "" : "  " + queueDir.resolve(t.state().folder()).resolve(t.id() + ".md");
    String first = firstLine(t.result());
    if (!done) {
      String why = t.reason() == null ? "" : t.reason();
      first = why.isEmpty() ? first : first.isEmpty() ? why : why + ": " + first;
    }
    out.println(
        (done ? "DONE    " : "FAILED  ")
            + pad(t.id())
            + file
            + (first.isEmpty() ? "" : "  " + HumanFormat.truncate(first, RESULT_CHARS)));
    out.flush();
    return done ? Ending.DONE : Ending.FAILED;
  }

  /**
   * Nothing runs and nothing can be claimed, anywhere in the queue: what is left pending is blocked
   * for good (behind a failed task), unless a person steps in.
   */
  private boolean stalled() {
    QueuePage p = store.list(new QueueQuery(null, null, 0, 1));
    return p.count(TaskState.IN_PROGRESS) == 0 && p.count(TaskState.PENDING) == p.blocked();
  }

  /** "STUCK report waits for audit (failed)", or null when the task does not wait now. */
  private String stuckLine(String id) {
    TaskDetail d;
    try {
      d = store.get(id);
    } catch (TaskqException e) {
      return null;
    }
    if (d.task().state() != TaskState.PENDING || d.blockedBy().isEmpty()) {
      return null;
    }
    List<String> why = new ArrayList<>();
    for (String dep : d.blockedBy()) {
      why.add(dep + " (" + stateOf(dep) + ")");
    }
    return "STUCK   " + pad(id) + "  waits for " + String.join(", ", why);
  }

  private String stateOf(String id) {
    try {
      return store.get(id).task().state().folder();
    } catch (TaskqException e) {
      return "missing";
    }
  }

  private String openLine(TaskRow r) {
    if (r == null) {
      return "OPEN    (unknown)";
    }
    if (r.state() == TaskState.IN_PROGRESS) {
      String progress =
          r.progress() == null ? "" : "  " + r.progress().percent() + "% " + r.progress();
      return "RUNNING "
          + pad(r.id())
          + progress
          + "  attempt "
          + r.attempt()
          + "/"
          + r.maxAttempts()
          + (r.holder() == null ? "" : "  " + r.holder());
    }
    if (!r.blockedBy().isEmpty()) {
      return "BLOCKED " + pad(r.id()) + "  waits for " + String.join(", ", r.blockedBy());
    }
    return "PENDING " + pad(r.id()) + "  not claimed yet";
  }

  /** Every pending or in-progress task (of {@code lane} when not null), in view order. */
  private Map<String, TaskRow> unfinished(String lane) {
    Map<String, TaskRow> rows = new LinkedHashMap<>();
    for (TaskState s : List.of(TaskState.IN_PROGRESS, TaskState.PENDING)) {
      for (int offset = 0; ; offset += PAGE) {
        QueuePage p = store.list(new QueueQuery(s, lane, offset, PAGE));
        p.rows().forEach(r -> rows.put(r.id(), r));
        if (p.rows().size() < PAGE) {
          break;
        }
      }
    }
    return rows;
  }

  private static String firstLine(String text) {
    return text == null ? "" : text.strip().lines().findFirst().orElse("").strip();
  }
}

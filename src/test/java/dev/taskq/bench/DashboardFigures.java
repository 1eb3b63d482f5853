package dev.taskq.bench;

import dev.taskq.core.ClaimResult;
import dev.taskq.core.Holder;
import dev.taskq.core.Limits;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.dashboard.Browser;
import dev.taskq.dashboard.DashboardProcess;
import dev.taskq.dashboard.RawHttp;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;

/**
 * {@code taskq dashboard} on a queue of 10,000 tasks, measured in a real headless Chromium: the
 * dashboard runs as its own process (the built jar), the bench JVM changes the queue as another
 * session would, and the page itself records when it painted the board and when each changed card
 * entered the page.
 *
 * <ul>
 *   <li><b>first paint</b>: navigation start → the board's cards are on screen (the page marks the
 *       animation frame after its first render), per page load; the first load after the dashboard
 *       started is reported apart (its JVM is still cold).
 *   <li><b>update</b>: the bench's store call that changes the queue → the changed card in the
 *       page's DOM (the page stamps each card it builds with the wall clock; both clocks are this
 *       machine's). Half the changes add a task (it must appear at the top of pending), half
 *       complete one (top of completed). One change at a time, 300 ms apart.
 * </ul>
 */
final class DashboardFigures {
  private final Workspace ws;
  private final BenchOptions opt;
  private final Path jar;

  DashboardFigures(Workspace ws, BenchOptions opt, Path jar) {
    this.ws = ws;
    this.opt = opt;
    this.jar = jar;
  }

  int tasks() {
    return opt.smoke() ? 300 : 10_000;
  }

  List<Figure> measure() throws Exception {
    String missing = Browser.missing();
    if (missing != null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(
            "CI=true and no browser for the dashboard figures: " + missing);
      }
      return List.of(
          Figure.info(
              "dashboard: not measured",
              0,
              "",
              missing + "; install Debian's chromium and chromium-driver (bash .ci/run does)"));
    }
    int loads = opt.smoke() ? 2 : 9;
    int updates = opt.smoke() ? 4 : 16;
    Path queue = ws.fresh("dashboard").resolve("tasks");
    Holder holder = ProcessIdentity.current("bench-dashboard");
    long built = System.nanoTime();
    try (TaskStore store = StoreFactory.open(StoreConfig.of(queue))) {
      build(store, holder, tasks());
      Bench.progress(
          "  built a queue of "
              + tasks()
              + " tasks in "
              + (System.nanoTime() - built) / 1_000_000
              + " ms");
      try (DashboardProcess d = DashboardProcess.start(jar, queue, ws.root());
          Browser b = Browser.start(ws.root())) {
        b.open(d.url);
        double coldLoad = paint(b);
        Samples paints = new Samples();
        for (int i = 0; i < loads; i++) {
          b.open(d.base() + "/");
          paints.add((long) (paint(b) * 1_000_000));
        }
        Samples changes = new Samples();
        for (int i = 0; i < updates; i++) {
          Thread.sleep(300);
          changes.add((long) (update(store, holder, b, i) * 1_000_000));
        }
        Samples reads = new Samples();
        for (int i = 0; i < (opt.smoke() ? 3 : 20); i++) {
          long t0 = System.nanoTime();
          RawHttp.Response r =
              RawHttp.send(
                  d.port(),
                  "GET",
                  "/api/board?token=" + d.token(),
                  Map.of("Host", "127.0.0.1:" + d.port()),
                  null);
          if (r.status() != 200) {
            throw new IllegalStateException("/api/board answered " + r.status());
          }
          reads.add(System.nanoTime() - t0);
        }
        String n = String.format("%,d", tasks());
        String how =
            "headless Chromium (Debian) on the built jar's `taskq dashboard`, a separate process;";
        return List.of(
            Figure.atMost(
                "dashboard: first paint of a " + n + "-task board, median of " + loads + " loads",
                paints.medianMillis(),
                "ms",
                1000,
                String.format(
                    "%s navigation start → cards on screen (the frame after the first render);"
                        + " slowest %.0f ms; the first load after start, JVM cold: %.0f ms",
                    how, paints.percentileMillis(100), coldLoad)),
            Figure.atMost(
                "dashboard: a change → its card on the page, median of " + updates,
                changes.medianMillis(),
                "ms",
                1000,
                String.format(
                    "%s the bench JVM adds or completes a task through the store; the page stamps"
                        + " the card it builds; store change signal → SSE → board read → DOM;"
                        + " slowest %.0f ms",
                    how, changes.percentileMillis(100))),
            Figure.atMost(
                "dashboard: a change → its card on the page, slowest of " + updates,
                changes.percentileMillis(100),
                "ms",
                1000,
                "as above, the worst single change"),
            Figure.info(
                "dashboard: /api/board answer at " + n + " tasks, median",
                reads.medianMillis(),
                "ms",
                "GET with the first 50 cards of each column, over a fresh connection"));
      }
    }
  }

  /** 10,000 tasks as a busy queue looks: mostly done or waiting, a few running, failed, blocked. */
  static void build(TaskStore store, Holder holder, int total) {
    int completed = total / 5;
    int failed = Math.max(2, total / 125);
    int running = Math.max(2, total / 500);
    int blocked = total / 25;
    String[] lanes = {"frontend", "api", "db", "docs"};
    String anchor = String.format("t%05d", total - blocked - 1); // stays pending: claimed last
    List<NewTask> batch = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      String lane = lanes[i % lanes.length];
      batch.add(
          new NewTask(
              String.format("t%05d", i),
              "Task " + i + ": check the " + lane + " module for the audit",
              "every finding listed with file:line",
              "Look at the " + lane + " sources and list what the audit asks for.",
              lane,
              i % 7 == 0 ? 1 : 0,
              i >= total - blocked ? List.of(anchor) : List.of(),
              Limits.DEFAULT_MAX_ATTEMPTS,
              null));
      if (batch.size() == Limits.BATCH_MAX || i == total - 1) {
        store.enqueue(batch);
        batch.clear();
      }
    }
    for (int i = 0; i < completed + failed + running; i++) {
      ClaimResult r = store.claimNext(holder, null);
      if (!(r instanceof ClaimResult.Claimed c)) {
        throw new IllegalStateException("nothing to claim while building: " + r);
      }
      if (i < completed) {
        store.complete(c.claim().task().id(), c.claim().token(), Outcome.DONE, "done");
      } else if (i < completed + failed) {
        store.complete(c.claim().task().id(), c.claim().token(), Outcome.FAILED, "gave up");
      }
    }
  }

  /** Milliseconds from navigation start to the board on screen, as the page measured it. */
  private static double paint(Browser b) {
    b.until(
        "the board to paint",
        d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
    return ((Number) b.js("return window.taskq.firstPaint")).doubleValue();
  }

  /** One change through the store; milliseconds until its card entered the page. */
  private static double update(TaskStore store, Holder holder, Browser b, int i) {
    String id = String.format("change-%03d", i / 2);
    String column;
    long before;
    if (i % 2 == 0) {
      column = "pending";
      before = System.currentTimeMillis();
      store.enqueue(
          new NewTask(
              id, "A change to measure " + i, "seen", null, "bench", 1000, List.of(), 3, null));
    } else {
      ClaimResult.Claimed c = (ClaimResult.Claimed) store.claimNext(holder, "bench");
      column = "completed";
      before = System.currentTimeMillis();
      store.complete(c.claim().task().id(), c.claim().token(), Outcome.DONE, "seen");
    }
    double shownAt = Double.parseDouble(b.card(column, id).getAttribute("data-shown-at"));
    return shownAt - before;
  }
}

package dev.taskq.bench;

import dev.taskq.core.ClaimResult;
import dev.taskq.core.Holder;
import dev.taskq.core.Outcome;
import dev.taskq.core.QueueQuery;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Figures of the store alone, in this JVM or in child JVMs that use the store directly. */
final class StoreFigures {
  private final Workspace ws;
  private final BenchOptions opt;

  StoreFigures(Workspace ws, BenchOptions opt) {
    this.ws = ws;
    this.opt = opt;
  }

  /**
   * claimNext and list at the big queue vs the small one, p50 each, in-process; the two stores take
   * turns call by call so the neighbours' load hits both alike.
   */
  List<Figure> growth(Path small, Path big) {
    Latency s = new Latency(new Samples(), new Samples());
    Latency b = new Latency(new Samples(), new Samples());
    Holder me = ProcessIdentity.current("bench-growth");
    try (TaskStore ss = StoreFactory.open(StoreConfig.of(small));
        TaskStore sb = StoreFactory.open(StoreConfig.of(big))) {
      for (int i = 0; i < opt.warmup() + opt.growthSamples(); i++) {
        boolean counted = i >= opt.warmup();
        boolean smallFirst = i % 2 == 0;
        round(smallFirst ? ss : sb, me, smallFirst ? s : b, counted);
        round(smallFirst ? sb : ss, me, smallFirst ? b : s, counted);
      }
    }
    String n = String.format("%,d vs %,d pending", opt.bigQueue(), opt.smallQueue());
    String how =
        opt.growthSamples() + " calls each after " + opt.warmup() + " warm-up calls, interleaved";
    return List.of(
        Figure.growthRatio("store: claimNext p50 ratio, " + n, b.claim, s.claim, how),
        Figure.growthRatio("store: list (first page of 50) p50 ratio, " + n, b.list, s.list, how));
  }

  private record Latency(Samples claim, Samples list) {}

  private static void round(TaskStore store, Holder me, Latency into, boolean counted) {
    long t0 = System.nanoTime();
    ClaimResult r = store.claimNext(me, null);
    long t1 = System.nanoTime();
    store.list(QueueQuery.firstPage(50));
    long t2 = System.nanoTime();
    if (!(r instanceof ClaimResult.Claimed c)) {
      throw new IllegalStateException("the queue ran dry: " + r);
    }
    // Released, not done: the task goes back to pending, so the queue keeps its size.
    store.complete(c.claim().task().id(), c.claim().token(), Outcome.RELEASED, null);
    if (counted) {
      into.claim.add(t1 - t0);
      into.list.add(t2 - t1);
    }
  }

  /** {@code opt.drainers()} JVMs that use the store directly drain a fresh queue together. */
  List<Figure> contention() throws IOException, InterruptedException {
    Path dir = ws.fresh("store-contention");
    QueueBuilder.write(dir, opt.drainTasks());
    List<Process> children = new ArrayList<>();
    List<Path> idFiles = new ArrayList<>();
    try {
      for (int i = 0; i < opt.drainers(); i++) {
        Path ids = ws.root().resolve("store-contention-ids-" + i + ".txt");
        idFiles.add(ids);
        ProcessBuilder pb =
            new ProcessBuilder(
                ws.javaBinary(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                StoreDrainer.class.getName(),
                dir.toString(),
                ids.toString());
        pb.redirectError(ProcessBuilder.Redirect.appendTo(ws.log("store-drainer").toFile()));
        children.add(pb.start());
      }
      List<BufferedReader> outs = new ArrayList<>();
      for (Process p : children) {
        BufferedReader r =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        expect(r, "ready");
        outs.add(r);
      }
      long go = System.nanoTime();
      for (Process p : children) {
        OutputStream in = p.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
      }
      for (BufferedReader r : outs) {
        expect(r, "done");
      }
      double seconds = (System.nanoTime() - go) / 1e9;
      List<String> claimed = new ArrayList<>();
      for (Path f : idFiles) {
        claimed.addAll(Files.readAllLines(f));
      }
      Drain d = Drain.check(dir, opt.drainTasks(), claimed, seconds);
      String what =
          String.format("%d JVMs (store in-process) drain %,d", opt.drainers(), opt.drainTasks());
      return List.of(
          Figure.atLeast(
              "store: contention, " + what, d.tasksPerSecond(), "tasks/s", 1000, d.describe()),
          Figure.check(
              "store: contention duplicates",
              d.duplicates(),
              "",
              d.clean(),
              "0, every task done once",
              d.describe()));
    } finally {
      for (Process p : children) {
        p.destroyForcibly();
      }
    }
  }

  private static void expect(BufferedReader r, String prefix) throws IOException {
    String line = r.readLine();
    if (line == null || !line.startsWith(prefix)) {
      throw new IOException("a drainer said " + line + " instead of " + prefix);
    }
  }
}

package dev.taskq.bench;

import dev.taskq.core.ClaimResult;
import dev.taskq.core.Holder;
import dev.taskq.core.Outcome;
import dev.taskq.core.QueueQuery;
import dev.taskq.store.FileTaskStore;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
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

  /** claimNext and list at the big queue vs the small one, p50 each, in-process. */
  List<Figure> growth(Path small, Path big) {
    Latency s = latencies(small);
    Latency b = latencies(big);
    String n = String.format("%,d vs %,d pending", opt.bigQueue(), opt.smallQueue());
    String how = opt.growthSamples() + " calls each after " + opt.warmup() + " warm-up calls";
    return List.of(
        Figure.atMost(
            "store: claimNext p50 ratio, " + n,
            b.claim.medianMillis() / s.claim.medianMillis(),
            "x",
            2,
            String.format(
                "p50 %.3f ms vs %.3f ms (p99 %.3f vs %.3f); %s",
                b.claim.medianMillis(),
                s.claim.medianMillis(),
                b.claim.percentileMillis(99),
                s.claim.percentileMillis(99),
                how)),
        Figure.atMost(
            "store: list (first page of 50) p50 ratio, " + n,
            b.list.medianMillis() / s.list.medianMillis(),
            "x",
            2,
            String.format(
                "p50 %.3f ms vs %.3f ms (p99 %.3f vs %.3f); %s",
                b.list.medianMillis(),
                s.list.medianMillis(),
                b.list.percentileMillis(99),
                s.list.percentileMillis(99),
                how)));
  }

  private record Latency(Samples claim, Samples list) {}

  private Latency latencies(Path dir) {
    Samples claim = new Samples();
    Samples list = new Samples();
    Holder me = ProcessIdentity.current("bench-growth");
    try (FileTaskStore store = new FileTaskStore(StoreConfig.of(dir))) {
      for (int i = 0; i < opt.warmup() + opt.growthSamples(); i++) {
        long t0 = System.nanoTime();
        ClaimResult r = store.claimNext(me, null);
        long t1 = System.nanoTime();
        store.list(QueueQuery.firstPage(50));
        long t2 = System.nanoTime();
        if (!(r instanceof ClaimResult.Claimed c)) {
          throw new IllegalStateException("the queue at " + dir + " ran dry: " + r);
        }
        // Completing keeps in-progress small, as a worker would; it is not part of the figure.
        store.complete(c.claim().task().id(), c.claim().token(), Outcome.DONE, "ok");
        if (i >= opt.warmup()) {
          claim.add(t1 - t0);
          list.add(t2 - t1);
        }
      }
    }
    return new Latency(claim, list);
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

package dev.taskq.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Figures of whole server processes, driven over real stdio like Claude Code drives them. */
final class ProcessFigures {
  static final String QUEUE_URI = "taskq://queue";

  private final Workspace ws;
  private final BenchOptions opt;
  private final ServerCommand server;
  private int spawned;

  ProcessFigures(Workspace ws, BenchOptions opt, ServerCommand server) {
    this.ws = ws;
    this.opt = opt;
    this.server = server;
  }

  McpClient spawn(ServerCommand cmd, Path queue) throws IOException {
    int n = ++spawned;
    return McpClient.spawn(
        cmd.command(),
        Map.of("TASKQ_DIR", queue.toString(), "CLAUDE_CODE_SESSION_ID", "bench-session-" + n),
        ws.log("server-" + n));
  }

  /**
   * Spawn → initialize answered (and → tools/list answered), for the registered command and, for
   * scale, the java command it execs started directly, the same without the archive, and a plain
   * {@code java -jar}. Runs alternate so a noisy neighbour hits all alike.
   */
  List<Figure> coldStart(String java, Path jar) throws IOException {
    Path queue = ws.fresh("cold-start");
    QueueBuilder.fill(queue, 10);
    List<ServerCommand> variants = new ArrayList<>(List.of(server));
    if (server.launcher() != null) {
      variants.add(server.direct());
    }
    if (server.archive() != null) {
      variants.add(server.withoutArchive());
    }
    variants.add(ServerCommand.plain(java, jar));
    List<Samples> samples = new ArrayList<>();
    List<Samples> cpu = new ArrayList<>();
    Samples toolsList = new Samples();
    variants.forEach(
        v -> {
          samples.add(new Samples());
          cpu.add(new Samples());
        });
    for (int round = 0; round < opt.coldStarts(); round++) {
      for (int v = 0; v < variants.size(); v++) {
        try (McpClient c = spawn(variants.get(v), queue)) {
          samples.get(v).add(c.initialize());
          if (v == 0) {
            toolsList.add(c.toolsListSinceSpawn());
          }
          cpu.get(v).add((long) (c.cpuMillis() * 1e6));
          c.shutdown();
        }
      }
    }
    List<Figure> out = new ArrayList<>();
    out.add(
        Figure.atMost(
            "cold start, spawn → initialize answered, median",
            samples.get(0).medianMillis(),
            "ms",
            300,
            String.format(
                "%d starts of %s, min %.0f ms, max %.0f ms; server CPU time until answered,"
                    + " median %.0f ms; flags: %s",
                samples.get(0).size(),
                server.source(),
                samples.get(0).percentileMillis(0.0001),
                samples.get(0).percentileMillis(100),
                cpu.get(0).medianMillis(),
                server.flags())));
    out.add(
        Figure.info(
            "cold start, spawn → tools/list answered, median",
            toolsList.medianMillis(),
            "ms",
            String.format(
                "the same starts: initialize, initialized, then tools/list; min %.0f ms, max %.0f"
                    + " ms",
                toolsList.percentileMillis(0.0001), toolsList.percentileMillis(100))));
    for (int v = 1; v < variants.size(); v++) {
      out.add(
          Figure.info(
              "cold start for scale: " + variants.get(v).source(),
              samples.get(v).medianMillis(),
              "ms",
              String.format(
                  "median of %d, server CPU time median %.0f ms; %s",
                  samples.get(v).size(), cpu.get(v).medianMillis(), variants.get(v).flags())));
    }
    return out;
  }

  /** claim_next, write_checkpoint, complete_task round trips on a queue of 10,000 tasks. */
  List<Figure> roundTrip() throws IOException {
    Path queue = ws.fresh("round-trip");
    QueueBuilder.write(queue, opt.roundTripQueue());
    Samples claim = new Samples();
    Samples checkpoint = new Samples();
    Samples complete = new Samples();
    double cpuMs;
    try (McpClient c = spawn(server, queue)) {
      c.initialize();
      double cpuAtStart = 0;
      for (int i = 0; i < opt.warmup() + opt.roundTrips(); i++) {
        boolean counted = i >= opt.warmup();
        if (i == opt.warmup()) {
          cpuAtStart = c.cpuMillis();
        }
        long t0 = System.nanoTime();
        String[] claimed = McpClient.idAndToken(c.tool("claim_next", Map.of()));
        long t1 = System.nanoTime();
        if (claimed == null) {
          throw new IOException("claim_next found nothing in a queue of " + opt.roundTripQueue());
        }
        c.tool(
            "write_checkpoint",
            Map.of(
                "id",
                claimed[0],
                "token",
                claimed[1],
                "summary",
                "Read 60 of 180 files; 14 queries found so far",
                "progress",
                Map.of("done", 60, "total", 180),
                "findings",
                "src/db/users.ts:42 N+1 in a loop\nsrc/db/orders.ts:17 fine",
                "next",
                "continue with src/db/reports"));
        long t2 = System.nanoTime();
        c.tool(
            "complete_task",
            Map.of(
                "id",
                claimed[0],
                "token",
                claimed[1],
                "outcome",
                "done",
                "result",
                "14 queries listed with file:line; 3 run in loops"));
        long t3 = System.nanoTime();
        if (counted) {
          claim.add(t1 - t0);
          checkpoint.add(t2 - t1);
          complete.add(t3 - t2);
        }
      }
      cpuMs = c.cpuMillis() - cpuAtStart;
      c.shutdown();
    }
    Samples all = new Samples();
    all.addAll(claim);
    all.addAll(checkpoint);
    all.addAll(complete);
    String per =
        String.format(
            "%,d calls after %d warm-up rounds; p50/p99 ms: claim_next %.2f/%.2f, write_checkpoint"
                + " %.2f/%.2f, complete_task %.2f/%.2f",
            all.size(),
            opt.warmup(),
            claim.medianMillis(),
            claim.percentileMillis(99),
            checkpoint.medianMillis(),
            checkpoint.percentileMillis(99),
            complete.medianMillis(),
            complete.percentileMillis(99));
    String what = String.format("queue of %,d", opt.roundTripQueue());
    return List.of(
        Figure.info(
            "server CPU time per durable tool call",
            cpuMs / all.size(),
            "ms",
            "user+system CPU of the server process over the measured calls, divided by the calls;"
                + " unlike latency it hardly moves with the neighbours' load"),
        Figure.atMost(
            "tool round trip p50 (3 durable tools), " + what, all.medianMillis(), "ms", 2, per),
        Figure.atMost(
            "tool round trip p99 (3 durable tools), " + what,
            all.percentileMillis(99),
            "ms",
            10,
            per));
  }

  /** claim_next and taskq://queue through a server at the big queue vs the small one. */
  /**
   * claim_next and taskq://queue through a server at the big queue vs the small one. Both servers
   * run at once and take turns call by call, so a burst of disk or CPU load from the neighbours
   * lands on both sides of the ratio alike.
   */
  List<Figure> growth(Path small, Path big) throws IOException {
    Samples[] s = {new Samples(), new Samples()};
    Samples[] b = {new Samples(), new Samples()};
    try (McpClient cs = spawn(server, small);
        McpClient cb = spawn(server, big)) {
      cs.initialize();
      cb.initialize();
      for (int i = 0; i < opt.warmup() + opt.growthSamples(); i++) {
        boolean counted = i >= opt.warmup();
        boolean smallFirst = i % 2 == 0;
        growthRound(smallFirst ? cs : cb, smallFirst ? s : b, counted);
        growthRound(smallFirst ? cb : cs, smallFirst ? b : s, counted);
      }
      cs.shutdown();
      cb.shutdown();
    }
    String n = String.format("%,d vs %,d pending", opt.bigQueue(), opt.smallQueue());
    String how =
        opt.growthSamples() + " calls each after " + opt.warmup() + " warm-up calls, interleaved";
    return List.of(
        Figure.growthRatio("growth: claim_next p50 ratio, " + n, b[0], s[0], how),
        Figure.growthRatio("growth: " + QUEUE_URI + " read p50 ratio, " + n, b[1], s[1], how));
  }

  private static void growthRound(McpClient c, Samples[] into, boolean counted) throws IOException {
    long t0 = System.nanoTime();
    String[] claimed = McpClient.idAndToken(c.tool("claim_next", Map.of()));
    long t1 = System.nanoTime();
    c.readResource(QUEUE_URI);
    long t2 = System.nanoTime();
    if (claimed == null) {
      throw new IOException("claim_next found nothing to claim");
    }
    // Released, not done: the task goes back to pending, so the queue keeps its size.
    c.tool("complete_task", Map.of("id", claimed[0], "token", claimed[1], "outcome", "released"));
    if (counted) {
      into[0].add(t1 - t0);
      into[1].add(t2 - t1);
    }
  }

  /** Several servers on one queue drain it together; every task must be done exactly once. */
  List<Figure> contention() throws Exception {
    Path queue = ws.fresh("contention");
    QueueBuilder.write(queue, opt.drainTasks());
    List<McpClient> clients = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(opt.drainers());
    try {
      for (int i = 0; i < opt.drainers(); i++) {
        McpClient c = spawn(server, queue);
        clients.add(c);
        c.initialize();
        c.tool("append_log", Map.of("message", "benchmark drainer " + i + " ready"));
      }
      List<String> claimed = Collections.synchronizedList(new ArrayList<>());
      List<Future<?>> work = new ArrayList<>();
      long go = System.nanoTime();
      for (McpClient c : clients) {
        work.add(pool.submit(() -> drain(c, claimed)));
      }
      for (Future<?> f : work) {
        f.get();
      }
      double seconds = (System.nanoTime() - go) / 1e9;
      for (McpClient c : clients) {
        c.shutdown();
      }
      Drain d = Drain.check(queue, opt.drainTasks(), claimed, seconds);
      String what = String.format("%d servers drain %,d tasks", opt.drainers(), opt.drainTasks());
      return List.of(
          Figure.atLeast("contention: " + what, d.tasksPerSecond(), "tasks/s", 1000, d.describe()),
          Figure.check(
              "contention: duplicate claims",
              d.duplicates(),
              "",
              d.clean(),
              "0, every task done once",
              d.describe()));
    } finally {
      pool.shutdownNow();
      clients.forEach(McpClient::close);
    }
  }

  private static Void drain(McpClient c, List<String> claimed) throws IOException {
    while (true) {
      String[] t = McpClient.idAndToken(c.tool("claim_next", Map.of()));
      if (t == null) {
        return null;
      }
      claimed.add(t[0]);
      c.tool(
          "complete_task",
          Map.of("id", t[0], "token", t[1], "outcome", "done", "result", "drained"));
    }
  }

  /** RSS of servers that answered a typical opening (tools, queue, one task) and then sat idle. */
  List<Figure> idleMemoryAndToolsList() throws IOException, InterruptedException {
    Path queue = ws.fresh("idle");
    QueueBuilder.fill(queue, 20);
    List<Double> rss = new ArrayList<>();
    int toolsBytes = 0;
    int tools = 0;
    for (int i = 0; i < 3; i++) {
      try (McpClient c = spawn(server, queue)) {
        c.initialize();
        tools = c.request("tools/list", Map.of()).path("tools").size();
        toolsBytes = c.lastReplyBytes();
        c.request("resources/list", Map.of());
        c.request("prompts/list", Map.of());
        c.readResource(QUEUE_URI);
        String[] t = McpClient.idAndToken(c.tool("claim_next", Map.of()));
        if (t != null) {
          c.tool(
              "complete_task",
              Map.of("id", t[0], "token", t[1], "outcome", "done", "result", "ok"));
        }
        Thread.sleep(opt.smoke() ? 300 : 3000);
        rss.add(c.rssMegabytes());
        c.shutdown();
      }
    }
    return List.of(
        Figure.atMost(
            "idle server memory (RSS), median of 3",
            rss.stream().sorted().toList().get(rss.size() / 2),
            "MB",
            80,
            "after initialize, tools/list, resources/list, prompts/list, a queue read and one task;"
                + " then idle 3 s; flags: "
                + server.flags()),
        Figure.atMost(
            "tools/list answer size",
            toolsBytes,
            "bytes",
            6000,
            tools + " tools; the whole JSON-RPC reply line as sent on stdout"));
  }
}

package dev.taskq.bench;

import dev.taskq.store.postgres.PostgresQueues;
import dev.taskq.store.postgres.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The PostgreSQL store's figures, beside the file store's in the same run: the same server command
 * ({@code taskq serve}), driven over stdio, with TASKQ_DATABASE_URL. The benchmark starts its own
 * PostgreSQL from the installed binaries like the tests do, but with the server's durable defaults
 * (fsync, synchronous_commit and full_page_writes on), on this machine's disk.
 */
final class PostgresFigures implements AutoCloseable {
  private final Workspace ws;
  private final BenchOptions opt;
  private final ServerCommand server;
  private PostgresServer pg;
  private PostgresQueues db;
  private int spawned;

  PostgresFigures(Workspace ws, BenchOptions opt, ServerCommand server) {
    this.ws = ws;
    this.opt = opt;
    this.server = server;
  }

  private PostgresQueues db() {
    if (db == null) {
      pg =
          PostgresServer.start(List.of("fsync=on", "synchronous_commit=on", "full_page_writes=on"));
      db = new PostgresQueues(pg);
    }
    return db;
  }

  private McpClient spawn(String queue) throws IOException {
    int n = ++spawned;
    Path dir = Files.createDirectories(ws.root().resolve("pg-tasks"));
    return McpClient.spawn(
        server.command(),
        Map.of(
            "TASKQ_DIR",
            dir.toString(),
            "TASKQ_DATABASE_URL",
            db().url(),
            "TASKQ_QUEUE",
            queue,
            "CLAUDE_CODE_SESSION_ID",
            "bench-pg-" + n),
        ws.log("pg-server-" + n));
  }

  /** A new queue holding {@code n} pending tasks, loaded with one statement. */
  private String queueOf(int n) throws SQLException {
    String queue = db().fresh();
    try (var store = db().open(queue, Duration.ofMinutes(15))) {
      store.tailLog(1); // creates the schema and registers the queue
    }
    long t0 = System.nanoTime();
    try (Connection c = pg.admin(db.database());
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO taskq.tasks (queue, id, title, criterion, instructions, lane,"
                    + " priority, after_ids, max_attempts, created, dedupe_key, state, attempt,"
                    + " checkpoints, rev) SELECT ?, 'b' || lpad(g::text, 8, '0'),"
                    + " 'Benchmark task ' || g, 'drained', 'Nothing to do: a benchmark task.',"
                    + " NULL, 0, '{}', 3, now() - interval '30 days' + g * interval '1 ms', NULL,"
                    + " 'pending', 0, 0, 1 FROM generate_series(1, ?) g")) {
      ps.setString(1, queue);
      ps.setInt(2, n);
      ps.executeUpdate();
      try (Statement st = c.createStatement()) {
        st.execute("ANALYZE taskq.tasks");
      }
    }
    Bench.progress(
        String.format(
            "  postgresql queue of %,d loaded in %d ms", n, (System.nanoTime() - t0) / 1_000_000));
    return queue;
  }

  /** {@code servers} server processes drain one queue; tasks/s, duplicates, connections. */
  List<Figure> contention(int servers) throws Exception {
    String queue = queueOf(opt.drainTasks());
    List<McpClient> clients = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(servers);
    try {
      for (int i = 0; i < servers; i++) {
        McpClient c = spawn(queue);
        clients.add(c);
        c.initialize();
        c.tool("append_log", Map.of("message", "benchmark drainer " + i + " ready"));
      }
      List<Integer> connections = connectionsPerServer(clients);
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
      List<Integer> busy = connectionsPerServer(clients);
      for (McpClient c : clients) {
        c.shutdown();
      }
      int distinct = new HashSet<>(claimed).size();
      long completed =
          count(
              queue,
              "SELECT count(*) FROM taskq.tasks WHERE queue = ?" + " AND state = 'completed'");
      long doneLines =
          count(
              queue,
              "SELECT count(*) FROM taskq.log WHERE queue = ?" + " AND line LIKE '% DONE: %'");
      int duplicates = claimed.size() - distinct;
      boolean clean =
          duplicates == 0
              && distinct == opt.drainTasks()
              && completed == distinct
              && doneLines == distinct;
      String how =
          String.format(
              "%,d claims, %,d distinct, %,d completed rows, %,d DONE lines, %.2f s",
              claimed.size(), distinct, completed, doneLines, seconds);
      String what =
          String.format("postgresql: %d servers drain %,d tasks", servers, opt.drainTasks());
      Collections.sort(busy);
      return List.of(
          Figure.info(what, claimed.size() / seconds, "tasks/s", how),
          Figure.check(
              "postgresql: " + servers + " servers, duplicate claims",
              duplicates,
              "",
              clean,
              "0, every task done once",
              how),
          Figure.info(
              "postgresql: connections per server, " + servers + " servers",
              busy.get(busy.size() - 1),
              "",
              "max after draining; min "
                  + busy.get(0)
                  + ", after initialize "
                  + connections.stream().mapToInt(Integer::intValue).max().orElse(0)
                  + " (a server connects on its first call: one listener connection for LISTEN"
                  + " and the holders' locks, one pooled connection per concurrent call)"));
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

  /** claim_next, write_checkpoint, complete_task round trips on a queue of 100,000 tasks. */
  List<Figure> roundTrip() throws Exception {
    String queue = queueOf(opt.pgRoundTripQueue());
    Samples claim = new Samples();
    Samples checkpoint = new Samples();
    Samples complete = new Samples();
    try (McpClient c = spawn(queue)) {
      c.initialize();
      for (int i = 0; i < opt.warmup() + opt.roundTrips(); i++) {
        boolean counted = i >= opt.warmup();
        long t0 = System.nanoTime();
        String[] claimed = McpClient.idAndToken(c.tool("claim_next", Map.of()));
        long t1 = System.nanoTime();
        if (claimed == null) {
          throw new IOException("claim_next found nothing in a queue of " + opt.pgRoundTripQueue());
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
    String what = String.format("queue of %,d", opt.pgRoundTripQueue());
    return List.of(
        Figure.info(
            "postgresql: tool round trip p50 (3 durable tools), " + what,
            all.medianMillis(),
            "ms",
            per),
        Figure.info(
            "postgresql: tool round trip p99 (3 durable tools), " + what,
            all.percentileMillis(99),
            "ms",
            per));
  }

  /** claim_next p50 at a big queue vs a small one, two servers taking turns call by call. */
  List<Figure> growth() throws Exception {
    String small = queueOf(opt.pgSmallQueue());
    String big = queueOf(opt.pgBigQueue());
    Samples s = new Samples();
    Samples b = new Samples();
    try (McpClient cs = spawn(small);
        McpClient cb = spawn(big)) {
      cs.initialize();
      cb.initialize();
      for (int i = 0; i < opt.warmup() + opt.growthSamples(); i++) {
        boolean counted = i >= opt.warmup();
        boolean smallFirst = i % 2 == 0;
        claimRelease(smallFirst ? cs : cb, smallFirst ? s : b, counted);
        claimRelease(smallFirst ? cb : cs, smallFirst ? b : s, counted);
      }
      cs.shutdown();
      cb.shutdown();
    }
    String n = String.format("%,d vs %,d pending", opt.pgBigQueue(), opt.pgSmallQueue());
    String how =
        opt.growthSamples() + " calls each after " + opt.warmup() + " warm-up calls, interleaved";
    return List.of(Figure.growthRatio("postgresql growth: claim_next p50 ratio, " + n, b, s, how));
  }

  private static void claimRelease(McpClient c, Samples into, boolean counted) throws IOException {
    long t0 = System.nanoTime();
    String[] claimed = McpClient.idAndToken(c.tool("claim_next", Map.of()));
    long t1 = System.nanoTime();
    if (claimed == null) {
      throw new IOException("claim_next found nothing to claim");
    }
    c.tool("complete_task", Map.of("id", claimed[0], "token", claimed[1], "outcome", "released"));
    if (counted) {
      into.add(t1 - t0);
    }
  }

  /** Connections each server process holds now, from pg_stat_activity's application names. */
  private List<Integer> connectionsPerServer(List<McpClient> clients) throws SQLException {
    List<Integer> out = new ArrayList<>();
    try (Connection c = pg.admin("postgres");
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE ?")) {
      for (McpClient m : clients) {
        ps.setString(1, "taskq " + m.pid() + "%");
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          out.add(rs.getInt(1));
        }
      }
    }
    return out;
  }

  private long count(String queue, String sql) throws SQLException {
    try (Connection c = pg.admin(db.database());
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, queue);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Override
  public void close() {
    if (pg != null) {
      pg.close();
    }
  }
}

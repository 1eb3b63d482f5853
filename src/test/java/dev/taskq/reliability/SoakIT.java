package dev.taskq.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.TaskState;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight real {@code taskq.jar serve} processes on one queue, 20,000 mixed tool calls over stdio,
 * SIGKILLs at random moments and restarts. Afterwards every enqueued task is in exactly one folder,
 * every completed task has exactly one DONE line, and no temp file remains.
 */
@Tag("slow")
class SoakIT {
  private static final int SERVERS = Integer.getInteger("soak.servers", 8);
  private static final int OPERATIONS = Integer.getInteger("soak.operations", 20_000);

  /** Mean number of operations between SIGKILLs. */
  private static final int KILL_EVERY = Integer.getInteger("soak.killEvery", 400);

  private static final Duration BUDGET = Duration.ofMinutes(10);
  private static final Pattern ID = Pattern.compile("(?m)^id: (\\S+)$");
  private static final Pattern TOKEN = Pattern.compile("(?m)^token: (\\S+)$");
  private static final Pattern LOG_LINE =
      Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z [A-Z-]+: \\S+( .*)?$");

  @TempDir Path root;

  private final AtomicInteger operations = new AtomicInteger();
  private final AtomicInteger kills = new AtomicInteger();
  private final AtomicInteger starts = new AtomicInteger();
  private final AtomicInteger fenced = new AtomicInteger();
  private final Map<String, Integer> outcomes = new ConcurrentHashMap<>();
  private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
  private final Set<String> inDoubt = ConcurrentHashMap.newKeySet();
  private final List<String> surprises = java.util.Collections.synchronizedList(new ArrayList<>());
  private final StdioServer[] servers = new StdioServer[SERVERS];
  private Path queue;
  private volatile boolean stop;

  @Test
  void eight_servers_twenty_thousand_calls_random_sigkills_nothing_lost_or_doubled()
      throws Exception {
    Path shm = Path.of("/dev/shm");
    boolean inMemory = Files.isDirectory(shm) && Files.isWritable(shm);
    // On tmpfs fsync costs nothing, so the run measures locking, recovery and kills, not the disk
    // (SIGKILL does not need fsync to keep files whole: the kernel finishes each write).
    Path base = inMemory ? Files.createTempDirectory(shm, "taskq-soak-") : root;
    try {
      soak(base.resolve("queue"));
    } finally {
      if (inMemory) {
        deleteTree(base);
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (var all = Files.walk(p)) {
      for (Path x : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }

  private void soak(Path queueDir) throws Exception {
    queue = queueDir;
    System.out.println("soak queue: " + queue);
    Files.createDirectories(root.resolve("home"));
    Files.createDirectories(root.resolve("logs"));
    long t0 = System.nanoTime();
    ExecutorService drivers = Executors.newFixedThreadPool(SERVERS);
    for (int i = 0; i < SERVERS; i++) {
      int slot = i;
      drivers.submit(() -> drive(slot));
    }
    Thread killer = new Thread(this::killAtRandom, "soak-killer");
    killer.start();
    drivers.shutdown();
    boolean finished = drivers.awaitTermination(BUDGET.toSeconds(), TimeUnit.SECONDS);
    stop = true; // over budget: each driver ends after its current call
    killer.interrupt();
    killer.join();
    assertThat(drivers.awaitTermination(2, TimeUnit.MINUTES)).as("drivers stopped").isTrue();
    double seconds = (System.nanoTime() - t0) / 1e9;
    for (StdioServer s : servers) {
      if (s != null) {
        s.close(); // stdin EOF: the server releases its claims and exits
      }
    }

    QueuePage page;
    try (TaskStore store = StoreFactory.open(StoreConfig.of(queue))) {
      page = store.list(QueueQuery.firstPage(10_000));
    }
    QueueOnDisk disk = QueueOnDisk.read(queue);
    Map<String, TaskState> states = disk.stateById(); // fails on an id in two folders
    Map<TaskState, Integer> counts = new HashMap<>();
    states.values().forEach(s -> counts.merge(s, 1, Integer::sum));
    System.out.printf(
        "soak: %d operations, %d SIGKILLs, %d server starts, %.1f s; tasks %d confirmed + %d in doubt"
            + " (enqueue cut by a kill); final %s; FENCED answers %d; outcomes %s%n",
        operations.get(),
        kills.get(),
        starts.get(),
        seconds,
        confirmed.size(),
        inDoubt.size(),
        counts,
        fenced.get(),
        new java.util.TreeMap<>(outcomes));

    assertThat(surprises).as("unexpected answers").isEmpty();
    assertThat(states.keySet()).as("every confirmed task is on disk").containsAll(confirmed);
    Set<String> known = new java.util.HashSet<>(confirmed);
    known.addAll(inDoubt);
    assertThat(known).as("no task appeared from nowhere").containsAll(states.keySet());
    for (Map.Entry<String, TaskState> e : states.entrySet()) {
      int done = disk.doneLines.getOrDefault(e.getKey(), 0);
      assertThat(done)
          .as("DONE lines of " + e.getKey() + " in " + e.getValue())
          .isEqualTo(e.getValue() == TaskState.COMPLETED ? 1 : 0);
    }
    assertThat(states.keySet()).containsAll(disk.doneLines.keySet());
    assertThat(disk.tempFiles).as("temp files left").isEmpty();
    assertThat(disk.logLines).allSatisfy(l -> assertThat(l).matches(LOG_LINE));
    assertThat(page.unreadable()).isEmpty();
    assertThat(page.total()).isEqualTo(states.size());
    // Every live server handed its claims back as it closed. A server SIGKILLed near the end
    // leaves its claims in progress (reads never end a claim; the next claim would), so those
    // must read as ended, by their holder's death.
    assertThat(
            page.rows().stream()
                .filter(t -> t.state() == TaskState.IN_PROGRESS)
                .map(t -> t.id() + " " + t.holder() + ": " + t.claimEnded())
                .toList())
        .as("claims left in progress: each of a killed server")
        .allSatisfy(t -> assertThat(t).endsWith(": holder process gone"));
    assertThat(page.rows().stream().filter(t -> t.state() == TaskState.IN_PROGRESS).count())
        .as("in progress at the end, all of killed servers")
        .isEqualTo((long) counts.getOrDefault(TaskState.IN_PROGRESS, 0));
    assertThat(finished).as("finished within " + BUDGET).isTrue();
    assertThat(operations.get()).isGreaterThanOrEqualTo(OPERATIONS);
    assertThat(kills.get()).as("servers were really killed").isPositive();
  }

  private void drive(int slot) {
    Random r = new Random(slot * 7919L);
    List<String[]> held = new ArrayList<>();
    List<String> mine = new ArrayList<>();
    int seq = 0;
    while (!stop && operations.get() < OPERATIONS) {
      StdioServer s;
      try {
        s = server(slot);
      } catch (IOException e) {
        surprises.add("server " + slot + " would not start: " + e);
        return;
      }
      int roll = r.nextInt(100);
      String pendingEnqueue = null;
      try {
        operations.incrementAndGet();
        if (roll < 20 || (mine.isEmpty() && held.isEmpty())) {
          List<Map<String, Object>> tasks = new ArrayList<>();
          List<String> ids = new ArrayList<>();
          for (int k = 1 + r.nextInt(3); k > 0; k--) {
            String id = "s" + slot + "-" + (++seq);
            Map<String, Object> t = new HashMap<>();
            t.put("id", id);
            t.put("title", "Soak task " + id);
            t.put("criterion", "done");
            if (!mine.isEmpty() && r.nextInt(5) == 0) {
              t.put("after", List.of(mine.get(r.nextInt(mine.size()))));
            }
            tasks.add(t);
            ids.add(id);
          }
          pendingEnqueue = String.join(",", ids);
          inDoubt.addAll(ids);
          Map<String, Object> res = s.callTool("enqueue_task", Map.of("tasks", tasks));
          expectOk("enqueue", res);
          confirmed.addAll(ids);
          inDoubt.removeAll(ids);
          mine.addAll(ids);
        } else if (roll < 50 || held.isEmpty()) {
          Map<String, Object> res = s.callTool("claim_next", Map.of());
          String text = StdioServer.text(res);
          expectOk("claim", res);
          Matcher id = ID.matcher(text);
          Matcher token = TOKEN.matcher(text);
          if (text.startsWith("Claimed task") && id.find() && token.find()) {
            held.add(new String[] {id.group(1), token.group(1)});
            count("claimed");
          } else {
            count("nothing to claim");
          }
        } else if (roll < 65) {
          String[] h = held.get(r.nextInt(held.size()));
          int done = r.nextInt(10);
          answer(
              "checkpoint",
              s.callTool(
                  "write_checkpoint",
                  Map.of(
                      "id",
                      h[0],
                      "token",
                      h[1],
                      "summary",
                      "step " + done,
                      "progress",
                      Map.of("done", done, "total", 10))),
              held,
              h);
        } else if (roll < 90) {
          String[] h = held.remove(r.nextInt(held.size()));
          int o = r.nextInt(10);
          String outcome = o < 7 ? "done" : o < 8 ? "failed" : "released";
          answer(
              "complete " + outcome,
              s.callTool(
                  "complete_task",
                  Map.of("id", h[0], "token", h[1], "outcome", outcome, "result", "soak result")),
              null,
              h);
        } else {
          String[] h = held.get(r.nextInt(held.size()));
          answer(
              "log",
              s.callTool(
                  "append_log",
                  Map.of("message", "soak note\nsecond line", "id", h[0], "token", h[1])),
              held,
              h);
        }
      } catch (StdioServer.ServerGone gone) {
        // Killed mid-call: its claims end with it; an enqueue may or may not have happened.
        held.clear();
        if (pendingEnqueue != null) {
          count("enqueue cut by a kill");
        }
        synchronized (servers) {
          servers[slot] = null;
        }
      } catch (IOException | RuntimeException | AssertionError e) {
        surprises.add("slot " + slot + ": " + e);
        synchronized (servers) {
          servers[slot] = null;
        }
      }
    }
  }

  private void answer(String what, Map<String, Object> res, List<String[]> held, String[] h) {
    String text = StdioServer.text(res);
    if (StdioServer.isError(res)) {
      if (text.startsWith("FENCED:")) {
        fenced.incrementAndGet();
        if (held != null) {
          held.remove(h);
        }
        return;
      }
      surprises.add(what + " " + h[0] + ": " + text);
      return;
    }
    count(what);
  }

  private void expectOk(String what, Map<String, Object> res) {
    if (StdioServer.isError(res)) {
      surprises.add(what + ": " + StdioServer.text(res));
    }
  }

  private void count(String what) {
    outcomes.merge(what, 1, Integer::sum);
  }

  private StdioServer server(int slot) throws IOException {
    synchronized (servers) {
      StdioServer s = servers[slot];
      if (s != null && s.process.isAlive()) {
        return s;
      }
    }
    Map<String, String> env = new HashMap<>();
    env.put("HOME", root.resolve("home").toString());
    env.put("TASKQ_DIR", queue.toString());
    env.put("TASKQ_LEASE_SECONDS", "20");
    env.put("CLAUDE_CODE_SESSION_ID", "soak-" + slot + "-" + starts.incrementAndGet());
    StdioServer s =
        StdioServer.start(
            StdioServer.jar(),
            root,
            env,
            root.resolve("logs/server-" + slot + ".log"),
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx128m",
            "-XX:-UsePerfData");
    synchronized (servers) {
      servers[slot] = s;
    }
    return s;
  }

  /** SIGKILLs a random server about every KILL_EVERY operations, however fast the machine is. */
  private void killAtRandom() {
    Random r = new Random(42);
    int next = KILL_EVERY / 2 + r.nextInt(KILL_EVERY);
    while (!stop && operations.get() < OPERATIONS) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        return;
      }
      if (operations.get() < next) {
        continue;
      }
      next = operations.get() + KILL_EVERY / 2 + r.nextInt(KILL_EVERY);
      StdioServer victim;
      synchronized (servers) {
        victim = servers[r.nextInt(SERVERS)];
      }
      if (victim != null && victim.process.isAlive()) {
        victim.process.destroyForcibly(); // SIGKILL
        kills.incrementAndGet();
      }
    }
  }
}

package dev.taskq.workers;

import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskState;
import dev.taskq.core.TaskqException;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.TaskStore;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs up to N headless Claude Code workers on one queue and keeps them going: it starts a worker
 * only while claimable work exists (an idle model costs tokens; an idle supervisor costs one stat
 * of the queue every half second), restarts one that exits while work remains (with backoff, giving
 * up on one that keeps failing), pauses the whole pool on a usage limit until the reset, stops it
 * on an authentication error, and exits when nothing is left to do (unless {@code --stay}).
 *
 * <p>All decisions are taken on one thread, {@link #run()}; the threads that read each worker's
 * stream only record what they read (under {@link #lock}) and wake it.
 */
public final class Supervisor {
  /** A worker whose runs fail this many times in a row is given up. */
  public static final int GIVE_UP_AFTER = 4;

  static final List<Duration> RESTART_BACKOFF =
      List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15));
  static final Duration LOOK_EVERY = Duration.ofSeconds(5);
  static final Duration IDLE_RESTART = Duration.ofSeconds(30);
  static final Duration TICK = Duration.ofMillis(500);
  static final Duration STOP_GRACE = Duration.ofSeconds(30);
  static final long STDERR_MAX = 1 << 20;
  private static final DateTimeFormatter HHMM =
      DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HHMMSS =
      DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY_HHMM =
      DateTimeFormatter.ofPattern("MMM d HH:mm 'UTC'").withZone(ZoneOffset.UTC);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Object lock = new Object();
  private final BlockingQueue<Object> wake = new LinkedBlockingQueue<>();
  private final TaskStore store;
  private final PoolFiles files;
  private final ClaudeExecutable claude;
  private final List<String> serverCommand;
  private final Map<String, String> workerEnv;
  private final Path project;
  private final Clock clock;
  private final PoolLog log;
  private final String launch;
  private final Instant started;
  private final List<Slot> slots = new ArrayList<>();
  private final List<String> handled = new ArrayList<>();

  private PoolConfig config;
  private String state = "running";
  private String reason;
  private Instant pausedUntil;
  private RunEnd.Kind pausedFor;
  private int pauseStreak;
  private boolean stopping;
  private boolean stopNow;
  private Instant stopDeadline;
  private boolean failedStop;
  private volatile boolean terminate;
  private int claimable;
  private int inProgress;
  private boolean blockedWaiting;
  private long mark;
  private Instant lastLook = Instant.EPOCH;
  private int runs;
  private int done;
  private int failed;
  private int turns;
  private double spent;
  private boolean dirty = true;

  /** One worker slot: worker-1, worker-2, … and its current run, if any. */
  private static final class Slot {
    final String name;
    Process process;
    RunTracker tracker;
    Thread reader;
    Transcript transcript;
    final Set<ProcessHandle> tree = new HashSet<>();
    int run;
    Instant runStarted;
    int failuresInARow;
    Instant nextStart;
    boolean givenUp;
    volatile boolean stopRequested; // set by the stream reader too
    String lastExit;
    int runs;
    int done;
    double cost;

    Slot(String name) {
      this.name = name;
    }

    boolean running() {
      return process != null;
    }
  }

  /** A worker's claude process ended. */
  private record Exited(Slot slot, Process process) {}

  /**
   * @param env the environment the person started the pool with (workers get it unchanged, see
   *     {@link WorkerLaunch#env})
   * @param serverCommand the taskq server each worker's claude starts (the same jar as this one)
   */
  public Supervisor(
      TaskStore store,
      PoolFiles files,
      PoolConfig config,
      ClaudeExecutable claude,
      List<String> serverCommand,
      Map<String, String> env,
      Path project,
      Clock clock,
      String launch) {
    this.store = store;
    this.files = files;
    this.config = config;
    this.claude = claude;
    this.serverCommand = List.copyOf(serverCommand);
    this.workerEnv = WorkerLaunch.env(env, files.queueDir());
    this.project = project;
    this.clock = clock;
    this.log = new PoolLog(files.poolLog(), clock);
    this.launch = launch;
    this.started = clock.instant();
    for (int i = 1; i <= config.workers(); i++) {
      slots.add(new Slot("worker-" + i));
    }
  }

  /** Asks a running {@link #run()} to stop gracefully (SIGTERM of the supervisor) and waits. */
  public void terminate(Duration wait) throws InterruptedException {
    terminate = true;
    wake.add(Boolean.TRUE);
    synchronized (lock) {
      long end = System.nanoTime() + wait.toNanos();
      while (!state.equals("stopped")) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /**
   * Runs the pool until it is done: drained, stopped, or every worker given up.
   *
   * @return 0 when it ended as asked (drained or stopped), 1 when it stopped on an error
   */
  public int run() throws InterruptedException {
    String size = config.workers() + (config.workers() == 1 ? " worker" : " workers");
    String lane = config.lane() == null ? "" : " on lane " + config.lane();
    log.line(
        "STARTED: up to "
            + size
            + lane
            + " with claude "
            + claude.version()
            + " at "
            + claude.path()
            + ", permission mode "
            + config.permissionMode()
            + ", tools "
            + String.join(",", config.allowedTools()));
    queueLog(
        "STARTED: up to "
            + size
            + lane
            + " (supervisor pid "
            + ProcessHandle.current().pid()
            + ")");
    mark = store.changeMark();
    look();
    while (true) {
      Object event = wake.poll(TICK.toMillis(), TimeUnit.MILLISECONDS);
      while (event != null) {
        if (event instanceof Exited e) {
          ended(e.slot(), e.process());
        }
        event = wake.poll();
      }
      if (terminate && !stopping) {
        stop(false, "the supervisor was asked to stop (SIGTERM)", false);
      }
      requests();
      long m = store.changeMark();
      Instant now = clock.instant();
      if (m != mark || !now.isBefore(lastLook.plus(LOOK_EVERY))) {
        mark = m;
        look();
      }
      if (stopping) {
        if (stopStep(now)) {
          break;
        }
      } else {
        decide(now);
        if (stopping && stopStep(now)) {
          break;
        }
      }
      writeState(false);
    }
    finish();
    return failedStop ? 1 : 0;
  }

  /** Starts workers when there is work for them, and ends the pool when there is none. */
  private void decide(Instant now) {
    if (pausedUntil != null) {
      if (now.isBefore(pausedUntil)) {
        return;
      }
      say("RESUMED: " + pauseName(pausedFor) + " over; starting workers again", true);
      pausedUntil = null;
      pausedFor = null;
      state = "running";
      reason = null;
      dirty = true;
    }
    if (config.maxBudgetUsd() != null && spent >= config.maxBudgetUsd()) {
      stop(
          false,
          String.format(
              java.util.Locale.ROOT, "budget spent: $%.2f of $%.2f", spent, config.maxBudgetUsd()),
          false);
      return;
    }
    int running = 0;
    int unclaimed = 0;
    boolean limited = false;
    for (Slot s : slots) {
      if (s.running()) {
        running++;
        synchronized (lock) {
          if (s.tracker.task() == null) {
            unclaimed++;
          }
          StreamEvent.ApiRetry r = s.tracker.retrying();
          limited |= r != null && (r.status() == 429 || r.status() == 529);
        }
      }
    }
    // A worker waiting out a rate limit or an overload: another one would only hit the same wall.
    int want = limited ? 0 : claimable - unclaimed;
    for (Slot s : slots) {
      if (want <= 0) {
        break;
      }
      if (s.running() || s.givenUp || (s.nextStart != null && now.isBefore(s.nextStart))) {
        continue;
      }
      if (startRun(s)) {
        running++;
        want--;
      }
    }
    if (running > 0) {
      return;
    }
    boolean allGivenUp = slots.stream().allMatch(s -> s.givenUp);
    if (allGivenUp) {
      stop(false, "gave up: every worker failed " + GIVE_UP_AFTER + " times in a row", true);
    } else if (claimable == 0 && inProgress == 0 && !blockedWaiting && !config.stay()) {
      stop(false, "nothing left to do: no claimable or in-progress tasks", false);
    }
  }

  /** Reads the queue: what the pool's workers could claim, and what is in progress. */
  private void look() {
    lastLook = clock.instant();
    QueueLook q;
    try {
      q = QueueLook.take(store, config.lane(), config.workers() * 2 + 1);
    } catch (TaskqException e) {
      log.line("cannot read the queue: " + e.describe());
      return;
    }
    synchronized (lock) {
      if (q.claimable() != claimable || q.inProgress() != inProgress) {
        dirty = true;
      }
      claimable = q.claimable();
      inProgress = q.inProgress();
      blockedWaiting = q.waitsOnOthers();
    }
  }

  private boolean startRun(Slot s) {
    try {
      Path dir = files.worker(s.name);
      Files.createDirectories(dir);
      Transcript.prune(dir, Transcript.KEEP_RUNS - 1);
      int run = Transcript.nextRun(dir);
      Path mcp = files.mcpConfig(s.name);
      Files.writeString(
          mcp,
          WorkerLaunch.mcpConfig(serverCommand, files.queueDir(), s.name),
          StandardCharsets.UTF_8);
      Double budget =
          config.maxBudgetUsd() == null
              ? null
              : Math.max(0.01, (config.maxBudgetUsd() - spent) / config.workers());
      List<String> argv =
          WorkerLaunch.argv(
              claude.path(), config, s.name, WorkerLaunch.prompt(s.name, config), mcp, budget);
      ProcessBuilder pb = new ProcessBuilder(argv).directory(project.toFile());
      pb.environment().clear();
      pb.environment().putAll(workerEnv);
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      Transcript transcript = new Transcript(files.transcript(s.name, run));
      Process p = pb.start();
      RunTracker tracker = new RunTracker();
      synchronized (lock) {
        s.process = p;
        s.tracker = tracker;
        s.transcript = transcript;
        s.run = run;
        s.runStarted = clock.instant();
        s.stopRequested = false;
        s.nextStart = null;
        s.tree.clear();
        dirty = true;
      }
      copyStderr(p.getErrorStream(), files.runStderr(s.name, run), s.name);
      s.reader = readStream(s, p, tracker, transcript);
      p.onExit().thenRun(() -> wake.add(new Exited(s, p)));
      log.line(s.name + " run " + run + " started (pid " + p.pid() + ")");
      return true;
    } catch (IOException e) {
      s.failuresInARow++;
      s.lastExit = "could not start claude: " + e.getMessage();
      log.line(s.name + ": " + s.lastExit);
      backoffOrGiveUp(s, clock.instant());
      return false;
    }
  }

  private Thread readStream(Slot s, Process p, RunTracker tracker, Transcript transcript) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  transcript.line(line);
                  boolean changed = false;
                  synchronized (lock) {
                    for (StreamEvent e : StreamParser.parse(line)) {
                      changed |= tracker.accept(e);
                    }
                    if (changed) {
                      dirty = true;
                    }
                  }
                  if (tracker.loginRefused() && !s.stopRequested) {
                    // Waiting out ten retries of a refused login takes three minutes and ends the
                    // same way: end the run now; its end stops the pool with the reason.
                    log.line(s.name + ": the API refuses the login; ending its run");
                    s.stopRequested = true;
                    p.destroy();
                  }
                  if (tracker.idleAnswers() >= 2 && !s.stopRequested) {
                    // Told twice there is nothing to claim and still going: it would burn tokens
                    // waiting. End the run; the supervisor starts one when work comes.
                    log.line(s.name + " asked twice for work and got none; ending its run");
                    s.stopRequested = true;
                    p.destroy();
                  }
                }
              } catch (IOException e) {
                log.line(s.name + ": stream read failed: " + e.getMessage());
              } finally {
                try {
                  transcript.close();
                } catch (IOException e) {
                  // the transcript is best effort
                }
              }
            },
            "taskq-" + s.name + "-stream");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void copyStderr(InputStream in, Path file, String name) {
    Thread t =
        new Thread(
            () -> {
              try (in;
                  OutputStream out = Files.newOutputStream(file)) {
                byte[] buf = new byte[8192];
                long total = 0;
                int n;
                while ((n = in.read(buf)) >= 0) {
                  if (total < STDERR_MAX) {
                    out.write(buf, 0, (int) Math.min(n, STDERR_MAX - total));
                    out.flush();
                  }
                  total += n;
                }
              } catch (IOException e) {
                // a lost stderr line is not worth stopping a worker
              }
            },
            "taskq-" + name + "-stderr");
    t.setDaemon(true);
    t.start();
  }

  /** A worker's run ended: record it, and react to why. */
  private void ended(Slot s, Process p) throws InterruptedException {
    if (s.process != p) {
      return;
    }
    if (s.reader != null) {
      s.reader.join(10_000);
    }
    int code = p.exitValue();
    Instant now = clock.instant();
    RunEnd end;
    synchronized (lock) {
      end = s.tracker.end(code, s.stopRequested, claimable > 0);
      s.process = null;
      s.runs++;
      s.done += s.tracker.done();
      s.cost += s.tracker.costUsd();
      s.lastExit = end.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + end.detail();
      runs++;
      done += s.tracker.done();
      failed += s.tracker.failed();
      turns += s.tracker.turns();
      spent += s.tracker.costUsd();
      dirty = true;
    }
    cleanUpTree(s);
    log.line(
        s.name
            + " run "
            + s.run
            + " exited ("
            + code
            + "): "
            + end.detail()
            + String.format(
                java.util.Locale.ROOT,
                ", %d turns, $%.4f",
                s.tracker.turns(),
                s.tracker.costUsd()));
    switch (end.kind()) {
      case FINISHED, BUDGET -> {
        s.failuresInARow = 0;
        if (s.tracker.done() > 0) {
          pauseStreak = 0;
        }
        if (s.tracker.claims() == 0) {
          // It found nothing to claim although the queue looked claimable (a task claimed by
          // someone else meanwhile): do not start it again at once, each start costs tokens.
          s.nextStart = now.plus(IDLE_RESTART);
        }
      }
      case STOPPED -> {}
      case USAGE_LIMIT, OVERLOADED -> pause(end, now);
      case AUTH, BILLING ->
          stop(
              false,
              end.detail()
                  + (end.kind() == RunEnd.Kind.AUTH
                      ? "; log in (run claude, or set ANTHROPIC_API_KEY) and start the workers again"
                      : "; fix the account's billing and start the workers again"),
              true);
      case NO_PROGRESS, CRASHED -> {
        s.failuresInARow++;
        backoffOrGiveUp(s, now);
      }
    }
  }

  private void backoffOrGiveUp(Slot s, Instant now) {
    if (s.failuresInARow >= GIVE_UP_AFTER) {
      s.givenUp = true;
      say(
          "GAVE UP: "
              + s.name
              + " failed "
              + s.failuresInARow
              + " times in a row; last: "
              + s.lastExit
              + " (see taskq workers logs "
              + s.name
              + ")",
          true);
    } else {
      Duration wait =
          RESTART_BACKOFF.get(Math.min(s.failuresInARow - 1, RESTART_BACKOFF.size() - 1));
      s.nextStart = now.plus(wait);
      log.line(
          s.name + " restarts in " + wait.toSeconds() + "s (failure " + s.failuresInARow + ")");
    }
    dirty = true;
  }

  /**
   * Pauses the pool: no new worker starts; running ones end by themselves (their taskq servers hand
   * their claims back when claude exits, without using up an attempt).
   */
  private void pause(RunEnd end, Instant now) {
    if (end.kind() == RunEnd.Kind.USAGE_LIMIT && !config.waitOnLimit()) {
      stop(false, end.detail() + " (--no-wait-on-limit: not waiting for the reset)", true);
      return;
    }
    Instant until =
        PauseRule.until(end, pauseStreak, now, ThreadLocalRandom.current().nextDouble());
    if (pausedUntil != null && !until.isAfter(pausedUntil)) {
      return; // already paused at least that long (another worker hit the same limit)
    }
    pauseStreak++;
    pausedUntil = until;
    pausedFor = end.kind();
    state = "paused";
    reason = end.detail();
    dirty = true;
    say("PAUSED: " + pauseName(end.kind()) + "; resuming at " + when(until, now), true);
  }

  private static String pauseName(RunEnd.Kind kind) {
    return kind == RunEnd.Kind.OVERLOADED ? "API overloaded" : "usage limit";
  }

  /** "14:05 UTC"; with seconds for a short pause, with the day when it is not today. */
  static String when(Instant at, Instant now) {
    boolean sameDay =
        at.atZone(ZoneOffset.UTC).toLocalDate().equals(now.atZone(ZoneOffset.UTC).toLocalDate());
    if (!sameDay) {
      return DAY_HHMM.format(at);
    }
    return (Duration.between(now, at).compareTo(Duration.ofMinutes(5)) < 0 ? HHMMSS : HHMM)
        .format(at);
  }

  /**
   * Begins stopping: SIGTERM to every worker (graceful: Claude Code ends its session and its taskq
   * server hands the claim back, no attempt used), or SIGKILL of each worker's whole process tree
   * with {@code now}.
   */
  private void stop(boolean now, String why, boolean error) {
    if (stopping && !(now && !stopNow)) {
      return;
    }
    stopping = true;
    stopNow |= now;
    failedStop |= error;
    state = "stopping";
    reason = why;
    pausedUntil = null;
    stopDeadline = clock.instant().plus(now ? Duration.ZERO : STOP_GRACE);
    dirty = true;
    log.line("STOPPING: " + why);
    for (Slot s : slots) {
      if (s.running()) {
        s.stopRequested = true;
        if (now) {
          killTree(s, true);
        } else {
          s.process.destroy();
        }
      }
    }
  }

  /** Waits for the workers to end; past the grace time kills what is left. True when all ended. */
  private boolean stopStep(Instant now) {
    boolean any = false;
    for (Slot s : slots) {
      if (s.running()) {
        any = true;
        if (!now.isBefore(stopDeadline)) {
          killTree(s, true);
        }
      }
    }
    return !any;
  }

  private void finish() {
    handBackClaims();
    synchronized (lock) {
      state = "stopped";
      dirty = true;
      writeState(true);
      lock.notifyAll();
    }
    say("STOPPED: " + (reason == null ? "done" : reason), true);
  }

  /**
   * Claims still held by this pool's workers after they ended (a worker killed with its taskq
   * server, {@code stop --now}) go back to pending at once, instead of waiting out their lease.
   */
  private void handBackClaims() {
    try {
      QueuePage ip = store.list(new QueueQuery(TaskState.IN_PROGRESS, null, 0, 10_000));
      for (TaskRow r : ip.rows()) {
        if (r.holder() != null
            && slots.stream().anyMatch(s -> r.holder().startsWith(s.name + "@"))) {
          try {
            store.forceRelease(r.id());
            log.line("handed back " + r.id() + " held by " + r.holder());
          } catch (TaskqException e) {
            log.line("could not hand back " + r.id() + ": " + e.describe());
          }
        }
      }
    } catch (TaskqException e) {
      log.line("cannot read the queue to hand back claims: " + e.describe());
    }
  }

  /** After a run, its leftover processes (an MCP server that did not exit) are ended too. */
  private void cleanUpTree(Slot s) {
    Set<ProcessHandle> left = new HashSet<>();
    synchronized (lock) {
      left.addAll(s.tree);
      s.tree.clear();
    }
    left.removeIf(h -> !h.isAlive());
    if (left.isEmpty()) {
      return;
    }
    // A taskq server whose claude is gone sees its stdin close and exits by itself, handing its
    // claim back: give it a moment before asking harder.
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < end && left.stream().anyMatch(ProcessHandle::isAlive)) {
      sleep(100);
    }
    left.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
    end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < end && left.stream().anyMatch(ProcessHandle::isAlive)) {
      sleep(100);
    }
    left.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * Ends a worker's claude: SIGTERM lets it end its session; {@code forcibly} is SIGKILL. Only
   * claude itself is signalled: its taskq server then sees its stdin close and hands the claim back
   * (no attempt used), and {@link #cleanUpTree} ends whatever of the run is still alive afterwards.
   */
  private void killTree(Slot s, boolean forcibly) {
    Process p = s.process;
    if (p == null) {
      return;
    }
    List<ProcessHandle> tree = p.descendants().toList();
    synchronized (lock) {
      s.tree.addAll(tree);
    }
    if (forcibly) {
      p.destroyForcibly();
    } else {
      p.destroy();
    }
  }

  /** Acts on request files: a second start (more workers, --stay) or a stop. */
  private void requests() {
    Path dir = files.requests();
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
      ds.forEach(found::add);
    } catch (IOException e) {
      return;
    }
    found.sort(null);
    for (Path f : found) {
      JsonNode r;
      try {
        r = JSON.readTree(Files.readString(f, StandardCharsets.UTF_8));
        Files.deleteIfExists(f);
      } catch (IOException | RuntimeException e) {
        continue; // being written; next tick
      }
      String id = r.path("id").asString("");
      switch (r.path("action").asString("")) {
        case "start" -> more(r.path("workers").asInt(0), r.path("stay").asBoolean(false));
        case "stop" -> stop(r.path("now").asBoolean(false), "stopped by taskq workers stop", false);
        default -> log.line("ignored request " + f.getFileName() + ": unknown action");
      }
      handled.add(id);
      while (handled.size() > 20) {
        handled.remove(0);
      }
      dirty = true;
    }
  }

  private void more(int n, boolean stay) {
    if (stopping) {
      return;
    }
    if (n > config.workers()) {
      for (int i = config.workers() + 1; i <= n; i++) {
        slots.add(new Slot("worker-" + i));
      }
      config = config.withWorkers(n);
      say("MORE: up to " + n + " workers", false);
    }
    if (stay && !config.stay()) {
      config = config.staying();
      say("STAY: the pool now waits for new work when the queue is drained", false);
    }
    // A given-up worker gets a fresh chance when someone starts the pool again.
    slots.forEach(
        s -> {
          s.givenUp = false;
          s.failuresInARow = 0;
          s.nextStart = null;
        });
  }

  /** Logs a line to pool.log and, for the pool's big moments, to the queue's log.txt too. */
  private void say(String line, boolean queueLog) {
    log.line(line);
    if (queueLog) {
      queueLog(line);
    }
  }

  /** A line in the queue's log.txt, where people and `taskq log -f` see it among the tasks. */
  private void queueLog(String line) {
    try {
      store.appendLog("workers " + line, null, null);
    } catch (TaskqException e) {
      log.line("cannot write log.txt: " + e.describe());
    }
  }

  private void writeState(boolean force) {
    PoolState s;
    synchronized (lock) {
      if (!dirty && !force) {
        return;
      }
      dirty = false;
      // Snapshot each worker's process tree while it runs, so processes it leaves behind when it
      // dies (its taskq server) can be found and ended afterwards.
      List<PoolState.Worker> ws = new ArrayList<>();
      for (Slot sl : slots) {
        if (sl.running()) {
          sl.process.descendants().forEach(sl.tree::add);
        }
        ws.add(worker(sl));
      }
      s =
          new PoolState(
              state,
              reason,
              pausedUntil,
              ProcessHandle.current().pid(),
              ProcessIdentity.current("").processStart(),
              launch,
              started,
              clock.instant(),
              files.queueDir().toString(),
              claude.path().toString(),
              claude.version(),
              config,
              new PoolState.Totals(
                  runs,
                  done + live(RunTracker::done),
                  failed + live(RunTracker::failed),
                  spent,
                  turns + live(RunTracker::turns),
                  claimable,
                  inProgress),
              ws,
              handled,
              failedStop);
    }
    try {
      s.write(files);
    } catch (IOException e) {
      log.line("cannot write " + files.state() + ": " + e.getMessage());
    }
  }

  /** A sum over the runs going on now (the ended ones are in the totals already). */
  private int live(java.util.function.ToIntFunction<RunTracker> f) {
    int n = 0;
    for (Slot s : slots) {
      if (s.running() && s.tracker != null) {
        n += f.applyAsInt(s.tracker);
      }
    }
    return n;
  }

  private PoolState.Worker worker(Slot s) {
    String st;
    if (s.running()) {
      StreamEvent.ApiRetry r = s.tracker.retrying();
      st =
          s.stopRequested
              ? "stopping"
              : r != null
                  ? "retrying"
                  : s.tracker.sessionId().isEmpty()
                      ? "starting"
                      : s.tracker.task() != null ? "working" : "claiming";
    } else if (s.givenUp) {
      st = "given_up";
    } else if (stopping || state.equals("stopped")) {
      st = "stopped";
    } else if (pausedUntil != null) {
      st = "paused";
    } else if (s.nextStart != null) {
      st = "backoff";
    } else {
      st = "idle";
    }
    RunTracker t = s.tracker;
    StreamEvent.ApiRetry retry = s.running() && t != null ? t.retrying() : null;
    String last =
        retry != null
            ? "API retry "
                + retry.attempt()
                + "/"
                + retry.maxRetries()
                + " after "
                + retry.status()
                + " "
                + retry.error()
            : s.lastExit;
    return new PoolState.Worker(
        s.name,
        st,
        s.running() ? s.process.pid() : 0,
        s.run,
        s.runStarted,
        s.running() && t != null ? t.task() : null,
        t == null ? 0 : t.turns(),
        s.cost + (s.running() && t != null ? t.costUsd() : 0),
        s.runs,
        s.done + (s.running() && t != null ? t.done() : 0),
        s.failuresInARow,
        s.nextStart,
        last,
        s.run == 0 ? null : files.transcript(s.name, s.run).toString());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

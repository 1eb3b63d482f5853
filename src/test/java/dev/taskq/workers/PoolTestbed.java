package dev.taskq.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.claude.Brain;
import dev.taskq.claude.ClaudeBinary;
import dev.taskq.claude.ScriptedModel;
import dev.taskq.claude.TaskqJar;
import dev.taskq.core.Limits;
import dev.taskq.core.NewTask;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A project with a queue, the scripted model on loopback, and the real {@code claude} and {@code
 * taskq} binaries, for tests of the worker pool. Every process the pool starts carries this
 * testbed's folder in its command line or environment, so {@link #processes()} finds them all (and
 * {@link #close()} kills any left).
 */
final class PoolTestbed implements AutoCloseable {
  final Path dir;
  final Path project;
  final Path queue;
  final Path home;
  final Path claude;
  final ScriptedModel model;
  final PoolFiles files;
  private final Map<String, String> env = new HashMap<>();

  /** What one CLI command printed and returned. */
  record Run(int code, String out, String err) {}

  PoolTestbed(Path dir, Brain brain) throws IOException {
    this(dir, brain, false);
  }

  /**
   * @param subscriber claude logs in as a Pro/Max subscriber (an OAuth token) instead of with an
   *     API key: only then does its stream carry a usage limit's reset time
   */
  PoolTestbed(Path dir, Brain brain, boolean subscriber) throws IOException {
    this.dir = dir.toAbsolutePath();
    this.claude = ClaudeBinary.require();
    this.project = Files.createDirectories(this.dir.resolve("shop"));
    this.queue = project.resolve("tasks");
    this.home = Files.createDirectories(this.dir.resolve("home"));
    this.files = new PoolFiles(queue);
    this.model = ScriptedModel.start(brain);
    env.putAll(subscriber ? model.subscriberEnv(home) : model.clientEnv(home));
    env.put("TASKQ_CLAUDE", claude.toString());
    try (TaskStore s = store()) {
      s.tailLog(1); // creates the queue folders
    }
  }

  TaskStore store() {
    return StoreFactory.open(
        new StoreConfig(queue, StoreConfig.DEFAULT_LEASE, java.time.Clock.systemUTC()));
  }

  /** Enqueues {@code n} tasks t1…tn (lane optional) in one batch. */
  List<String> enqueue(int n, String lane) {
    List<NewTask> tasks = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      String id = (lane == null ? "t" : lane + "-") + i;
      tasks.add(
          new NewTask(
              id,
              "Task " + id,
              "the file is listed",
              "Look at the project and list what you find.",
              lane,
              0,
              null,
              Limits.DEFAULT_MAX_ATTEMPTS,
              null));
    }
    try (TaskStore s = store()) {
      return s.enqueue(tasks).stream().map(r -> r.task().id()).toList();
    }
  }

  /** Starts the real taskq CLI without waiting; its stdout goes to the returned file. */
  Process spawn(Path stdout, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(List.of(TaskqJar.java(), "-jar", TaskqJar.path().toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile());
    clean(pb.environment());
    pb.environment().putAll(env);
    pb.redirectOutput(stdout.toFile());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return pb.start();
  }

  /** Runs the real taskq CLI (the built jar) in the project with the testbed's environment. */
  Run taskq(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of(TaskqJar.java(), "-jar", TaskqJar.path().toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile());
    clean(pb.environment());
    pb.environment().putAll(env);
    Path out = Files.createTempFile(dir, "cli", ".out");
    Path err = Files.createTempFile(dir, "cli", ".err");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          "taskq "
              + String.join(" ", args)
              + " did not exit within "
              + timeout
              + "; out: "
              + Files.readString(out));
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** The inherited environment without anything of a surrounding Claude Code session or taskq. */
  static void clean(Map<String, String> env) {
    env.keySet()
        .removeIf(
            k -> k.startsWith("CLAUDE") || k.startsWith("ANTHROPIC") || k.startsWith("TASKQ_"));
  }

  /** Sets a variable for the CLI commands (and so for the pool they start). */
  void env(String name, String value) {
    env.put(name, value);
  }

  /** Waits until the condition holds; fails with what the pool and queue looked like. */
  void await(java.util.function.BooleanSupplier ok, Duration timeout, String what)
      throws InterruptedException, IOException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "waited "
                + timeout
                + " for "
                + what
                + "\nstate: "
                + state().map(PoolState::toJson)
                + "\npool.log:\n"
                + poolLog()
                + "\nlog.txt:\n"
                + String.join("\n", logLines()));
      }
      Thread.sleep(100);
    }
  }

  /** The task as stored now. */
  dev.taskq.core.Task task(String id) {
    try (TaskStore s = store()) {
      return s.get(id).task();
    }
  }

  /** The task's checkpoints, oldest first. */
  List<dev.taskq.core.Checkpoint> checkpoints(String id) {
    try (TaskStore s = store()) {
      return s.get(id).checkpoints();
    }
  }

  /** The tasks in progress now. */
  List<dev.taskq.core.TaskRow> inProgress() {
    try (TaskStore s = store()) {
      return s.list(
              new dev.taskq.core.QueueQuery(dev.taskq.core.TaskState.IN_PROGRESS, null, 0, 100))
          .rows();
    }
  }

  Optional<PoolState> state() {
    return PoolState.read(files);
  }

  /** Waits until the supervisor is gone (its lock free); fails with its state otherwise. */
  PoolState awaitSupervisorGone(Duration timeout) throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (SupervisorLock.isHeld(files)) {
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "the supervisor still runs after "
                + timeout
                + "; state: "
                + state()
                + "\npool.log:\n"
                + poolLog());
      }
      Thread.sleep(200);
    }
    return state().orElseThrow(() -> new AssertionError("no state.json"));
  }

  /** Waits until the pool's state matches; fails with what was seen. */
  PoolState awaitState(Predicate<PoolState> p, Duration timeout, String what)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    Optional<PoolState> s = state();
    while (s.isEmpty() || !p.test(s.get())) {
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "waited "
                + timeout
                + " for "
                + what
                + "; state: "
                + s.map(PoolState::toJson)
                + "\npool.log:\n"
                + poolLog());
      }
      Thread.sleep(100);
      s = state();
    }
    return s.get();
  }

  String poolLog() {
    try {
      return Files.exists(files.poolLog()) ? Files.readString(files.poolLog()) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  List<String> logLines() throws IOException {
    return Files.readAllLines(queue.resolve("log.txt"), StandardCharsets.UTF_8);
  }

  /** Live processes whose command line or environment names this testbed's folder. */
  List<ProcessHandle> processes() {
    String mark = dir.toString();
    long self = ProcessHandle.current().pid();
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.filter(h -> h.pid() != self && h.isAlive() && mentions(h.pid(), mark)).toList();
    }
  }

  static String describe(List<ProcessHandle> ps) {
    StringBuilder sb = new StringBuilder();
    for (ProcessHandle h : ps) {
      sb.append(h.pid()).append(' ').append(h.info().commandLine().orElse("?")).append('\n');
    }
    return sb.toString();
  }

  private static boolean mentions(long pid, String mark) {
    for (String f : List.of("cmdline", "environ")) {
      try {
        byte[] b = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), f));
        if (new String(b, StandardCharsets.UTF_8).contains(mark)) {
          return true;
        }
      } catch (IOException | SecurityException e) {
        // gone, or not ours to read
      }
    }
    return false;
  }

  void assertNoProcessLeft(Duration within) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    List<ProcessHandle> left = processes();
    while (!left.isEmpty() && System.nanoTime() < end) {
      Thread.sleep(200);
      left = processes();
    }
    assertThat(left).as("processes of the pool still running:\n" + describe(left)).isEmpty();
  }

  @Override
  public void close() {
    List<ProcessHandle> left = processes();
    left.forEach(ProcessHandle::destroyForcibly);
    model.close();
  }
}

package dev.taskq.workers;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code taskq workers start} and {@code stop} as seen from the caller: start a supervisor that
 * outlives it (a terminal closing, a Claude Code session ending), or ask the running one for more
 * workers or to stop; then return at once with what happened.
 *
 * <p>The supervisor is started in a session of its own ({@code setsid}): Claude Code ends the
 * process group of a Bash tool call's command, and a terminal's hang-up reaches its session; a new
 * session is in neither. stdin is /dev/null, and its output goes to {@code supervisor.err}, so no
 * pipe to the caller keeps it (or the caller) waiting.
 */
public final class PoolLauncher {
  /** JVM flags for the supervisor: long-lived but light; C1 and a small serial heap suffice. */
  static final List<String> SUPERVISOR_JVM_FLAGS =
      List.of(
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "-Xms16m",
          "-Xmx256m",
          "-XX:-UsePerfData",
          "-Xlog:disable",
          "-Xlog:all=warning:stderr");

  static final Duration START_TIMEOUT = Duration.ofSeconds(45);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final PoolFiles files;
  private final Path java;
  private final Path jar;
  private final Map<String, String> env;
  private final Path cwd;

  /** What a start did. */
  public record Started(boolean joined, PoolState state, String detached) {}

  public PoolLauncher(PoolFiles files, Path java, Path jar, Map<String, String> env, Path cwd) {
    this.files = files;
    this.java = java;
    this.jar = jar;
    this.env = Map.copyOf(env);
    this.cwd = cwd;
  }

  /**
   * Starts a supervisor with {@code config}, or, when one runs for this queue, asks it for up to
   * {@code config.workers()} workers (and --stay). CONFLICT when the running pool was started with
   * other options.
   */
  public Started start(PoolConfig config) throws IOException, InterruptedException {
    return start(config, true);
  }

  /**
   * Like {@link #start(PoolConfig)}; with {@code strict} false a running pool is only asked for
   * more workers, whatever its other options (the caller named only the number and the lane).
   */
  public Started start(PoolConfig config, boolean strict) throws IOException, InterruptedException {
    Files.createDirectories(files.root());
    if (SupervisorLock.isHeld(files)) {
      return join(config, strict);
    }
    ObjectNode c = config.toJson(JSON.createObjectNode());
    AtomicWrite.write(files.config(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c));
    String launch = newId();
    List<String> command = new ArrayList<>();
    String detached = detacher(command);
    command.add(java.toString());
    command.addAll(SUPERVISOR_JVM_FLAGS);
    command.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "workers",
            "supervise",
            "--dir",
            files.queueDir().toString(),
            "--launch",
            launch));
    ProcessBuilder pb = new ProcessBuilder(command).directory(files.project(cwd).toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(files.supervisorErr().toFile()));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    PoolState s = awaitLaunch(launch, p);
    return new Started(!s.launch().equals(launch), s, detached);
  }

  private Started join(PoolConfig config, boolean strict) throws IOException, InterruptedException {
    PoolState running =
        PoolState.read(files)
            .orElseThrow(
                () ->
                    new TaskqException(
                        ErrorCode.CONFLICT,
                        "a worker supervisor holds " + files.lock() + " but wrote no state yet"));
    List<String> diff = running.config().differences(config);
    if (!strict) {
      diff = diff.stream().filter(d -> d.startsWith("--lane ")).toList();
    }
    if (!diff.isEmpty()) {
      throw new TaskqException(
          ErrorCode.CONFLICT,
          null,
          "a worker pool already runs on this queue with other options: " + String.join("; ", diff),
          "one pool per queue: stop it first (taskq workers stop), or start with the same options",
          null);
    }
    String id = newId();
    requestMore(files, id, config.workers(), config.stay());
    return new Started(true, awaitHandled(id), null);
  }

  /** Asks the running supervisor for up to {@code workers} workers (and --stay when true). */
  public static void requestMore(PoolFiles files, String id, int workers, boolean stay)
      throws IOException {
    request(
        files,
        id,
        "{\"id\":\""
            + id
            + "\",\"action\":\"start\",\"workers\":"
            + workers
            + ",\"stay\":"
            + stay
            + "}");
  }

  /** Asks the running supervisor to stop and waits until it has; empty when none runs. */
  public Optional<PoolState> stop(boolean now, Duration wait)
      throws IOException, InterruptedException {
    Optional<PoolState> before = PoolState.read(files);
    if (!SupervisorLock.isHeld(files)) {
      return Optional.empty();
    }
    String id = newId();
    request(files, id, "{\"id\":\"" + id + "\",\"action\":\"stop\",\"now\":" + now + "}");
    long end = System.nanoTime() + wait.toNanos();
    boolean signalled = false;
    while (SupervisorLock.isHeld(files)) {
      if (System.nanoTime() > end) {
        // The supervisor does not answer requests (hung?): the signal does what the request would.
        if (signalled || before.isEmpty()) {
          throw new TaskqException(
              ErrorCode.STORE_ERROR,
              null,
              "the worker supervisor did not stop within " + wait.toSeconds() + " s",
              "see " + files.poolLog() + "; kill it by its pid (taskq workers status)",
              null);
        }
        ProcessHandle.of(before.get().pid())
            .ifPresent(
                h -> {
                  if (now) {
                    h.destroyForcibly();
                  } else {
                    h.destroy();
                  }
                });
        signalled = true;
        end = System.nanoTime() + Duration.ofSeconds(40).toNanos();
      }
      Thread.sleep(100);
    }
    return PoolState.read(files);
  }

  private static void request(PoolFiles files, String id, String json) throws IOException {
    Files.createDirectories(files.requests());
    AtomicWrite.write(
        files.requests().resolve(System.currentTimeMillis() + "-" + id + ".json"), json);
  }

  private PoolState awaitHandled(String id) throws InterruptedException {
    long end = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < end) {
      Optional<PoolState> s = PoolState.read(files);
      if (s.isPresent() && s.get().handled().contains(id)) {
        return s.get();
      }
      Thread.sleep(100);
    }
    throw new TaskqException(
        ErrorCode.STORE_ERROR,
        null,
        "the running worker supervisor did not answer within " + START_TIMEOUT.toSeconds() + " s",
        "see " + files.poolLog() + " and taskq workers status",
        null);
  }

  /** Waits until the new supervisor wrote its first state (or, having lost a race, joined). */
  private PoolState awaitLaunch(String launch, Process p) throws InterruptedException {
    long end = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < end) {
      Optional<PoolState> s = PoolState.read(files);
      if (s.isPresent()
          && (s.get().launch().equals(launch) || s.get().handled().contains(launch))) {
        return s.get();
      }
      if (!p.isAlive() && p.exitValue() != 0) {
        throw new TaskqException(
            ErrorCode.STORE_ERROR,
            null,
            "the worker supervisor exited at once (" + p.exitValue() + "): " + lastLine(),
            "see " + files.supervisorErr(),
            null);
      }
      Thread.sleep(50);
    }
    throw new TaskqException(
        ErrorCode.STORE_ERROR,
        null,
        "the worker supervisor did not start within " + START_TIMEOUT.toSeconds() + " s",
        "see " + files.supervisorErr() + " and " + files.poolLog(),
        null);
  }

  private String lastLine() {
    try {
      List<String> lines = Files.readAllLines(files.supervisorErr(), StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return lines.get(i).strip();
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return "no output";
  }

  /**
   * Puts the command that starts a new session in front of the supervisor's: {@code setsid} (Linux,
   * util-linux), else perl's POSIX::setsid (macOS ships perl, not setsid). Returns how it detached.
   */
  private String detacher(List<String> command) {
    Path setsid = onPath("setsid");
    if (setsid != null) {
      command.add(setsid.toString());
      return "setsid";
    }
    Path perl = onPath("perl");
    if (perl != null) {
      command.addAll(
          List.of(perl.toString(), "-MPOSIX", "-e", "POSIX::setsid(); exec @ARGV or die $!"));
      return "perl POSIX::setsid";
    }
    return "none (no setsid or perl on PATH: the pool may stop with your terminal)";
  }

  private Path onPath(String name) {
    for (String dir : env.getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p) && !Files.isDirectory(p)) {
          return p;
        }
      }
    }
    return null;
  }

  private static String newId() {
    byte[] b = new byte[6];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}

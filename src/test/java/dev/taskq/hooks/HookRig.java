package dev.taskq.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.Claim;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.Holder;
import dev.taskq.store.MutableClock;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A project with a queue, and a hook run in-process the way Claude Code runs it: the event's real
 * JSON on stdin (the fixtures recorded from claude 2.1.328), {@code CLAUDE_PID} and {@code
 * CLAUDE_PROJECT_DIR} in the environment. This test JVM stands in for the session's taskq server,
 * so its parent stands in for Claude Code: a claim held by {@link #server} is "this session's".
 */
final class HookRig implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-12-02T06:00:00Z");

  final Path project;
  final Path queue;
  final MutableClock clock = new MutableClock(T0);
  final Map<String, String> env = new HashMap<>();
  final long claudePid = ProcessHandle.current().parent().orElseThrow().pid();
  final Holder server;
  private final List<TaskStore> stores = new ArrayList<>();

  /** What one hook run printed. */
  record Run(int code, String out, String err) {}

  HookRig(Path dir) throws IOException {
    this(dir, "4e88df1e-5f87-4702-8fbe-84743b578688");
  }

  /** {@code serverSession}: the session id the stand-in server was started with. */
  HookRig(Path dir, String serverSession) throws IOException {
    project = Files.createDirectories(dir.resolve("project"));
    queue = project.resolve("tasks");
    for (String f : List.of("pending", "in-progress", "completed", "failed", "checkpoints")) {
      Files.createDirectories(queue.resolve(f));
    }
    Files.writeString(queue.resolve(".gitignore"), ".taskq/\n");
    env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
    env.put("CLAUDE_PID", Long.toString(claudePid));
    env.put("CLAUDE_PROJECT_DIR", project.toString());
    server = dev.taskq.store.ProcessIdentity.current(serverSession);
  }

  /** A store on the queue, as another process would open it (same clock). */
  TaskStore store() {
    TaskStore s = StoreFactory.open(new StoreConfig(queue, Duration.ofMinutes(5), clock));
    stores.add(s);
    return s;
  }

  /** Claims the next task for this session's stand-in server. */
  Claim claimAsThisSession(TaskStore s) {
    ClaimResult r = s.claimNext(server, null);
    assertThat(r).isInstanceOf(ClaimResult.Claimed.class);
    return ((ClaimResult.Claimed) r).claim();
  }

  /** The session folder this session's server would keep. */
  SessionFiles sessionFiles() {
    return SessionFiles.of(queue, SessionKey.of(claudePid));
  }

  SessionFiles serverKeepsItsFolder() throws IOException {
    SessionFiles f = sessionFiles();
    f.create();
    return f;
  }

  static String fixture(String name) {
    try (InputStream in = HookRig.class.getResourceAsStream("/claude/hooks/" + name)) {
      assertThat(in).as("fixture " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Run run(String event, String stdin) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Hooks.run(
            event,
            Map.copyOf(env),
            project,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintWriter(out),
            new PrintWriter(err),
            clock);
    return new Run(code, out.toString(), err.toString());
  }

  Run runFixture(String event, String fixture) {
    return run(event, fixture(fixture));
  }

  /** Every file under {@code dir} with its content, to prove a hook wrote nothing else. */
  static Map<String, String> tree(Path dir) throws IOException {
    Map<String, String> m = new TreeMap<>();
    if (!Files.exists(dir)) {
      return m;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        String rel = dir.relativize(p).toString();
        m.put(rel, Files.isRegularFile(p) ? Files.readString(p) : "<dir>");
      }
    }
    return m;
  }

  @Override
  public void close() {
    stores.forEach(TaskStore::close);
  }
}

package dev.taskq.bench;

import dev.taskq.core.ClaimResult;
import dev.taskq.core.NewTask;
import dev.taskq.hooks.HeldClaim;
import dev.taskq.hooks.SessionFiles;
import dev.taskq.hooks.SessionKey;
import dev.taskq.project.ServerFlags;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What taskq's Claude Code hooks cost a session: spawn → exit of each hook command, started the way
 * Claude Code starts it ({@code /bin/sh -c "taskq hook <event> || true"}, the event's recorded JSON
 * on stdin) on a file queue of 10,000 tasks. The fast hooks (every prompt, every tool call) go
 * through the installed launcher, which answers them in sh; the same in a JVM is measured for
 * scale. SessionStart and Stop run in the JVM with this session holding a claim, so they do their
 * whole lookup. This process stands in for the session's taskq server; its parent for Claude Code.
 */
final class HookFigures {
  /** The session id of the recorded SessionStart-resume payload. */
  private static final String RESUMED_SESSION = "4e88df1e-5f87-4702-8fbe-84743b578688";

  private final Workspace ws;
  private final BenchOptions opt;
  private final ServerCommand server;

  HookFigures(Workspace ws, BenchOptions opt, ServerCommand server) {
    this.ws = ws;
    this.opt = opt;
    this.server = server;
  }

  List<Figure> measure() throws Exception {
    if (server.launcher() == null) {
      return List.of(
          Figure.missing(
              "hooks", "≤ 30 ms", "needs the installed launcher (taskq install failed above)"));
    }
    Path project = Files.createDirectories(ws.fresh("hooks").resolve("project"));
    Path queue = project.resolve("tasks");
    int tasks = opt.smoke() ? 200 : opt.roundTripQueue();
    QueueBuilder.write(queue, tasks);
    long claude = ProcessHandle.current().parent().orElseThrow().pid();
    SessionFiles session = SessionFiles.of(queue, SessionKey.of(claude));
    session.create();
    session.replace(
        SessionFiles.NEWS,
        "3\nDONE: db-audit — result in tasks/completed/db-audit.md\n"
            + "DONE: api-audit — result in tasks/completed/api-audit.md\n"
            + "FAILED: importer — failed by its holder; see tasks/failed/importer.md\n");
    try (TaskStore store =
        StoreFactory.open(new StoreConfig(queue, Duration.ofMinutes(5), Clock.systemUTC()))) {
      store.enqueue(
          new NewTask("held", "Held by this session", "c", null, "hooks", 0, List.of(), 3, null));
      ClaimResult r = store.claimNext(ProcessIdentity.current("bench-hooks"), "hooks");
      if (!(r instanceof ClaimResult.Claimed)) {
        throw new IllegalStateException("no claim for the hooks benchmark: " + r);
      }
      // What the session's server keeps for its hooks (SessionKeeper), so Stop and SessionStart
      // after /compact read no store.
      session.replace(SessionFiles.SERVER, ProcessHandle.current().pid() + " bench\n");
      session.replace(
          SessionFiles.CLAIMS, HeldClaim.toJson(List.of(HeldClaim.of(store.get("held"), false))));
      // A claim of a crashed earlier process of a resumed session, for SessionStart on resume:
      // the folder its server kept (and could not remove) says what it held.
      Process gone = new ProcessBuilder("sleep", "60").start();
      store.enqueue(
          new NewTask("crashed", "Held before a crash", "c", null, "hooks", 0, List.of(), 3, null));
      store.claimNext(ProcessIdentity.of(gone.toHandle(), RESUMED_SESSION), "hooks");
      SessionFiles crashed = SessionFiles.of(queue, Long.toString(gone.pid()));
      crashed.create();
      crashed.replace(
          SessionFiles.CLAIMS,
          HeldClaim.toJson(List.of(HeldClaim.of(store.get("crashed"), false))));
      gone.destroyForcibly();
      gone.waitFor();
    }
    Map<String, String> env = new HashMap<>();
    env.put(
        "PATH", server.launcher() != null ? launcherDir() + File.pathSeparator + path() : path());
    env.put("HOME", ws.root().toString());
    env.put("CLAUDE_PID", Long.toString(claude));
    env.put("CLAUDE_PROJECT_DIR", project.toString());
    env.put("CLAUDE_CODE_SESSION_ID", "bench-hooks");
    env.put("TASKQ_CHECKPOINT_MINUTES", "0"); // Stop does its whole job: it asks once per state

    int fast = opt.smoke() ? 10 : 300;
    int slow = opt.smoke() ? 3 : 30;
    Samples post = run(project, env, "taskq hook post-tool-use || true", "PostToolUse-Read", fast);
    Samples prompt =
        run(project, env, "taskq hook user-prompt-submit || true", "UserPromptSubmit", fast);
    Samples jvm = run(project, env, jvmCommand("post-tool-use"), "PostToolUse-Read", slow);
    Samples start =
        run(project, env, "taskq hook session-start || true", "SessionStart-compact", slow);
    Samples stop =
        run(project, env, "taskq hook stop || true", "Stop-stop_hook_active-false", slow);
    Samples resume =
        run(project, env, "taskq hook session-start || true", "SessionStart-resume", slow);
    session.delete(SessionFiles.CLAIMS); // the session's server holds nothing now
    Samples idleStop =
        run(project, env, "taskq hook stop || true", "Stop-stop_hook_active-false", fast);
    String how =
        "spawn → exit of /bin/sh -c \"<command>\" with the recorded payload on stdin, as Claude Code"
            + " runs it; %d runs, p99 %.1f ms, max %.1f ms";
    List<Figure> out = new ArrayList<>();
    out.addAll(fastFigures("PostToolUse", post, how));
    out.addAll(fastFigures("UserPromptSubmit", prompt, how));
    out.add(
        Figure.info(
            "hook PostToolUse in a JVM for scale (java -jar taskq.jar hook), median",
            jvm.medianMillis(),
            "ms",
            String.format(
                "the launcher's java command with its archive and flags; %d runs, p99 %.0f ms",
                jvm.size(), jvm.percentileMillis(99))));
    out.add(slowFigure("SessionStart after /compact, holding a claim", start, how));
    out.add(slowFigure("Stop, holding a claim", stop, how));
    out.add(slowFigure("SessionStart on resume after a crash, holding a claim", resume, how));
    out.addAll(fastFigures("Stop, holding nothing", idleStop, how));
    return out;
  }

  private static List<Figure> fastFigures(String event, Samples s, String how) {
    String note = String.format(how, s.size(), s.percentileMillis(99), s.percentileMillis(100));
    return List.of(
        Figure.atMost(
            "hook " + event + " (installed launcher), spawn → exit p50",
            s.medianMillis(),
            "ms",
            30,
            note),
        Figure.atMost(
            "hook " + event + " (installed launcher), spawn → exit p99",
            s.percentileMillis(99),
            "ms",
            100,
            "the same runs"));
  }

  private static Figure slowFigure(String event, Samples s, String how) {
    return Figure.atMost(
        "hook " + event + ", spawn → exit p50",
        s.medianMillis(),
        "ms",
        500,
        String.format(how, s.size(), s.percentileMillis(99), s.percentileMillis(100)));
  }

  /** The JVM the launcher would exec, answering a fast hook itself. */
  private String jvmCommand(String event) {
    List<String> c = new ArrayList<>();
    c.add(quote(server.launcher().java().toString()));
    if (Files.isRegularFile(server.launcher().archive())) {
      c.add(quote(ServerFlags.archive(server.launcher().archive())));
    }
    ServerFlags.FLAGS.forEach(f -> c.add(quote(f)));
    c.add("-jar");
    c.add(quote(server.launcher().jar().toString()));
    c.add("hook");
    c.add(event);
    return String.join(" ", c) + " || true";
  }

  private Samples run(Path cwd, Map<String, String> env, String command, String payload, int n)
      throws IOException, InterruptedException {
    byte[] json = fixture(payload);
    Samples s = new Samples();
    for (int i = 0; i < Math.max(2, n / 10); i++) {
      once(cwd, env, command, json); // warm the file cache and the archive
    }
    for (int i = 0; i < n; i++) {
      s.add(once(cwd, env, command, json));
    }
    return s;
  }

  private static long once(Path cwd, Map<String, String> env, String command, byte[] json)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).directory(cwd.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    long t0 = System.nanoTime();
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(json);
    } catch (IOException e) {
      // the hook may exit before reading its stdin, as Claude Code allows
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("hook did not exit within 60 s: " + command);
    }
    return System.nanoTime() - t0;
  }

  private static byte[] fixture(String name) {
    try (InputStream in =
        HookFigures.class.getResourceAsStream("/claude/hooks/" + name + ".json")) {
      if (in == null) {
        throw new IllegalStateException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path launcherDir() {
    return Path.of(server.command().get(0)).getParent();
  }

  private static String path() {
    return System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}

package dev.taskq.hooks;

import dev.taskq.core.TaskqException;
import dev.taskq.project.QueueFinder;
import dev.taskq.project.QueueLocation;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code taskq hook <event>}: what Claude Code runs on session events (see {@link HookEvent}). A
 * hook runs inside every session of the project, workers included, so it never gets in the way:
 * whatever goes wrong (stdin that is not JSON, missing fields, no queue, a locked or unreachable
 * store, an event this version does not know), it prints nothing or one short line to stderr and
 * exits 0. It works within its own deadline, well under the timeout Claude Code gives it, and
 * writes nothing but its session's small files. Exit code 2 is never used: the Stop hook blocks
 * with JSON.
 */
public final class Hooks {
  /** What a JVM hook may take, well under the 10 s {@code timeout} taskq init registers. */
  static final Duration DEADLINE = Duration.ofSeconds(4);

  /** Bytes of stdin read at most; the rest (a large tool response) is not needed. */
  static final int MAX_INPUT = 1 << 20;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HookEvent event;
  private final Map<String, String> env;
  private final Path cwd;
  private final Clock clock;
  private final StringBuilder out = new StringBuilder();

  private Hooks(HookEvent event, Map<String, String> env, Path cwd, Clock clock) {
    this.event = event;
    this.env = env;
    this.cwd = cwd;
    this.clock = clock;
  }

  /**
   * Runs the hook {@code name} with Claude Code's JSON on {@code in}; writes what goes into the
   * session to {@code out}. Always returns 0.
   */
  public static int run(
      String name,
      Map<String, String> env,
      Path cwd,
      InputStream in,
      PrintWriter out,
      PrintWriter err,
      Clock clock) {
    if ("off".equalsIgnoreCase(env.getOrDefault("TASKQ_HOOKS", "").strip())) {
      return 0;
    }
    HookEvent event = HookEvent.parse(name);
    if (event == null) {
      err.println(
          "taskq hook: no event "
              + (name == null || name.isBlank() ? "given" : "'" + oneLine(name) + "'")
              + "; this taskq knows "
              + String.join(", ", Arrays.stream(HookEvent.values()).map(HookEvent::wire).toList()));
      err.flush();
      return 0;
    }
    Hooks h = new Hooks(event, env, cwd, clock);
    AtomicReference<String> problem = new AtomicReference<>();
    Thread worker =
        new Thread(
            () -> {
              try {
                h.answer(in);
              } catch (TaskqException e) {
                problem.set(oneLine(e.describe(dev.taskq.core.Audience.PERSON)));
              } catch (RuntimeException | IOException | LinkageError e) {
                problem.set(
                    e.getClass().getSimpleName() + ": " + oneLine(String.valueOf(e.getMessage())));
              }
            },
            "taskq-hook");
    worker.setDaemon(true); // a store that hangs must not keep the process alive
    worker.start();
    try {
      worker.join(deadline(env).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (worker.isAlive()) {
      err.println(
          "taskq hook " + event.wire() + ": gave up after " + deadline(env).toMillis() + " ms");
      return 0;
    }
    if (problem.get() != null) {
      err.println("taskq hook " + event.wire() + ": " + problem.get());
      err.flush();
      return 0;
    }
    if (h.out.length() > 0) {
      out.print(h.out);
      out.flush();
    }
    return 0;
  }

  private static Duration deadline(Map<String, String> env) {
    try {
      long ms = Long.parseLong(env.getOrDefault("TASKQ_HOOK_DEADLINE_MS", "").strip());
      return ms > 0 ? Duration.ofMillis(ms) : DEADLINE;
    } catch (NumberFormatException e) {
      return DEADLINE;
    }
  }

  private void answer(InputStream in) throws IOException {
    switch (event) {
      case PRE_TOOL_USE -> activity("1");
      case POST_TOOL_USE -> activity("0");
      case USER_PROMPT_SUBMIT -> prompt();
      case SESSION_START -> sessionStart(input(in));
      case STOP -> stop(input(in));
      case STOP_FAILURE -> stopFailure(input(in));
    }
  }

  // ------------------------------------------------------------------ fast hooks (hooks.sh does
  // the same)

  /** This session's folder, when its server keeps one; else null. */
  private SessionFiles sessionFiles() {
    String key = SessionKey.ofHook(env);
    QueueLocation q = queue();
    if (key == null || q == null) {
      return null;
    }
    SessionFiles f = SessionFiles.of(q.dir(), key);
    return f.exists() ? f : null;
  }

  private void activity(String running) {
    SessionFiles f = sessionFiles();
    if (f != null) {
      f.writeIfPresent(SessionFiles.ACTIVITY, running);
    }
  }

  private void prompt() {
    SessionFiles f = sessionFiles();
    if (f == null) {
      return;
    }
    String news = f.read(SessionFiles.NEWS);
    String seq = "0";
    if (news != null) {
      int nl = news.indexOf('\n');
      if (nl > 0 && news.substring(0, nl).matches("[0-9]{1,18}")) {
        seq = news.substring(0, nl);
        out.append(news.substring(nl + 1));
      }
    }
    f.writeIfPresent(SessionFiles.PROMPT, seq);
  }

  // ------------------------------------------------------------------ JVM hooks

  private void sessionStart(HookInput input) {
    String source = input.source();
    if (source == null || !Set.of("startup", "resume", "clear", "compact").contains(source)) {
      return; // a fork is a new session: the claims stay with the one it was forked from
    }
    // After /compact or /clear Claude Code and its server stay: the claims are the server's, and it
    // keeps them in the session folder. A new process (startup, resume) has no server yet: the
    // claims of its session's earlier process that died holding them are in that process's folder,
    // which its server could not remove. (Its new server checks each against the store as it takes
    // them back.)
    boolean sameProcess = source.equals("compact") || source.equals("clear");
    List<HeldClaim> found = sameProcess ? keptClaims() : crashedClaims(input);
    if (found == null) {
      try (TaskStore store = openStore()) {
        if (store == null) {
          return;
        }
        found =
            SessionClaims.find(
                store,
                claudePid(),
                SessionClaims.sessionNames(input, env),
                clock.instant(),
                progressDeadline());
      }
    }
    if (found.isEmpty()) {
      return;
    }
    out.append(ClaimReminder.render(found, source, clock.instant()));
    found.stream()
        .filter(HeldClaim::interrupted)
        .map(HeldClaim::holderSession)
        .findFirst()
        .ifPresent(this::askServerToTakeBack);
  }

  /**
   * The claims this session's server holds, from the {@code claims.json} it keeps (none when there
   * is no such file); null when no server keeps a folder for this Claude Code process.
   */
  private List<HeldClaim> keptClaims() {
    SessionFiles f = sessionFiles();
    if (f == null || f.read(SessionFiles.SERVER) == null) {
      return null;
    }
    String json = f.read(SessionFiles.CLAIMS);
    if (json == null) {
      return List.of();
    }
    try {
      return HeldClaim.fromJson(json);
    } catch (RuntimeException e) {
      return null; // half a file cannot be (it is renamed into place); ask the store then
    }
  }

  /**
   * The claims this session held in an earlier Claude Code process that died holding them (its
   * session folder says so), within the progress deadline.
   */
  private List<HeldClaim> crashedClaims(HookInput input) {
    QueueLocation q = queue();
    if (q == null) {
      return List.of();
    }
    Set<String> names = SessionClaims.sessionNames(input, env);
    Instant now = clock.instant();
    List<HeldClaim> out = new ArrayList<>();
    for (SessionFiles f : SessionFiles.crashed(q.dir())) {
      String json = f.read(SessionFiles.CLAIMS);
      if (json == null) {
        continue;
      }
      try {
        for (HeldClaim c : HeldClaim.fromJson(json)) {
          Instant due = c.progressAt() == null ? null : c.progressAt().plus(progressDeadline());
          if (names.contains(c.holderSession()) && (due == null || now.isBefore(due))) {
            out.add(c.interruptedClaim());
          }
        }
      } catch (RuntimeException e) {
        // not a file a server wrote whole: skip it
      }
    }
    return out;
  }

  /** The server starts after SessionStart: leave it word to take the claims back. */
  private void askServerToTakeBack(String session) {
    String key = SessionKey.ofHook(env);
    QueueLocation q = queue();
    if (key == null || q == null) {
      return;
    }
    SessionFiles f = SessionFiles.of(q.dir(), key);
    try {
      f.create();
      f.replace(SessionFiles.RESUME, session + "\n");
    } catch (IOException e) {
      // the claims then end by their lease, as without hooks
    }
  }

  private void stop(HookInput input) throws IOException {
    if (input.flag("stop_hook_active")) {
      return; // the turn goes on because of a Stop hook already: never ask twice in a row
    }
    Instant now = clock.instant();
    List<HeldClaim> held = keptClaims();
    if (held == null) {
      try (TaskStore store = openStore()) {
        if (store == null) {
          return;
        }
        held =
            SessionClaims.find(
                store,
                claudePid(),
                SessionClaims.sessionNames(input, env),
                now,
                progressDeadline());
      }
    }
    held = held.stream().filter(c -> !c.interrupted()).toList();
    if (held.isEmpty()) {
      return;
    }
    SessionFiles files = stopFiles();
    Set<String> asked = new HashSet<>();
    String before = files == null ? null : files.read(SessionFiles.STOP);
    if (before != null) {
      asked.addAll(before.lines().toList());
    }
    StopNudge.Decision d = StopNudge.decide(held, asked, now, nudgeAfter());
    if (d == null) {
      return;
    }
    if (files != null) {
      files.create();
      files.replace(SessionFiles.STOP, String.join("\n", d.states()) + "\n");
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("decision", "block");
    o.put("reason", d.reason());
    out.append(JSON.writeValueAsString(o)).append('\n');
  }

  private SessionFiles stopFiles() {
    String key = SessionKey.ofHook(env);
    QueueLocation q = queue();
    return key == null || q == null ? null : SessionFiles.of(q.dir(), key);
  }

  private void stopFailure(HookInput input) {
    if (!"rate_limit".equals(input.text("error"))) {
      return;
    }
    try (TaskStore store = openStore()) {
      if (store == null) {
        return;
      }
      for (HeldClaim c :
          SessionClaims.find(
              store,
              claudePid(),
              SessionClaims.sessionNames(input, env),
              clock.instant(),
              progressDeadline())) {
        if (!c.interrupted()) {
          store.noteUsageLimit(c.id(), input.text("last_assistant_message"));
        }
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  /** The session's queue, or null when there is none (a hook never creates one). */
  private QueueLocation queue() {
    try {
      QueueLocation q = QueueFinder.forSession(env, cwd);
      return QueueFinder.isQueue(q.dir()) ? q : null;
    } catch (TaskqException e) {
      return null;
    }
  }

  private TaskStore openStore() {
    QueueLocation q = queue();
    return q == null ? null : StoreFactory.open(StoreConfig.fromEnv(q.dir(), env, clock));
  }

  private Duration progressDeadline() {
    try {
      return StoreConfig.fromEnv(Path.of("."), env, clock).progressDeadline();
    } catch (TaskqException e) {
      return StoreConfig.DEFAULT_PROGRESS_DEADLINE;
    }
  }

  /** TASKQ_CHECKPOINT_MINUTES: how stale progress must be for the Stop hook to ask (default 10). */
  private Duration nudgeAfter() {
    try {
      long m = Long.parseLong(env.getOrDefault("TASKQ_CHECKPOINT_MINUTES", "").strip());
      return m >= 0 ? Duration.ofMinutes(m) : StopNudge.DEFAULT_AFTER;
    } catch (NumberFormatException e) {
      return StopNudge.DEFAULT_AFTER;
    }
  }

  private long claudePid() {
    try {
      return Long.parseLong(env.getOrDefault("CLAUDE_PID", "").strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * The event's JSON: stdin, or {@code TASKQ_HOOK_INPUT} when the launcher already read stdin to
   * decide whether a JVM was needed at all.
   */
  private HookInput input(InputStream in) throws IOException {
    String passed = env.get("TASKQ_HOOK_INPUT");
    return HookInput.parse(passed != null ? passed : read(in));
  }

  /**
   * Up to {@link #MAX_INPUT} bytes of stdin. A plain read loop: FileInputStream's readNBytes asks
   * the file for its size and position first, which fails ("Illegal seek") on the socket Claude
   * Code hands a hook as stdin.
   */
  private static String read(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(4096);
    byte[] buf = new byte[8192];
    int n;
    while (b.size() < MAX_INPUT
        && (n = in.read(buf, 0, Math.min(buf.length, MAX_INPUT - b.size()))) > 0) {
      b.write(buf, 0, n);
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  private static String oneLine(String s) {
    String t = s.replaceAll("\\s+", " ").strip();
    return t.length() > 200 ? t.substring(0, 197) + "..." : t;
  }
}

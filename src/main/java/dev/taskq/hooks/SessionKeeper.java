package dev.taskq.hooks;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.Claim;
import dev.taskq.core.Holder;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.Task;
import dev.taskq.core.TaskDetail;
import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskState;
import dev.taskq.core.TaskqException;
import dev.taskq.project.QueueFinder;
import dev.taskq.project.QueueLocation;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The taskq server's side of the hooks, on one daemon thread: it keeps the session folder ({@link
 * SessionFiles}) of the Claude Code process that started it, and
 *
 * <ul>
 *   <li><b>heartbeats</b> this server's claims ({@link TaskStore#heartbeat}) every beat (a fifth of
 *       the lease, at most a minute) in which the session showed a sign of work: a tool call
 *       finished or still running (the tool hooks' {@code activity} file), a prompt, a call to this
 *       server. A Claude Code session without taskq's tool hooks cannot show that, so its claims
 *       are renewed for as long as this server, which lives exactly as long as the session, runs.
 *       Either way the progress deadline still ends a claim that has no checkpoint for too long.
 *   <li>writes the <b>news</b> the UserPromptSubmit hook prints: tasks that finished since the last
 *       prompt, read from the queue's log through the store's change signal (any store).
 *   <li><b>takes back</b> the claims of a resumed session when its SessionStart hook asked ({@code
 *       resume}).
 * </ul>
 *
 * The fast hooks never start a JVM: they read and touch these files from the launcher script, and
 * the store is only ever touched from here.
 */
public final class SessionKeeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionKeeper.class);

  /** How often the folder is looked at (cheap: a few stats). */
  static final Duration LOOK = Duration.ofMillis(500);

  private final Map<String, String> env;
  private final Path cwd;
  private final Clock clock;
  private final Holder holder;
  private final Supplier<TaskStore> open;
  private final Supplier<TaskStore> ifOpen;
  private final Duration lease;
  private final Duration beat;
  private final boolean claudeCode;
  private final Instant started;
  private final News news = new News();
  private final Set<String> finishedHere = ConcurrentHashMap.newKeySet();

  private volatile Thread thread;
  private volatile boolean closed;
  private volatile Instant lastRequest = Instant.EPOCH;
  private volatile SessionFiles files;
  private volatile Path queueDir;
  private long mark;
  private String lastLine;
  private Instant lastBeat;
  private String lastNews;
  private volatile boolean claimsDirty = true;
  private final Map<String, HeldClaim> held = new java.util.LinkedHashMap<>();
  private String lastClaims;

  /**
   * @param open opens the session's store (the server's own, shared)
   * @param ifOpen the store when it is open already, else null
   */
  public SessionKeeper(
      Map<String, String> env,
      Path cwd,
      Clock clock,
      Holder holder,
      Supplier<TaskStore> open,
      Supplier<TaskStore> ifOpen) {
    this.env = env;
    this.cwd = cwd;
    this.clock = clock;
    this.holder = holder;
    this.open = open;
    this.ifOpen = ifOpen;
    this.lease = leaseFrom(env);
    this.beat = beatFor(lease);
    this.claudeCode = "1".equals(env.get("CLAUDECODE"));
    this.started = clock.instant();
    this.lastBeat = started;
  }

  /** A fifth of the lease, between one second and one minute. */
  static Duration beatFor(Duration lease) {
    Duration d = lease.dividedBy(5);
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      return Duration.ofSeconds(1);
    }
    return d.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : d;
  }

  private static Duration progressDeadlineFrom(Map<String, String> env) {
    try {
      return StoreConfig.fromEnv(Path.of("."), env, Clock.systemUTC()).progressDeadline();
    } catch (TaskqException e) {
      return StoreConfig.DEFAULT_PROGRESS_DEADLINE;
    }
  }

  private static Duration leaseFrom(Map<String, String> env) {
    try {
      return StoreConfig.fromEnv(Path.of("."), env, Clock.systemUTC()).lease();
    } catch (TaskqException e) {
      return StoreConfig.DEFAULT_LEASE;
    }
  }

  public synchronized void start() {
    if (closed || thread != null) {
      return;
    }
    Thread t = new Thread(this::run, "taskq-session");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /** A request reached this server: the session is working. */
  public void request() {
    lastRequest = clock.instant();
    if (files == null && !closed) {
      setUp();
    }
    SessionFiles f = files;
    if (f != null && f.modified(SessionFiles.RESUME) != null) {
      // A resumed session's first call may come before the keeper's next look: the claims its
      // SessionStart hook printed back become this server's first, so the call works on them.
      try {
        takeBack(open.get());
      } catch (RuntimeException e) {
        // the call itself goes on and says what is wrong with the store; the keeper tries again
        log.debug("cannot take the resumed session's claims back yet: {}", e.toString());
      }
    }
  }

  /** Tasks this session enqueued, told first among the news. */
  public void enqueued(List<String> ids) {
    news.enqueued(ids);
  }

  /** This session finishes {@code id} itself (or, {@code false}, failed to): no news to tell it. */
  public void finishedHere(String id, boolean yes) {
    if (yes) {
      finishedHere.add(id);
    } else {
      finishedHere.remove(id);
    }
  }

  private void run() {
    try {
      while (!closed) {
        if (files == null && !setUp()) {
          pause(Duration.ofSeconds(2));
          continue;
        }
        step();
      }
    } catch (InterruptedException e) {
      // closing
    } catch (RuntimeException e) {
      log.warn("session keeping stopped: {}", e.toString());
    }
  }

  /** Finds the queue and creates this process's folder; false to try again later. */
  private synchronized boolean setUp() {
    if (files != null) {
      return true;
    }
    String key = SessionKey.ofServer();
    if (key == null) {
      closed = true; // no client process to key on: nothing to keep
      return false;
    }
    QueueLocation where;
    try {
      where = QueueFinder.forSession(env, cwd);
    } catch (TaskqException e) {
      return false; // no queue yet: init may run later
    }
    if (!QueueFinder.isQueue(where.dir()) && !Files.isDirectory(where.dir())) {
      return false;
    }
    SessionFiles f = SessionFiles.of(where.dir(), key);
    try {
      SessionFiles.sweep(where.dir(), progressDeadlineFrom(env), clock.instant());
      f.create();
      f.replace(SessionFiles.SERVER, ProcessHandle.current().pid() + " " + holder.label() + "\n");
    } catch (IOException e) {
      log.debug("cannot keep {}: {}", f.dir(), e.toString());
      return false;
    }
    queueDir = where.dir();
    files = f;
    return true;
  }

  private void step() throws InterruptedException {
    TaskStore s = ifOpen.get();
    boolean hooked = hooked();
    if (s == null && (hooked || files.modified(SessionFiles.RESUME) != null)) {
      try {
        s = open.get();
      } catch (TaskqException e) {
        log.debug("cannot open the queue yet: {}", e.toString());
      }
    }
    if (s == null) {
      pause(LOOK);
      return;
    }
    if (files.modified(SessionFiles.RESUME) != null) {
      try {
        takeBack(s);
      } catch (RuntimeException e) {
        log.debug("cannot take the resumed session's claims back yet: {}", e.toString());
      }
    }
    if (claimsDirty) {
      keepClaims(s, true);
    }
    long now = s.awaitChange(mark, LOOK);
    if (now != mark) {
      mark = now;
      if (hooked) {
        collect(s);
      }
      keepClaims(s, false); // someone may have released, requeued or taken over a claim of ours
    }
    if (hooked) {
      deliver();
    }
    Instant t = clock.instant();
    if (!t.isBefore(lastBeat.plus(beat))) {
      Instant since = lastBeat;
      lastBeat = t;
      if (signOfWork(since)) {
        List<Task> renewed = s.heartbeat(holder);
        if (!renewed.isEmpty()) {
          log.debug("renewed {} claim(s)", renewed.size());
          keepClaims(s, false);
        }
      }
    }
  }

  /**
   * This server claimed a task: {@code claims.json} says so before the reply leaves, so a Stop hook
   * at the end of even the shortest turn sees it. Written from the claim itself, no store read.
   */
  public void claimed(Claim c) {
    Task t = c.task();
    Checkpoint latest = c.resume() == null ? null : c.resume().latest();
    HeldClaim h =
        new HeldClaim(
            t.id(),
            t.title(),
            t.criterion(),
            c.token(),
            c.attempt(),
            t.maxAttempts(),
            c.leaseUntil(),
            t.lease() == null ? null : t.lease().progressAt(),
            holder.session(),
            null,
            false,
            t.checkpoints(),
            latest);
    changeClaims(m -> m.put(h.id(), h));
  }

  /** This server saved a checkpoint: progress, so the Stop hook has nothing to ask for now. */
  public void checkpointed(Checkpoint c) {
    changeClaims(
        m ->
            m.computeIfPresent(
                c.taskId(),
                (id, h) ->
                    new HeldClaim(
                        h.id(),
                        h.title(),
                        h.criterion(),
                        h.token(),
                        h.attempt(),
                        h.maxAttempts(),
                        c.at().plus(lease),
                        c.at(),
                        h.holderSession(),
                        null,
                        false,
                        c.n(),
                        c)));
  }

  /** This server ended its claim on {@code id} (done, failed, released). */
  public void released(String id) {
    changeClaims(m -> m.remove(id));
  }

  private synchronized void changeClaims(java.util.function.Consumer<Map<String, HeldClaim>> edit) {
    edit.accept(held);
    writeClaims();
  }

  /**
   * Writes {@code claims.json} (what Stop and SessionStart read instead of the store) when it
   * changed; removes it when this server holds nothing.
   */
  private synchronized void writeClaims() {
    if (files == null) {
      return; // written once the folder exists
    }
    String text = held.isEmpty() ? null : HeldClaim.toJson(List.copyOf(held.values()));
    if (java.util.Objects.equals(text, lastClaims)) {
      return;
    }
    try {
      if (text == null) {
        files.delete(SessionFiles.CLAIMS);
      } else {
        files.replace(SessionFiles.CLAIMS, text);
      }
      lastClaims = text;
    } catch (IOException e) {
      log.debug("cannot write {}: {}", SessionFiles.CLAIMS, e.toString());
    }
  }

  /**
   * Reads this server's claims back from the store: what others did to them (released, requeued,
   * taken over after expiry) and the leases heartbeats moved. {@code all}: look through every claim
   * in the queue (after a take-over); else only the ones it holds, as new claims come only by its
   * own hand.
   */
  private synchronized void keepClaims(TaskStore s, boolean all) {
    if (all) {
      claimsDirty = false;
    }
    List<String> ids = new ArrayList<>();
    if (all) {
      for (TaskRow r : s.list(new QueueQuery(TaskState.IN_PROGRESS, null, 0, 10_000)).rows()) {
        if (holder.label().equals(r.holder())) {
          ids.add(r.id());
        }
      }
    } else {
      ids.addAll(held.keySet());
    }
    Map<String, HeldClaim> now = new java.util.LinkedHashMap<>();
    for (String id : ids) {
      try {
        TaskDetail d = s.get(id);
        Task t = d.task();
        if (t.state() == TaskState.IN_PROGRESS
            && t.lease() != null
            && t.lease().holder().sameProcess(holder)) {
          now.put(id, HeldClaim.of(d, false));
        }
      } catch (TaskqException e) {
        // gone meanwhile: not ours any more
      }
    }
    held.clear();
    held.putAll(now);
    writeClaims();
  }

  /** The session has taskq's hooks: a hook wrote its activity or prompt file. */
  private boolean hooked() {
    return files.modified(SessionFiles.ACTIVITY) != null
        || files.modified(SessionFiles.PROMPT) != null;
  }

  /**
   * Whether the session showed it is working since {@code since}. Without the tool hooks there is
   * no way to tell: in a Claude Code session ({@code CLAUDECODE=1}) the server lives exactly as
   * long as the session, so its own life is the sign; another client only shows it by its calls.
   */
  boolean signOfWork(Instant since) {
    FileTime activity = files.modified(SessionFiles.ACTIVITY);
    if (activity == null) {
      return claudeCode || !lastRequest.isBefore(since);
    }
    if (activity.toInstant().isAfter(since)
        || "1".equals(strip(files.read(SessionFiles.ACTIVITY)))) {
      return true; // a tool finished since, or one is running (a long build, a subagent)
    }
    FileTime prompt = files.modified(SessionFiles.PROMPT);
    return prompt != null && prompt.toInstant().isAfter(since) || !lastRequest.isBefore(since);
  }

  private synchronized void takeBack(TaskStore s) {
    String asked = strip(files.read(SessionFiles.RESUME));
    if (asked == null) {
      return; // taken back already
    }
    // The hook of this very Claude Code process (the folder is keyed by its pid) saw it resume
    // session `asked`: this server takes that session's claims over, whatever session id it was
    // started with (Claude Code may start its servers before the resumed id is set, and a session
    // resumed inside a running Claude Code keeps the servers it had). The word is removed only
    // once done: a store that fails now is asked again at the next look.
    List<Task> taken = s.resumeSession(asked, holder);
    files.delete(SessionFiles.RESUME);
    // The crashed process's folder said what to take back; now this server holds what is left.
    for (SessionFiles f : SessionFiles.crashed(queueDir)) {
      String json = f.read(SessionFiles.CLAIMS);
      try {
        if (json != null
            && HeldClaim.fromJson(json).stream()
                .allMatch(c -> holder.session().equals(c.holderSession()))) {
          f.deleteAll();
        }
      } catch (RuntimeException e) {
        // not one a server wrote whole: the sweep removes it in time
      }
    }
    if (!taken.isEmpty()) {
      log.info("took back {} claim(s) of resumed session {}", taken.size(), asked);
      keepClaims(s, true);
    }
  }

  /** Reads the log lines written since the last look and notes the tasks that finished. */
  private void collect(TaskStore s) {
    List<String> tail = s.tailLog(500);
    int from = 0;
    if (lastLine != null) {
      int at = tail.lastIndexOf(lastLine);
      from = at < 0 ? 0 : at + 1;
    }
    if (!tail.isEmpty()) {
      lastLine = tail.get(tail.size() - 1);
    }
    for (String line : tail.subList(from, tail.size())) {
      News.Finished f = News.finished(line);
      if (f == null || before(f.at(), started)) {
        continue; // finished before this session's server started
      }
      if (finishedHere.remove(f.id())) {
        continue;
      }
      news.add(f.id(), f.done(), line(s, f));
    }
  }

  private static boolean before(String stamp, Instant t) {
    try {
      return Instant.parse(stamp).isBefore(t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    } catch (RuntimeException e) {
      return true;
    }
  }

  private String line(TaskStore s, News.Finished f) {
    String state = f.done() ? TaskState.COMPLETED.folder() : TaskState.FAILED.folder();
    Path file = queueDir.resolve(state).resolve(f.id() + ".md");
    String where = Files.isRegularFile(file) ? shown(file) : "taskq://tasks/" + f.id();
    if (f.done()) {
      return "DONE: " + f.id() + " — result in " + where;
    }
    String why = "";
    try {
      Task t = s.get(f.id()).task();
      why = t.reason() == null ? "" : ClaimReminder.oneLine(t.reason(), 160) + "; ";
    } catch (TaskqException e) {
      // gone meanwhile: the line still says it failed
    }
    return "FAILED: " + f.id() + " — " + why + "see " + where;
  }

  /** A path as a person in the project reads it: relative to the project, else the queue label. */
  private String shown(Path file) {
    String project = env.get("CLAUDE_PROJECT_DIR");
    Path base = project == null || project.isBlank() ? cwd : cwd.resolve(project);
    Path f = file.toAbsolutePath().normalize();
    Path b = base.toAbsolutePath().normalize();
    return f.startsWith(b) ? b.relativize(f).toString() : QueueFinder.label(f, env);
  }

  /** Drops what the last prompt showed and rewrites the news file when it changed. */
  private void deliver() {
    String ack = strip(files.read(SessionFiles.PROMPT));
    if (ack != null && ack.matches("[0-9]{1,18}")) {
      news.acknowledge(Long.parseLong(ack));
    }
    String text = news.render();
    if (java.util.Objects.equals(text, lastNews)) {
      return;
    }
    try {
      if (text == null) {
        files.delete(SessionFiles.NEWS);
      } else {
        files.replace(SessionFiles.NEWS, text);
      }
      lastNews = text;
    } catch (IOException e) {
      log.debug("cannot write the news: {}", e.toString());
    }
  }

  private static String strip(String s) {
    return s == null ? null : s.strip();
  }

  private void pause(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis());
  }

  /**
   * Stops the thread and removes the session folder: hooks of a session without a server do
   * nothing.
   */
  @Override
  public void close() {
    closed = true;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    SessionFiles f = files;
    if (f != null) {
      f.deleteAll();
    }
  }
}

package dev.taskq.cli;

import dev.taskq.core.Audience;
import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskState;
import dev.taskq.core.TaskqException;
import dev.taskq.project.QueueLocation;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import dev.taskq.workers.ClaudeExecutable;
import dev.taskq.workers.PoolFiles;
import dev.taskq.workers.PoolState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code taskq doctor}: the things that make a queue misbehave, each as one line with what to do.
 * Exit 1 when something is broken; warnings alone exit 0.
 */
final class Doctor {
  enum Level {
    ok,
    info,
    warn,
    fail
  }

  record Finding(Level level, String text) {}

  private final CliContext ctx;
  private final Supplier<QueueLocation> finder;
  private final List<Finding> findings = new ArrayList<>();
  private final String databaseUrl;
  private QueueLocation where;
  private Path queue;

  /** {@code finder} finds the queue, or throws the one-line error saying where it looked. */
  Doctor(CliContext ctx, Supplier<QueueLocation> finder) {
    this(ctx, finder, null);
  }

  /** With {@code databaseUrl} (not null): check that database instead of TASKQ_DATABASE_URL's. */
  Doctor(CliContext ctx, Supplier<QueueLocation> finder, String databaseUrl) {
    this.ctx = ctx;
    this.finder = finder;
    this.databaseUrl = databaseUrl;
  }

  int run() {
    java();
    if (found()) {
      StoreConfig config = storeConfig();
      if (config != null && config.usesDatabase()) {
        databaseChecks(config);
      } else if (config != null && queueFolder()) {
        storeChecks();
      }
    }
    mcpJsonSecrets();
    findings.addAll(new InstallCheck(ctx.env()).findings());
    findings.addAll(new RegistrationCheck(ctx.cwd()).findings());
    claude();
    return report();
  }

  /** The claude that `taskq workers` would run; only the pool needs it, so missing is info. */
  private void claude() {
    try {
      ClaudeExecutable c = ClaudeExecutable.find(null, ctx.env(), ctx.cwd());
      add(Level.ok, "claude " + c.version() + " at " + c.path() + " (used by taskq workers)");
    } catch (TaskqException e) {
      add(Level.info, e.getMessage() + " (only taskq workers needs it; " + e.hint() + ")");
    }
    String pool =
        queue == null
            ? null
            : WorkersText.summary(PoolState.read(new PoolFiles(queue)), ctx.clock().instant());
    if (pool != null) {
      add(Level.info, pool);
    }
  }

  private void java() {
    Runtime.Version v = Runtime.version();
    String where = "Java " + v + " at " + System.getProperty("java.home");
    add(
        v.feature() >= 17 ? Level.ok : Level.fail,
        v.feature() >= 17 ? where : where + ": taskq needs 17+");
  }

  private boolean found() {
    try {
      where = finder.get();
      queue = where.dir();
      String how =
          switch (where.source()) {
            case OPTION -> " (named by --dir)";
            case TASKQ_DIR -> " (named by TASKQ_DIR)";
            case FOUND -> "";
            case WORKTREE -> " (the main checkout's queue, shared by its git worktrees)";
          };
      add(Level.info, "queue " + where.label() + how);
      return true;
    } catch (TaskqException e) {
      add(Level.fail, e.getMessage() + ": " + e.hint(Audience.PERSON));
      return false;
    }
  }

  private boolean queueFolder() {
    if (!Files.isDirectory(queue.resolve("pending"))) {
      add(
          Level.fail,
          "no queue at " + queue + ": run `taskq init` in your project, or set TASKQ_DIR");
      return false;
    }
    try {
      Path probe = Files.createTempFile(queue, ".doctor-", ".tmp");
      Files.delete(probe);
      add(Level.ok, "queue " + where.label() + " is writable");
      return true;
    } catch (IOException e) {
      add(
          Level.fail,
          "queue " + queue + " is not writable (" + e.getMessage() + "): fix its permissions");
      return false;
    }
  }

  /** The queue's store settings, or null (a fail line said why: say, TASKQ_DATABASE_URL unset). */
  private StoreConfig storeConfig() {
    try {
      Map<String, String> env = ctx.env();
      if (databaseUrl != null) {
        env = new HashMap<>(env);
        env.put(StoreConfig.URL_VARIABLE, databaseUrl);
      }
      return StoreConfig.fromEnv(queue, env, ctx.clock());
    } catch (TaskqException e) {
      add(Level.fail, e.getMessage() + ": " + e.hint(Audience.PERSON));
      return null;
    }
  }

  /**
   * The queue in PostgreSQL: where (never the password), whether the database answers and holds
   * taskq's schema, the claims, and the machine-local folder the sessions still use.
   */
  private void databaseChecks(StoreConfig config) {
    add(
        Level.info,
        "queue kept in PostgreSQL "
            + config.database().redacted()
            + ", schema "
            + config.schema()
            + ", queue "
            + config.queue());
    try (TaskStore store = StoreFactory.open(config)) {
      QueuePage p = store.list(QueueQuery.firstPage(1));
      int total = 0;
      for (TaskState s : TaskState.values()) {
        total += p.count(s);
      }
      add(Level.ok, "database reachable, schema ready; " + total + " task(s) in the queue");
      claims(store);
    } catch (TaskqException e) {
      add(Level.fail, e.getMessage() + ": " + e.hint(Audience.PERSON));
    }
    Path local = queue.resolve(".taskq");
    try {
      Files.createDirectories(local);
      Path probe = Files.createTempFile(local, ".doctor-", ".tmp");
      Files.delete(probe);
      add(Level.ok, "machine-local state " + where.label() + "/.taskq is writable");
    } catch (IOException e) {
      add(
          Level.fail,
          local + " is not writable (" + e.getMessage() + "): sessions keep their state there");
    }
  }

  /** A database password written into .mcp.json (a file meant for git) is a leak. */
  private void mcpJsonSecrets() {
    Path mcp = ctx.cwd().resolve(".mcp.json");
    try {
      if (Files.isRegularFile(mcp) && PASSWORD_IN_URL.matcher(Files.readString(mcp)).find()) {
        add(
            Level.warn,
            ".mcp.json holds a database URL with a password (a file meant for git): write \""
                + StoreConfig.URL_VARIABLE
                + "\": \""
                + Registration.DATABASE_URL_REFERENCE
                + "\" there (taskq init --database-url does) and keep the password in"
                + " ~/.pgpass");
      }
    } catch (IOException e) {
      // RegistrationCheck reports an unreadable .mcp.json
    }
  }

  private static final Pattern PASSWORD_IN_URL =
      Pattern.compile("postgres(?:ql)?://[^/@\\s\":]+:[^/@\\s\"]+@|[?&]password=");

  private void storeChecks() {
    try (TaskStore store = StoreOpener.open(ctx, where)) {
      List<String> warnings = store.warnings();
      warnings.forEach(w -> add(Level.warn, w));
      if (warnings.isEmpty()) {
        add(Level.ok, store.describe());
      }
      claims(store);
      stuck(store);
      QueuePage p = store.list(QueueQuery.firstPage(1));
      if (p.unreadable().isEmpty()) {
        add(Level.ok, "no corrupt task files");
      }
      p.unreadable()
          .forEach(
              c ->
                  add(
                      Level.warn,
                      "corrupt "
                          + c.where()
                          + ": "
                          + c.reason()
                          + " (never claimed; fix the front matter or move the file out)"));
    }
  }

  /**
   * Claims that are over but not taken back yet: the lease ran out, or the holder's process is
   * gone. Reading the queue never ends them (a slow holder may still finish), so the doctor only
   * says so; the next claim takes such a task back.
   */
  private void claims(TaskStore store) {
    QueuePage p = store.list(new QueueQuery(TaskState.IN_PROGRESS, null, 0, 10_000));
    List<String> expired = new ArrayList<>();
    List<String> orphaned = new ArrayList<>();
    for (TaskRow r : p.rows()) {
      if ("lease expired".equals(r.claimEnded())) {
        expired.add(r.id());
      } else if (r.claimEnded() != null) {
        orphaned.add(r.id());
      }
    }
    String fix =
        " (their holders can still finish them; the next claim takes them back, or run"
            + " `taskq release ID`)";
    if (!expired.isEmpty()) {
      add(Level.warn, expired.size() + " claim(s) past their lease: " + names(expired) + fix);
    }
    if (!orphaned.isEmpty()) {
      add(
          Level.warn,
          orphaned.size() + " claim(s) whose session process is gone: " + names(orphaned) + fix);
    }
    if (expired.isEmpty() && orphaned.isEmpty()) {
      add(Level.ok, p.rows().size() + " live claim(s), none stale");
    }
  }

  /** Pending tasks that can never run as things stand (what they wait for failed or is missing). */
  private void stuck(TaskStore store) {
    QueuePage p = store.list(new QueueQuery(TaskState.PENDING, null, 0, 10_000));
    int n = 0;
    for (TaskRow r : p.rows()) {
      if (r.stuck() != null) {
        if (n++ < 5) {
          add(Level.warn, "stuck " + r.id() + ": " + r.stuck());
        }
      }
    }
    if (n > 5) {
      add(Level.warn, (n - 5) + " more stuck task(s): see taskq status");
    }
  }

  private static String names(List<String> ids) {
    return ids.size() <= 5 ? String.join(", ", ids) : String.join(", ", ids.subList(0, 5)) + ", …";
  }

  private int report() {
    ctx.out().println("taskq doctor");
    Style s = ctx.style();
    int warn = 0;
    int fail = 0;
    for (Finding f : findings) {
      String tag = HumanFormat.pad(f.level().name(), 5);
      tag =
          switch (f.level()) {
            case ok -> s.green(tag);
            case warn -> s.yellow(tag);
            case fail -> s.red(tag);
            case info -> s.dim(tag);
          };
      ctx.out().println("  " + tag + " " + f.text());
      warn += f.level() == Level.warn ? 1 : 0;
      fail += f.level() == Level.fail ? 1 : 0;
    }
    ctx.out().println(fail + " problem(s), " + warn + " warning(s)");
    return fail > 0 ? 1 : 0;
  }

  private void add(Level level, String text) {
    findings.add(new Finding(level, text));
  }
}

package dev.taskq.cli;

import dev.taskq.core.Audience;
import dev.taskq.core.EnqueueResult;
import dev.taskq.core.Limits;
import dev.taskq.core.NewTask;
import dev.taskq.core.Task;
import dev.taskq.core.TaskDetail;
import dev.taskq.core.TaskqException;
import dev.taskq.hooks.Hooks;
import dev.taskq.mcp.TaskqServer;
import dev.taskq.project.QueueFinder;
import dev.taskq.project.QueueLocation;
import dev.taskq.store.QueueSnapshot;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import dev.taskq.workers.PoolFiles;
import dev.taskq.workers.PoolState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The taskq command line. Each subcommand is a method that hands over to a small class. */
@Command(
    name = "taskq",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = VersionLines.class,
    description = "A durable task queue for Claude Code sessions: plain Markdown files in tasks/.",
    footer = {"", "Exit codes: 0 success, 1 failure, 2 usage error."})
public final class TaskqCommand implements Runnable {
  private final CliContext ctx;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description =
          "Queue directory (default: $TASKQ_DIR, else the nearest tasks/ set up by `taskq init`"
              + " in this folder or above; in a git worktree, the main checkout's).")
  Path dir;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  boolean verbose;

  @Spec CommandSpec spec;

  private QueueLocation queue;

  public TaskqCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  /** Without a subcommand: a usage error that lists the commands. */
  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "missing command: one of " + String.join(", ", spec.subcommands().keySet()));
  }

  @Command(
      name = "init",
      description = "Set this project up: tasks/, .mcp.json, CLAUDE.md, Claude Code hooks.")
  int init(
      @Option(
              names = "--scope",
              defaultValue = "project",
              paramLabel = "project|local",
              description =
                  "project: .mcp.json and CLAUDE.md (shared); local: CLAUDE.local.md and a"
                      + " `claude mcp add --scope local` line to run (default: ${DEFAULT-VALUE}).")
          ProjectInit.Scope scope,
      @Option(
              names = "--database-url",
              paramLabel = "URL",
              description =
                  "Keep the queue in PostgreSQL (postgresql://USER@HOST:5432/DATABASE) for agents"
                      + " on many machines. Checked now; written nowhere: every machine sets"
                      + " TASKQ_DATABASE_URL itself.")
          String databaseUrl,
      @Option(
              names = "--queue",
              paramLabel = "NAME",
              description =
                  "The queue's name in the database (default: the project folder's name).")
          String queueName,
      @Option(
              names = "--schema",
              paramLabel = "NAME",
              description = "The database schema for taskq's tables (default: taskq).")
          String schema,
      @Option(
              names = "--no-hooks",
              description =
                  "Do not register taskq's Claude Code hooks in .claude/settings.json"
                      + " (settings.local.json with --scope local).")
          boolean noHooks) {
    ProjectInit.run(
        ctx, dir != null ? queue() : null, scope, databaseUrl, queueName, schema, !noHooks);
    return 0;
  }

  @Command(
      name = "install",
      description = {
        "Install this taskq for you: ~/.local/share/taskq/<version>/ and ~/.local/bin/taskq.",
        "Running it again changes nothing; a newer version's install is the upgrade."
      })
  int install(
      @Option(
              names = "--no-archive",
              description =
                  "Skip making the start-up archive (servers then start about twice as slowly).")
          boolean noArchive) {
    UserInstall.run(ctx, !noArchive);
    return 0;
  }

  @Command(name = "status", description = "The queue at a glance.")
  int status(
      @Option(names = "--json", description = "JSON for scripts.") boolean json,
      @Option(
              names = {"-w", "--watch"},
              description = "Redraw until Ctrl-C.")
          boolean watch,
      @Option(
              names = "--interval",
              defaultValue = "2",
              paramLabel = "SECONDS",
              description = "Seconds between redraws with --watch (default: ${DEFAULT-VALUE}).")
          int interval,
      @Option(
              names = "--limit",
              defaultValue = "20",
              paramLabel = "N",
              description = "Rows per section (default: ${DEFAULT-VALUE}).")
          int limit,
      @Option(
              names = {"-l", "--lane"},
              paramLabel = "LANE",
              description = "Only the tasks of this lane.")
          String lane) {
    if (interval < 1) {
      throw TaskqException.invalid("--interval", "must be 1 or more seconds");
    }
    if (limit < 1 || limit > 10_000) {
      throw TaskqException.invalid("--limit", "must be between 1 and 10000");
    }
    try (TaskStore store = openExisting()) {
      StatusScreen screen = new StatusScreen(ctx, store, queue(), json, limit, lane);
      if (watch) {
        screen.watch(Duration.ofSeconds(interval));
      } else {
        screen.once();
      }
    }
    return 0;
  }

  @Command(name = "add", description = "Put a task on the queue.")
  int add(
      @Parameters(arity = "1..*", paramLabel = "TITLE", description = "One line; words are joined.")
          List<String> title,
      @Option(
              names = {"-c", "--criterion"},
              required = true,
              paramLabel = "TEXT",
              description = "How to tell the task is done.")
          String criterion,
      @Option(
              names = {"-i", "--instructions"},
              paramLabel = "TEXT")
          String instructions,
      @Option(
              names = "--instructions-file",
              paramLabel = "FILE",
              description = "Instructions from a UTF-8 text file; - reads standard input.")
          String instructionsFile,
      @Option(
              names = {"-l", "--lane"},
              paramLabel = "LANE")
          String lane,
      @Option(
              names = {"-p", "--priority"},
              defaultValue = "0",
              paramLabel = "N")
          int priority,
      @Option(names = "--after", arity = "1..*", split = ",", paramLabel = "ID") List<String> after,
      @Option(names = "--id", paramLabel = "ID") String id,
      @Option(names = "--max-attempts", paramLabel = "N") Integer maxAttempts) {
    if (instructions != null && instructionsFile != null) {
      throw new ParameterException(
          spec.subcommands().get("add"), "give --instructions or --instructions-file, not both");
    }
    String text =
        instructionsFile == null ? instructions : InstructionsFile.read(ctx, instructionsFile);
    NewTask task =
        new NewTask(
            id,
            String.join(" ", title),
            criterion,
            text,
            lane,
            priority,
            after,
            maxAttempts == null ? Limits.DEFAULT_MAX_ATTEMPTS : maxAttempts,
            null);
    try (TaskStore store = open()) {
      EnqueueResult r = enqueueOne(store, task);
      Task t = r.task();
      String waits = t.after().isEmpty() ? "" : " (after " + String.join(", ", t.after()) + ")";
      ctx.out().println("added " + t.id() + ": " + t.title() + waits);
    }
    return 0;
  }

  /**
   * The store names fields as an enqueue call's ({@code tasks[0].after[1]}); a person typed an
   * option, so the error names the option instead.
   */
  private static EnqueueResult enqueueOne(TaskStore store, NewTask task) {
    try {
      return store.enqueue(task);
    } catch (TaskqException e) {
      String field = e.field();
      if (field == null || !field.startsWith("tasks[0].")) {
        throw e;
      }
      String option = "--" + field.substring("tasks[0].".length()).replaceFirst("\\[.*$", "");
      throw new TaskqException(
          e.code(),
          option,
          option + e.getMessage().substring(field.length()),
          e.hint(Audience.MODEL),
          e.hint(Audience.PERSON),
          e);
    }
  }

  @Command(name = "show", description = "One task in full: checkpoints, result, what it waits for.")
  int show(
      @Parameters(paramLabel = "ID") String id,
      @Option(names = "--json", description = "JSON for scripts.") boolean json) {
    try (TaskStore store = openExisting()) {
      TaskDetail d = store.get(id);
      ctx.out()
          .print(
              json
                  ? TaskJson.render(d, taskFiles(), ctx.clock().instant())
                  : TaskText.render(d, taskFiles(), ctx.clock().instant(), ctx.style()));
    }
    return 0;
  }

  @Command(
      name = "wait",
      description = {
        "Wait until tasks are completed or failed, then print one line per task.",
        "Run it in the background from Claude Code (run_in_background) to be told when work ends."
      },
      footer = {"", "Exit codes: 0 all done, 1 any failed or stuck, 2 usage error, 124 timed out."})
  int waitFor(
      @Parameters(
              arity = "0..*",
              paramLabel = "ID",
              description = "Tasks to wait for (default: every task not finished now).")
          List<String> ids,
      @Option(
              names = {"-l", "--lane"},
              paramLabel = "LANE",
              description = "Only the unfinished tasks of this lane.")
          String lane,
      @Option(
              names = {"-t", "--timeout"},
              paramLabel = "DURATION",
              description = "Give up after this long, e.g. 90s, 30m, 1h30m (default: no limit).")
          String timeout)
      throws InterruptedException {
    Path queue = taskFiles();
    try (TaskStore store = openExisting()) {
      Waiter w =
          new Waiter(
              store,
              queue,
              ctx.out(),
              // the pool's state lives under the queue folder on every store, PostgreSQL too
              () -> PoolState.read(new PoolFiles(queue().dir())),
              ctx.clock());
      List<String> awaited;
      Duration limit;
      try {
        limit = timeout == null ? null : DurationText.parse("--timeout", timeout);
        awaited = w.awaited(ids, lane);
      } catch (TaskqException e) {
        throw new ParameterException(spec.subcommands().get("wait"), e.getMessage());
      }
      return w.run(awaited, limit);
    }
  }

  @Command(name = "log", description = "The latest lines of log.txt.")
  int log(
      @Option(
              names = "-n",
              defaultValue = "20",
              paramLabel = "N",
              description = "Lines (default: ${DEFAULT-VALUE}).")
          int lines,
      @Option(
              names = {"-f", "--follow"},
              description = "Keep printing new lines until Ctrl-C.")
          boolean follow) {
    if (lines < 0 || lines > 100_000) {
      throw TaskqException.invalid("-n", "must be between 0 and 100000");
    }
    Path queue = taskFiles();
    try (TaskStore store = openExisting()) {
      if (!follow) {
        store.tailLog(lines).forEach(ctx.out()::println);
        return 0;
      }
      if (queue == null) {
        new StoreLogFollower(store, ctx.out()).follow(lines);
        return 0;
      }
    }
    new LogFollower(queue.resolve("log.txt"), ctx.out()).follow(lines, Duration.ofMillis(250));
    return 0;
  }

  @Command(
      name = "requeue",
      description = "Put a failed or stuck task back in pending, attempts reset.")
  int requeue(@Parameters(paramLabel = "ID") String id) {
    try (TaskStore store = openExisting()) {
      Task t = store.requeue(id);
      ctx.out()
          .println("requeued " + t.id() + ": pending again with " + t.maxAttempts() + " attempts");
    }
    return 0;
  }

  @Command(name = "release", description = "End a task's claim now; its holder is fenced.")
  int release(@Parameters(paramLabel = "ID") String id) {
    try (TaskStore store = openExisting()) {
      Task t = store.forceRelease(id);
      ctx.out()
          .println(
              "released " + t.id() + ": back in pending; the old holder's next call gets FENCED");
    }
    return 0;
  }

  @Command(
      name = "cancel",
      description =
          "Cancel a task: it ends in failed (outcome cancelled) and is never claimed again;"
              + " a holder's next call gets FENCED. `taskq requeue ID` brings it back.")
  int cancel(
      @Parameters(paramLabel = "ID") String id,
      @Option(names = "--reason", paramLabel = "TEXT", description = "Why; goes into the log.")
          String reason) {
    try (TaskStore store = openExisting()) {
      boolean held = store.get(id).task().isClaimed();
      Task t = store.cancel(id, person(), reason);
      ctx.out()
          .println(
              "cancelled "
                  + t.id()
                  + ": in failed, never claimed again"
                  + (held ? "; its holder's next call gets FENCED" : ""));
    }
    return 0;
  }

  @Command(
      name = "priority",
      description = "Change a task's priority: higher is claimed first (-1000 to 1000).")
  int priority(
      @Parameters(index = "0", paramLabel = "ID") String id,
      @Parameters(index = "1", paramLabel = "N", description = "The new priority.") int priority) {
    try (TaskStore store = openExisting()) {
      int before = store.get(id).task().priority();
      Task t = store.setPriority(id, priority, person());
      ctx.out()
          .println(
              before == t.priority()
                  ? "priority of " + t.id() + " is already " + t.priority()
                  : "priority of " + t.id() + ": " + before + " → " + t.priority());
    }
    return 0;
  }

  /** Who a person's change is logged as: the login name, else "a person". */
  private String person() {
    String user = ctx.env().get("USER");
    return user == null || user.isBlank() ? "a person" : user.strip();
  }

  @Command(
      name = "export",
      description =
          "Write the queue as Markdown files into DIR (pending/, completed/, …, log.txt) for"
              + " people to read: a queue kept in PostgreSQL, as it is now.")
  int exportQueue(@Parameters(paramLabel = "DIR", description = "A new or empty folder.") Path to) {
    StoreConfig config = StoreOpener.config(ctx, queue());
    Path target = ctx.cwd().resolve(to).toAbsolutePath().normalize();
    QueueSnapshot s = StoreFactory.exportQueue(config, target);
    ctx.out().println("exported " + s.describe() + " to " + target);
    return 0;
  }

  @Command(
      name = "import",
      description = {
        "Move the file queue in DIR into this project's PostgreSQL queue, all or nothing.",
        "The queue must be empty; the files stay as they are (delete them once you are sure)."
      })
  int importQueue(
      @Parameters(paramLabel = "DIR", description = "A file queue: the folder with pending/.")
          Path from) {
    StoreConfig config = StoreOpener.config(ctx, queue());
    Path source = ctx.cwd().resolve(from).toAbsolutePath().normalize();
    QueueSnapshot s = StoreFactory.importQueue(source, config);
    ctx.out()
        .println(
            "imported "
                + s.describe()
                + " from "
                + source
                + " into queue "
                + config.queue()
                + " ("
                + config.database().redacted()
                + ")");
    return 0;
  }

  @Command(
      name = "doctor",
      description = "Check Java, the queue (folder or database), leases and files.")
  int doctor(
      @Option(
              names = "--database-url",
              paramLabel = "URL",
              description = "Check this PostgreSQL database instead of $TASKQ_DATABASE_URL's.")
          String databaseUrl) {
    return new Doctor(ctx, () -> queue(), databaseUrl).run();
  }

  @Command(
      name = "dashboard",
      description =
          "The queue and its workers live in your browser, with add, requeue, release, cancel"
              + " and priority."
              + " Serves on 127.0.0.1 only and prints a URL that carries a secret.")
  int dashboard(
      @Option(
              names = "--port",
              defaultValue = "0",
              paramLabel = "PORT",
              description = "Port to listen on (default: a free one).")
          int port,
      @Option(names = "--no-open", description = "Print the URL only; do not open a browser.")
          boolean noOpen,
      @Option(
              names = "--bind",
              paramLabel = "ADDR",
              description =
                  "Listen on ADDR instead of 127.0.0.1, e.g. 0.0.0.0: reachable from other"
                      + " machines, unencrypted (a warning is printed).")
          String bind) {
    try (TaskStore store = openExisting()) {
      return DashboardVerb.run(ctx, queue().dir(), store, port, !noOpen, bind, person());
    }
  }

  @Command(
      name = "hook",
      description =
          "What Claude Code runs on session events (taskq init registers them in"
              + " .claude/settings.json): reads the event's JSON on stdin, always exits 0.")
  int hook(
      @Parameters(
              paramLabel = "EVENT",
              arity = "0..1",
              description =
                  "session-start, user-prompt-submit, pre-tool-use, post-tool-use, stop or"
                      + " stop-failure")
          String event) {
    return Hooks.run(event, ctx.env(), ctx.cwd(), ctx.in(), ctx.out(), ctx.err(), ctx.clock());
  }

  @Command(
      name = "serve",
      description = "Run the MCP server on stdin/stdout (what Claude Code starts for a session).")
  int serve() {
    Map<String, String> env = new HashMap<>(ctx.env());
    if (dir != null) {
      env.put("TASKQ_DIR", queue().dir().toString());
    }
    return TaskqServer.serve(env, ctx.cwd(), ctx.in(), ctx.stdout(), ctx.clock());
  }

  /**
   * The queue this command works on: --dir, else TASKQ_DIR, else the nearest one set up at or above
   * the working directory; the same one answer for every command.
   */
  QueueLocation queue() {
    if (queue == null) {
      queue = QueueFinder.forCommand(ctx.env(), ctx.cwd(), dir);
    }
    return queue;
  }

  boolean verbose() {
    return verbose;
  }

  /** The folder of the task files, or null when the queue is in a database. */
  private Path taskFiles() {
    return StoreOpener.taskFiles(ctx, queue());
  }

  private TaskStore open() {
    return StoreOpener.open(ctx, queue());
  }

  private TaskStore openExisting() {
    return StoreOpener.openExisting(ctx, queue());
  }
}

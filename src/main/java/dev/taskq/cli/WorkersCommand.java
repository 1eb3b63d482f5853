package dev.taskq.cli;

import dev.taskq.core.TaskqException;
import dev.taskq.store.TaskStore;
import dev.taskq.workers.ClaudeExecutable;
import dev.taskq.workers.PoolConfig;
import dev.taskq.workers.PoolFiles;
import dev.taskq.workers.PoolLauncher;
import dev.taskq.workers.PoolState;
import dev.taskq.workers.QueueLook;
import dev.taskq.workers.Supervisor;
import dev.taskq.workers.SupervisorLock;
import dev.taskq.workers.WorkerLaunch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/** {@code taskq workers start|status|logs|stop}: background Claude Code workers on this queue. */
@Command(
    name = "workers",
    description = "Run headless Claude Code workers on this queue in the background.",
    subcommands = {})
final class WorkersCommand implements Runnable {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int CLAIMABLE_SHOWN = 1_000;

  private final CliContext ctx;
  private final TaskqCommand root;

  @Spec CommandSpec spec;

  WorkersCommand(CliContext ctx, TaskqCommand root) {
    this.ctx = ctx;
    this.root = root;
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "missing command: one of "
            + String.join(
                ", ",
                spec.subcommands().entrySet().stream()
                    .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
                    .map(e -> e.getKey())
                    .toList()));
  }

  @Command(
      name = "start",
      description = {
        "Start a supervisor that runs up to N claude workers while claimable work exists, and"
            + " return at once. It outlives this terminal and the Claude Code session that ran it.",
        "A second start raises N."
      })
  int start(
      @Option(
              names = {"-n", "--workers"},
              defaultValue = "3",
              paramLabel = "N",
              description = "At most this many workers at once (default: ${DEFAULT-VALUE}).")
          int workers,
      @Option(
              names = {"-l", "--lane"},
              paramLabel = "LANE",
              description = "Only tasks of this lane.")
          String lane,
      @Option(
              names = "--max-tasks",
              paramLabel = "M",
              description = "Each worker run does at most M tasks; a fresh run takes over.")
          Integer maxTasks,
      @Option(names = "--model", paramLabel = "NAME", description = "claude --model.") String model,
      @Option(
              names = "--permission-mode",
              paramLabel = "MODE",
              description =
                  "claude --permission-mode (default: dontAsk: tools outside --allowed-tools are"
                      + " refused). bypassPermissions only when named here.")
          String permissionMode,
      @Option(
              names = "--allowed-tools",
              paramLabel = "LIST",
              split = ",",
              description =
                  "Tools workers may use (default: mcp__taskq__*,Read,Grep,Glob), e.g."
                      + " mcp__taskq__*,Read,Grep,Glob,Edit,Bash(npm test)")
          List<String> allowedTools,
      @Option(
              names = "--worktree",
              description = "Each worker in its own git worktree (claude -w).")
          boolean worktree,
      @Option(
              names = "--max-budget-usd",
              paramLabel = "X",
              description = "Stop starting runs once the pool has spent this many dollars.")
          Double maxBudgetUsd,
      @Option(
              names = "--stay",
              description = "Keep waiting for new work when the queue is drained (no tokens used).")
          boolean stay,
      @Option(
              names = "--claude",
              paramLabel = "PATH",
              description = "The claude command (default: $TASKQ_CLAUDE, else claude on PATH).")
          String claudePath,
      @Option(
              names = "--no-wait-on-limit",
              description = "On a usage limit, stop the pool instead of resuming at the reset.")
          boolean noWaitOnLimit)
      throws IOException, InterruptedException {
    Path queue = root.queue().dir();
    PoolConfig config;
    ClaudeExecutable claude;
    try {
      config =
          new PoolConfig(
              workers,
              lane,
              maxTasks,
              model,
              permissionMode,
              allowedTools,
              worktree,
              maxBudgetUsd,
              stay,
              null,
              !noWaitOnLimit);
    } catch (TaskqException e) {
      throw new ParameterException(spec.subcommands().get("start"), e.getMessage());
    }
    claude = ClaudeExecutable.find(claudePath, ctx.env(), ctx.cwd());
    config = config.withClaude(claude.path().toString());
    PoolFiles files = new PoolFiles(queue);
    QueueLook look;
    try (TaskStore store = StoreOpener.openExisting(ctx, root.queue())) {
      look = QueueLook.take(store, config.lane(), CLAIMABLE_SHOWN + 1);
      if (!config.stay() && look.claimable() == 0 && !SupervisorLock.isHeld(files)) {
        ctx.out()
            .println(
                "nothing to start: no claimable task"
                    + (config.lane() == null ? "" : " in lane " + config.lane())
                    + (look.inProgress() > 0 ? " (" + look.inProgress() + " in progress)" : "")
                    + "; add tasks first, or use --stay to wait for them");
        return 0;
      }
    }
    PoolLauncher launcher = launcher(files);
    PoolLauncher.Started s = launcher.start(config);
    PoolState st = s.state();
    if (s.joined()) {
      ctx.out()
          .println(
              "a worker pool already runs on "
                  + root.queue().label()
                  + " (supervisor pid "
                  + st.pid()
                  + "); it now runs up to "
                  + st.config().workers()
                  + " workers");
    } else {
      ctx.out()
          .println(
              "started workers on "
                  + root.queue().label()
                  + ": supervisor pid "
                  + st.pid()
                  + ", up to "
                  + st.config().workers()
                  + " at once"
                  + (st.config().lane() == null ? "" : " on lane " + st.config().lane())
                  + ", "
                  + (look.claimable() > CLAIMABLE_SHOWN
                      ? CLAIMABLE_SHOWN + "+"
                      : String.valueOf(look.claimable()))
                  + " claimable now");
      ctx.out()
          .println(
              "  "
                  + st.claudeVersion()
                  + " · tools "
                  + String.join(",", st.config().allowedTools())
                  + " · permission mode "
                  + st.config().permissionMode()
                  + (s.detached().startsWith("none") ? "" : " · detached with " + s.detached()));
      if (s.detached().startsWith("none")) {
        ctx.err().println("taskq: warning: " + s.detached());
      }
    }
    ctx.out()
        .println(
            "  see: taskq workers status · taskq workers logs -f · be told when done: taskq wait"
                + " · stop: taskq workers stop");
    return 0;
  }

  @Command(name = "status", description = "The pool: each worker's state, task and cost.")
  int status(@Option(names = "--json", description = "JSON for scripts.") boolean json) {
    Path queue = root.queue().dir();
    PoolFiles files = new PoolFiles(queue);
    Optional<PoolState> s = PoolState.read(files);
    try (TaskStore store = StoreOpener.openExisting(ctx, root.queue())) {
      if (json) {
        ctx.out().print(WorkersText.json(s, store));
      } else {
        ctx.out()
            .print(
                WorkersText.status(
                    s, store, root.queue().label(), ctx.clock().instant(), ctx.style()));
      }
    }
    return 0;
  }

  @Command(
      name = "logs",
      description = {
        "Without WORKER: the pool's log (starts, exits, pauses).",
        "With WORKER: its latest run as a person reads it: tool calls, results, text, errors."
      })
  int logs(
      @Parameters(arity = "0..1", paramLabel = "WORKER", description = "e.g. worker-2")
          String worker,
      @Option(
              names = "--run",
              paramLabel = "N",
              description = "That run instead of the latest (see the transcript names).")
          Integer run,
      @Option(
              names = "-n",
              defaultValue = "40",
              paramLabel = "N",
              description = "Pool log lines (default: ${DEFAULT-VALUE}).")
          int lines,
      @Option(
              names = {"-f", "--follow"},
              description = "Keep printing new lines (and the next runs) until Ctrl-C.")
          boolean follow)
      throws IOException {
    PoolFiles files = new PoolFiles(root.queue().dir());
    if (worker == null) {
      if (follow) {
        new LogFollower(files.poolLog(), ctx.out()).follow(lines, Duration.ofMillis(250));
      } else if (Files.exists(files.poolLog())) {
        List<String> all = Files.readAllLines(files.poolLog(), StandardCharsets.UTF_8);
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(ctx.out()::println);
      } else {
        ctx.out().println("no worker pool has run on " + root.queue().label() + " yet");
      }
      return 0;
    }
    if (!worker.matches("worker-[1-9][0-9]{0,2}")) {
      throw new ParameterException(
          spec.subcommands().get("logs"),
          "WORKER: expected a name such as worker-2, got " + worker);
    }
    new RunFollower(files, worker, ctx.out()).show(run, follow);
    return 0;
  }

  @Command(
      name = "stop",
      description = {
        "Stop the pool: each worker gets SIGTERM and its taskq server hands its claim back (no"
            + " attempt used); --now kills them, and their claims are handed back at once."
      })
  int stop(
      @Option(names = "--now", description = "Kill the workers instead of asking them to end.")
          boolean now)
      throws IOException, InterruptedException {
    PoolFiles files = new PoolFiles(root.queue().dir());
    Optional<PoolState> s = launcher(files).stop(now, Duration.ofSeconds(now ? 15 : 60));
    if (s.isEmpty()) {
      ctx.out().println("no worker pool runs on " + root.queue().label());
      return 0;
    }
    PoolState st = s.get();
    ctx.out()
        .println(
            "stopped the worker pool (supervisor pid "
                + st.pid()
                + "): "
                + st.totals().runs()
                + " runs, "
                + st.totals().done()
                + " tasks done, "
                + String.format(Locale.ROOT, "$%.4f", st.totals().costUsd()));
    return 0;
  }

  @Command(
      name = "supervise",
      hidden = true,
      description = "The supervisor itself (taskq workers start runs it detached).")
  int supervise(@Option(names = "--launch", required = true, paramLabel = "ID") String launch)
      throws IOException, InterruptedException {
    Path queue = root.queue().dir();
    PoolFiles files = new PoolFiles(queue);
    PoolConfig config =
        PoolConfig.fromJson(
            JSON.readTree(Files.readString(files.config(), StandardCharsets.UTF_8)));
    Optional<SupervisorLock> lock = SupervisorLock.tryAcquire(files);
    if (lock.isEmpty()) {
      // Lost a race with another start: hand this start's wish to the supervisor that won.
      PoolLauncher.requestMore(files, launch, config.workers(), config.stay());
      return 0;
    }
    try (SupervisorLock held = lock.get();
        TaskStore store = StoreOpener.openExisting(ctx, root.queue())) {
      ClaudeExecutable claude = ClaudeExecutable.find(config.claude(), ctx.env(), ctx.cwd());
      Supervisor sup =
          new Supervisor(
              store,
              files,
              config,
              claude,
              WorkerLaunch.serverCommand(ctx.java(), ctx.jar()),
              ctx.env(),
              files.project(ctx.cwd()),
              ctx.clock(),
              launch);
      Thread hook =
          new Thread(
              () -> {
                try {
                  sup.terminate(Duration.ofSeconds(45));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "taskq-supervisor-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      int code = sup.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook waits for the same end
      }
      return code;
    }
  }

  private PoolLauncher launcher(PoolFiles files) {
    return new PoolLauncher(files, ctx.java(), ctx.jar(), ctx.env(), ctx.cwd());
  }
}

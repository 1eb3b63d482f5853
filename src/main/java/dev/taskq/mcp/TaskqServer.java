package dev.taskq.mcp;

import dev.taskq.core.Holder;
import dev.taskq.core.TaskqException;
import dev.taskq.hooks.SessionKeeper;
import dev.taskq.project.QueueFinder;
import dev.taskq.project.QueueLocation;
import dev.taskq.project.TaskqVersion;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** taskq as a stdio MCP server: `taskq serve`. */
public final class TaskqServer {
  static final String NAME = "taskq";

  private static final Duration DRAIN = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(TaskqServer.class);

  static final String INSTRUCTIONS =
      "taskq is a durable task queue in the project's tasks/ folder, shared by Claude Code"
          + " sessions. Put big or parallel work on it with enqueue_task; work it with claim_next,"
          + " write_checkpoint and complete_task (prompt /mcp__taskq__work); see progress in"
          + " taskq://queue.";

  private TaskqServer() {}

  /**
   * Serves MCP on {@code in}/{@code out} until {@code in} ends, then answers the requests already
   * read, releases the claims this process holds (no attempt used up) and returns the exit code.
   *
   * @param env the environment: TASKQ_DIR, CLAUDE_PROJECT_DIR, CLAUDE_CODE_SESSION_ID, ...
   */
  public static int serve(
      Map<String, String> env, Path cwd, InputStream in, OutputStream out, Clock clock) {
    return serve(env, cwd, in, out, clock, LineTransport.MAX_LINE_BYTES);
  }

  static int serve(
      Map<String, String> env,
      Path cwd,
      InputStream in,
      OutputStream out,
      Clock clock,
      int maxLineBytes) {
    McpJsonMapper json = McpJsonDefaults.getMapper();
    LineTransport transport = new LineTransport(json, in, out, maxLineBytes);
    Notifier notifier = new Notifier();
    QueueWatch watch = new QueueWatch(notifier);
    LazyStore store =
        new LazyStore(
            () -> QueueFinder.forSession(env, cwd), where -> open(where, env, clock), watch::start);
    Holder holder = ProcessIdentity.current(holderName(env));
    SessionKeeper keeper = new SessionKeeper(env, cwd, clock, holder, store::get, store::ifOpen);
    Resources resources = new Resources(store, clock);
    McpSyncServer server =
        McpServer.sync(transport)
            .serverInfo(NAME, TaskqVersion.current())
            .instructions(INSTRUCTIONS)
            .capabilities(
                ServerCapabilities.builder()
                    .tools(false)
                    .resources(true, true)
                    .prompts(false)
                    .completions()
                    .build())
            .jsonMapper(json)
            .jsonSchemaValidator(new ArgumentsCheckedByTools())
            .validateToolInputs(false)
            .tools(
                ToolSpecs.of(
                    ToolTable.rows(
                        new QueueTools(store, holder, notifier, keeper),
                        new WorkersTool(store, env, cwd)),
                    json))
            .resources(resources.fixed())
            .resourceTemplates(resources.task())
            .completions(resources.taskIdCompletion())
            .prompts(Prompts.all(() -> queueForPrompt(resources)))
            .build();
    notifier.attach(server);
    // Claude Code may end a session with SIGTERM instead of closing stdin: hand the claims back
    // then too, so they use up no attempt.
    Thread onSignal =
        new Thread(
            () -> {
              release(store, holder);
              keeper.close();
            },
            "taskq-release-claims");
    Runtime.getRuntime().addShutdownHook(onSignal);
    keeper.start();
    boolean clean = transport.run(DRAIN);
    watch.close();
    keeper.close();
    notifier.attach(null);
    release(store, holder);
    try {
      Runtime.getRuntime().removeShutdownHook(onSignal);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down; the hook does the same release
    }
    server.closeGracefully();
    return clean ? 0 : 1;
  }

  private static TaskStore open(QueueLocation where, Map<String, String> env, Clock clock) {
    TaskStore s = StoreFactory.open(StoreConfig.fromEnv(where.dir(), env, clock));
    s.warnings().forEach(w -> log.warn("{}", w));
    return s;
  }

  /**
   * Who this server's claims are held by: {@code TASKQ_HOLDER} when set (a worker of {@code taskq
   * workers} is "worker-2", so claims read worker-2@host#pid), else the Claude Code session id. An
   * unusable TASKQ_HOLDER (too long, not one printable line) falls back to the session id.
   */
  static String holderName(Map<String, String> env) {
    String name = env.getOrDefault("TASKQ_HOLDER", "").strip();
    if (!name.isEmpty() && name.length() <= 40 && name.matches("[A-Za-z0-9._:-]+")) {
      return name;
    }
    return env.getOrDefault("CLAUDE_CODE_SESSION_ID", "");
  }

  private static void release(LazyStore store, Holder holder) {
    try {
      int released = store.releaseAndClose(holder);
      if (released > 0) {
        log.info("released {} claim(s) held by this session", released);
      }
    } catch (RuntimeException e) {
      log.warn("could not release this session's claims: {}", e.toString());
    }
  }

  private static String queueForPrompt(Resources resources) {
    try {
      return resources.queue();
    } catch (TaskqException e) {
      throw McpError.builder(ErrorCodes.INTERNAL_ERROR).message(e.describe()).build();
    }
  }
}

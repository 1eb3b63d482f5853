package dev.taskq.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.claude.Brain;
import dev.taskq.claude.ClaudeRun;
import dev.taskq.claude.ClaudeRunner;
import dev.taskq.claude.Conversation;
import dev.taskq.claude.DisciplinedWorker;
import dev.taskq.claude.Reply;
import dev.taskq.claude.TaskqJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fire-and-forget promise: a Claude Code session starts the pool from a Bash tool call, ends,
 * and the pool goes on working without it.
 */
class WorkerDetachIT {
  @TempDir Path tmp;

  /** The session that starts the pool: one Bash call, then a short reply. */
  private static Brain starter(String command) {
    return c -> {
      if (c.toolCalls().isEmpty()) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("command", command);
        input.put("description", "Start taskq workers in the background");
        return Reply.tool("Bash", input);
      }
      return Reply.text("Started the workers: " + c.toolCalls().get(0).result());
    };
  }

  private static boolean isWorker(Conversation c) {
    return c.allText().contains("a background worker started by `taskq workers`");
  }

  @Test
  void the_supervisor_started_from_a_bash_tool_call_outlives_the_claude_session_that_started_it()
      throws Exception {
    DisciplinedWorker worker = new DisciplinedWorker().stallAfterCheckpoint(Duration.ofSeconds(4));
    String start = TaskqJar.java() + " -jar " + TaskqJar.path() + " workers start -n 1";
    Brain session = starter(start);
    try (PoolTestbed bed =
        new PoolTestbed(tmp, c -> isWorker(c) ? worker.next(c) : session.next(c))) {
      bed.enqueue(2, null);
      Map<String, String> env = new LinkedHashMap<>(bed.model.clientEnv(bed.home));
      env.put("TASKQ_CLAUDE", bed.claude.toString());

      long supervisor;
      try (ClaudeRun run =
          new ClaudeRunner(bed.claude, env)
              .cwd(bed.project)
              .allowedTools("Bash")
              .permissionMode("dontAsk")
              .logDir(Files.createDirectories(tmp.resolve("session")))
              .start("Run the queued tasks in the background with taskq workers.")) {
        assertThat(run.awaitExit(Duration.ofSeconds(90))).as(run.stderr()).isZero();
        assertThat(run.result().orElseThrow().path("result").asString())
            .contains("started workers on");
        PoolState s = bed.state().orElseThrow();
        supervisor = s.pid();
        assertThat(ProcessHandle.of(run.pid())).isEmpty();

        // The session is over; the pool is not.
        Thread.sleep(3_000);
        assertThat(ProcessHandle.of(supervisor))
            .as("the supervisor after the session ended")
            .isPresent();
        assertThat(bed.state().orElseThrow().alive()).isTrue();

        PoolTestbed.Run wait = bed.taskq(Duration.ofMinutes(2), "wait", "--timeout", "90s");
        assertThat(wait.code()).as(wait.out()).isZero();
        PoolState end = bed.awaitSupervisorGone(Duration.ofSeconds(30));
        assertThat(end.pid()).isEqualTo(supervisor);
        assertThat(end.totals().done()).isEqualTo(2);
        assertThat(end.reason()).isEqualTo("nothing left to do: no claimable or in-progress tasks");
      }
      assertThat(bed.model.brainErrors()).isEmpty();
      bed.assertNoProcessLeft(Duration.ofSeconds(20));
    }
  }

  /** The session that starts the pool through the MCP tool: load it, call it, report. */
  private static Brain toolStarter() {
    return c -> {
      if (c.toolCalls().isEmpty()) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("query", "select:mcp__taskq__start_workers");
        input.put("max_results", 5);
        return Reply.tool("ToolSearch", input);
      }
      Conversation.ToolCall last = c.toolCalls().get(c.toolCalls().size() - 1);
      if (last.name().equals("ToolSearch")) {
        return Reply.tool("mcp__taskq__start_workers", Map.of("workers", 2));
      }
      return Reply.text("start_workers said: " + last.result());
    };
  }

  @Test
  void a_session_starts_the_pool_with_the_start_workers_tool_and_is_told_how_to_wait()
      throws Exception {
    DisciplinedWorker worker = new DisciplinedWorker();
    Brain session = toolStarter();
    try (PoolTestbed bed =
        new PoolTestbed(tmp, c -> isWorker(c) ? worker.next(c) : session.next(c))) {
      bed.enqueue(4, null);
      Map<String, String> env = new LinkedHashMap<>(bed.model.clientEnv(bed.home));
      env.put("TASKQ_CLAUDE", bed.claude.toString());
      Path config =
          TaskqJar.writeMcpConfig(
              tmp.resolve("mcp.json"), Map.of("TASKQ_DIR", bed.queue.toString()));

      try (ClaudeRun run =
          new ClaudeRunner(bed.claude, env)
              .cwd(bed.project)
              .mcpConfig(config)
              .allowedTools("mcp__taskq__*")
              .permissionMode("dontAsk")
              .logDir(Files.createDirectories(tmp.resolve("session")))
              .start("Do the queued tasks in the background.")) {
        assertThat(run.awaitExit(Duration.ofSeconds(90))).as(run.stderr()).isZero();
        String said = run.result().orElseThrow().path("result").asString();
        System.out.println("the session's last words: " + said);
        assertThat(said)
            .contains("Started up to 2 background workers on")
            .contains("Workers may use mcp__taskq__*, Read, Grep, Glob only")
            .contains(
                "run `taskq wait --timeout 110m` with run_in_background and the Bash timeout at"
                    + " 7200000 ms");

        PoolTestbed.Run wait = bed.taskq(Duration.ofMinutes(2), "wait", "--timeout", "90s");
        assertThat(wait.code()).as(wait.out()).isZero();
        PoolState end = bed.awaitSupervisorGone(Duration.ofSeconds(30));
        assertThat(end.totals().done()).isEqualTo(4);
        assertThat(end.config().permissionMode()).isEqualTo("dontAsk");
      }
      assertThat(bed.model.brainErrors()).isEmpty();
      bed.assertNoProcessLeft(Duration.ofSeconds(20));
    }
  }
}

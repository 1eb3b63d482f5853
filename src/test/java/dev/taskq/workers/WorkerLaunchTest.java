package dev.taskq.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskq.core.TaskqException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a worker is started with: safe defaults, the person's environment, the same queue. */
class WorkerLaunchTest {
  private static final Path QUEUE = Path.of("/home/ann/shop/tasks");

  private static PoolConfig defaults() {
    return new PoolConfig(3, null, null, null, null, null, false, null, false, null, true);
  }

  @Test
  void by_default_workers_get_the_taskq_tools_and_read_only_tools_and_are_never_asked() {
    List<String> argv =
        WorkerLaunch.argv(
            Path.of("/usr/bin/claude"),
            defaults(),
            "worker-2",
            "PROMPT",
            QUEUE.resolve(".taskq/workers/worker-2/mcp.json"),
            null);

    assertThat(argv)
        .containsExactly(
            "/usr/bin/claude",
            "-p",
            "PROMPT",
            "--output-format",
            "stream-json",
            "--verbose",
            "--mcp-config",
            "/home/ann/shop/tasks/.taskq/workers/worker-2/mcp.json",
            "--strict-mcp-config",
            "--allowedTools=mcp__taskq__*,Read,Grep,Glob",
            "--permission-mode",
            "dontAsk");
    assertThat(String.join(" ", argv))
        .doesNotContain("bypassPermissions")
        .doesNotContain("dangerously");
  }

  @Test
  void options_widen_only_what_the_person_names() {
    PoolConfig c =
        new PoolConfig(
            2,
            "db",
            1,
            "sonnet",
            "acceptEdits",
            List.of("mcp__taskq__*", "Read", "Edit", "Bash(npm test)"),
            true,
            5.0,
            false,
            null,
            true);

    List<String> argv =
        WorkerLaunch.argv(Path.of("claude"), c, "worker-1", "P", Path.of("m.json"), 1.25);

    assertThat(argv)
        .containsSubsequence("--allowedTools=mcp__taskq__*,Read,Edit,Bash(npm test)")
        .containsSubsequence("--permission-mode", "acceptEdits")
        .containsSubsequence("--model", "sonnet")
        .containsSubsequence("--max-budget-usd", "1.25")
        .contains("--worktree=taskq-worker-1");
    assertThat(WorkerLaunch.prompt("worker-1", c))
        .contains("mcp__taskq__claim_next with lane \"db\"")
        .contains("until you have finished 1 task or claim_next says there is nothing to claim")
        .contains("do not wait and do not call it again");
  }

  @Test
  void bad_options_are_refused_naming_the_flag() {
    assertThatThrownBy(
            () -> new PoolConfig(0, null, null, null, null, null, false, null, false, null, true))
        .isInstanceOf(TaskqException.class)
        .hasMessage("-n: must be between 1 and 32, got 0");
    assertThatThrownBy(
            () -> new PoolConfig(1, null, null, null, "yolo", null, false, null, false, null, true))
        .hasMessageStartingWith("--permission-mode: unknown mode 'yolo'");
    assertThatThrownBy(
            () ->
                new PoolConfig(
                    1, "Data Base", null, null, null, null, false, null, false, null, true))
        .hasMessageStartingWith("--lane");
    assertThatThrownBy(
            () -> new PoolConfig(1, null, null, null, null, null, false, -1.0, false, null, true))
        .hasMessageStartingWith("--max-budget-usd");
  }

  @Test
  void the_persons_environment_reaches_workers_but_not_the_parent_sessions_identity() {
    Map<String, String> env =
        WorkerLaunch.env(
            Map.of(
                "ANTHROPIC_API_KEY", "sk-ant-xyz",
                "ANTHROPIC_BASE_URL", "https://proxy.example",
                "HOME", "/home/ann",
                "PATH", "/usr/bin",
                "TASKQ_DATABASE_URL", "postgresql://db/shop",
                "CLAUDECODE", "1",
                "CLAUDE_CODE_SESSION_ID", "parent-session",
                "CLAUDE_CODE_ENTRYPOINT", "cli"),
            QUEUE);

    assertThat(env)
        .containsEntry("ANTHROPIC_API_KEY", "sk-ant-xyz")
        .containsEntry("ANTHROPIC_BASE_URL", "https://proxy.example")
        .containsEntry("HOME", "/home/ann")
        .containsEntry("TASKQ_DATABASE_URL", "postgresql://db/shop")
        .containsEntry("TASKQ_DIR", "/home/ann/shop/tasks")
        .doesNotContainKeys("CLAUDECODE", "CLAUDE_CODE_SESSION_ID", "CLAUDE_CODE_ENTRYPOINT");
  }

  @Test
  void the_mcp_config_gives_the_same_queue_and_a_holder_name_and_no_secret() {
    String json =
        WorkerLaunch.mcpConfig(
            WorkerLaunch.serverCommand(Path.of("/opt/java/bin/java"), Path.of("/opt/taskq.jar")),
            QUEUE,
            "worker-3");

    JsonNode s = JsonMapper.builder().build().readTree(json).path("mcpServers").path("taskq");
    assertThat(s.path("command").asString()).isEqualTo("/opt/java/bin/java");
    assertThat(s.path("args").toString()).endsWith("\"-jar\",\"/opt/taskq.jar\",\"serve\"]");
    assertThat(s.path("env").path("TASKQ_DIR").asString()).isEqualTo("/home/ann/shop/tasks");
    assertThat(s.path("env").path("TASKQ_HOLDER").asString()).isEqualTo("worker-3");
    assertThat(s.path("env").size()).isEqualTo(2);
  }

  @Test
  void the_state_file_reads_back_what_was_written() {
    PoolState s =
        new PoolState(
            "paused",
            "usage limit (five_hour)",
            Instant.parse("2026-11-24T14:05:00Z"),
            4242,
            99,
            "abc",
            Instant.parse("2026-11-24T13:00:00Z"),
            Instant.parse("2026-11-24T13:30:00Z"),
            QUEUE.toString(),
            "/usr/bin/claude",
            "2.1.328 (Claude Code)",
            defaults(),
            new PoolState.Totals(4, 7, 1, 1.2345, 80, 2, 1),
            List.of(
                new PoolState.Worker(
                    "worker-1",
                    "working",
                    77,
                    3,
                    Instant.parse("2026-11-24T13:29:00Z"),
                    "db-audit",
                    12,
                    0.42,
                    3,
                    2,
                    0,
                    null,
                    "finished: 2 done, 0 failed",
                    "/t/run-0003.jsonl")),
            List.of("r1"),
            false);

    assertThat(PoolState.fromJson(s.toJson())).isEqualTo(s);
  }
}

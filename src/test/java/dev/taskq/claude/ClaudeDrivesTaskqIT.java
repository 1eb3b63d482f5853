package dev.taskq.claude;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real Claude Code ({@code claude -p}, pinned in interop/) drives a real {@code taskq serve}
 * (the built jar) through the scripted model on loopback, and drains a small queue.
 */
class ClaudeDrivesTaskqIT {
  @TempDir Path dir;

  @Test
  void real_claude_with_a_scripted_worker_drains_three_tasks_through_taskq_serve()
      throws Exception {
    Path claude = ClaudeBinary.require();
    Path project = Files.createDirectories(dir.resolve("project"));
    Path tasks = project.resolve("tasks");
    Map<String, String> queue = Map.of("TASKQ_DIR", tasks.toString());
    for (int i = 1; i <= 3; i++) {
      TaskqJar.run(project, queue, "add", "Task " + i, "-c", "criterion " + i, "--id", "t" + i);
    }
    Path config = TaskqJar.writeMcpConfig(dir.resolve("mcp.json"), queue);

    try (ScriptedModel model = ScriptedModel.start(new DisciplinedWorker());
        ClaudeRun run =
            new ClaudeRunner(claude, model.clientEnv(Files.createDirectories(dir.resolve("home"))))
                .cwd(project)
                .mcpConfig(config)
                .allowedTools("mcp__taskq__*")
                .logDir(dir.resolve("run"))
                .start("Work the taskq queue until nothing is claimable.")) {
      int exit = run.awaitExit(Duration.ofMinutes(3));
      System.out.println("claude -p drained 3 tasks in " + run.elapsed().toMillis() + " ms");

      assertThat(model.brainErrors()).isEmpty();
      assertThat(exit).as("exit code; stderr: %s", run.stderr()).isZero();
      JsonNode result = run.result().orElseThrow();
      assertThat(result.path("is_error").asBoolean()).isFalse();
      assertThat(result.path("result").asString()).startsWith(DisciplinedWorker.DRAINED);
      assertThat(run.events("system", "init").get(0).path("mcp_servers").toString())
          .contains("\"name\":\"taskq\"", "\"status\":\"connected\"");

      for (String id : List.of("t1", "t2", "t3")) {
        assertThat(tasks.resolve("completed/" + id + ".md")).exists();
        assertThat(model.messageRequests())
            .as("the model saw the work packet of %s", id)
            .anyMatch(r -> r.conversation().allText().contains("Claimed task " + id + " "));
      }
      assertThat(files(tasks.resolve("pending"))).isEmpty();
      assertThat(files(tasks.resolve("in-progress"))).isEmpty();
      List<String> log = Files.readAllLines(tasks.resolve("log.txt"));
      for (String id : List.of("t1", "t2", "t3")) {
        assertThat(log).filteredOn(l -> l.contains(" DONE: " + id + " ")).hasSize(1);
        assertThat(log).filteredOn(l -> l.contains(" CLAIMED: " + id + " ")).hasSize(1);
      }
      assertThat(run.leftovers()).as("processes claude started, still alive").isEmpty();
    }
  }

  @Test
  void a_session_that_ends_holding_a_claim_hands_it_back_without_using_an_attempt()
      throws Exception {
    Path project = Files.createDirectories(dir.resolve("project"));
    Path tasks = project.resolve("tasks");
    Map<String, String> queue = Map.of("TASKQ_DIR", tasks.toString());
    TaskqJar.run(project, queue, "add", "Held task", "-c", "done", "--id", "held");
    try (ScriptedModel model = ScriptedModel.start(new DisciplinedWorker().stopAfterClaim());
        ClaudeRun run = start(model, project, queue)) {
      assertThat(run.awaitExit(Duration.ofMinutes(2))).isZero();
      assertThat(model.brainErrors()).isEmpty();
      // claude -p ends its MCP servers with SIGINT (then SIGTERM, SIGKILL ~0.5 s later): taskq
      // hands the claim back on the first signal.
      awaitLogLine(tasks, " RELEASED: held ");
      assertThat(tasks.resolve("pending/held.md")).exists();
      assertThat(Files.readString(tasks.resolve("pending/held.md"))).contains("\nattempt: 0\n");
    }
  }

  @Test
  void a_sigkilled_session_still_hands_its_claim_back_because_the_server_sees_stdin_close()
      throws Exception {
    Path project = Files.createDirectories(dir.resolve("project"));
    Path tasks = project.resolve("tasks");
    Map<String, String> queue = Map.of("TASKQ_DIR", tasks.toString());
    TaskqJar.run(project, queue, "add", "Killed task", "-c", "done", "--id", "killed");
    DisciplinedWorker stalls = new DisciplinedWorker().stallAfterCheckpoint(Duration.ofMinutes(2));
    try (ScriptedModel model = ScriptedModel.start(stalls);
        ClaudeRun run = start(model, project, queue)) {
      awaitLogLine(tasks, " CHECKPOINT: killed ");
      List<ProcessHandle> servers = run.process().descendants().toList();
      run.process().destroyForcibly();
      assertThat(run.awaitExit(Duration.ofSeconds(30))).isEqualTo(137);
      awaitLogLine(tasks, " RELEASED: killed ");
      for (ProcessHandle server : servers) {
        server.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
      String pending = Files.readString(tasks.resolve("pending/killed.md"));
      assertThat(pending).contains("\nattempt: 0\n");
    }
  }

  private ClaudeRun start(ScriptedModel model, Path project, Map<String, String> queue)
      throws Exception {
    Path config = TaskqJar.writeMcpConfig(dir.resolve("mcp.json"), queue);
    return new ClaudeRunner(
            ClaudeBinary.require(), model.clientEnv(Files.createDirectories(dir.resolve("home"))))
        .cwd(project)
        .mcpConfig(config)
        .allowedTools("mcp__taskq__*")
        .logDir(dir.resolve("run"))
        .start("Work the taskq queue.");
  }

  /** Waits (generously: the machine is shared) for a log.txt line; fails showing the log. */
  static void awaitLogLine(Path tasks, String fragment) throws Exception {
    Path log = tasks.resolve("log.txt");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(fragment)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "no log line with '"
            + fragment
            + "' within 60 s; log.txt: "
            + (Files.exists(log) ? Files.readString(log) : "(none)"));
  }

  private static List<Path> files(Path folder) throws Exception {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(p -> p.toString().endsWith(".md")).toList();
    }
  }
}

package dev.taskq.claude;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * How the real Claude Code runs project hooks and where their output reaches the model: the facts
 * the hooks (issue 13) are built on, with small shell hooks written by the test.
 */
class ClaudeHooksIT {
  @TempDir Path dir;

  @Test
  void session_start_output_reaches_the_model_at_startup_and_again_on_resume() throws Exception {
    Path project =
        project(
            Map.of(
                "SessionStart",
                "echo \"resume-marker $(grep -o '\"source\":\"[a-z]*' | tr -d '\"')\""));
    try (ScriptedModel model = ScriptedModel.start(c -> Reply.text("ok"))) {
      String session;
      try (ClaudeRun run = runner(model, project).start("first")) {
        assertThat(run.awaitExit(Duration.ofMinutes(2))).isZero();
        session = run.sessionId();
      }
      assertThat(model.messageRequests().get(0).conversation().allText())
          .contains("SessionStart:startup hook success: resume-marker source:startup");
      try (ClaudeRun run = runner(model, project).args("--resume", session).start("again")) {
        assertThat(run.awaitExit(Duration.ofMinutes(2))).isZero();
        assertThat(run.sessionId()).isEqualTo(session);
      }
      Conversation resumed = model.messageRequests().get(1).conversation();
      JsonNode last = systemMessages(resumed).get(systemMessages(resumed).size() - 1);
      assertThat(Conversation.texts(last.path("content")))
          .contains("SessionStart:resume hook success: resume-marker source:resume");
    }
  }

  @Test
  void a_stop_hook_block_reaches_the_model_as_feedback_and_the_held_task_gets_a_checkpoint()
      throws Exception {
    String stop =
        "if grep -q '\"stop_hook_active\":false'; then"
            + " echo '{\"decision\":\"block\",\"reason\":\"write a checkpoint first\"}'; fi";
    Path project = project(Map.of("Stop", stop));
    Path tasks = project.resolve("tasks");
    TaskqJar.run(project, Map.of("TASKQ_DIR", tasks.toString()), "add", "Held", "-c", "ok");
    Path config =
        TaskqJar.writeMcpConfig(dir.resolve("mcp.json"), Map.of("TASKQ_DIR", tasks.toString()));
    try (ScriptedModel model = ScriptedModel.start(new DisciplinedWorker().stopAfterClaim());
        ClaudeRun run =
            runner(model, project).mcpConfig(config).allowedTools("mcp__taskq__*").start("work")) {
      assertThat(run.awaitExit(Duration.ofMinutes(2))).isZero();
      assertThat(model.brainErrors()).isEmpty();
      List<RecordedRequest> asked = model.messageRequests();
      Conversation afterBlock =
          asked.stream()
              .map(RecordedRequest::conversation)
              .filter(c -> c.lastUserText().startsWith("Stop hook feedback:"))
              .findFirst()
              .orElseThrow();
      assertThat(afterBlock.lastUserText())
          .isEqualTo("Stop hook feedback:\nwrite a checkpoint first");
      assertThat(Files.readString(tasks.resolve("log.txt"))).contains(" CHECKPOINT: ");
      assertThat(run.result().orElseThrow().path("result").asString())
          .startsWith("Checkpoint saved for ");
    }
  }

  @Test
  void a_hook_knows_the_claude_pid_which_is_the_parent_of_the_mcp_server() throws Exception {
    Path seen = dir.resolve("seen.txt");
    Path project =
        project(
            Map.of(
                "UserPromptSubmit",
                "echo \"$CLAUDE_PID $(ps -o ppid= -p $PPID | tr -d ' ') $CLAUDE_CODE_SESSION_ID\" > "
                    + seen));
    Path config =
        TaskqJar.writeMcpConfig(
            dir.resolve("mcp.json"), Map.of("TASKQ_DIR", project.resolve("tasks").toString()));
    CountDownLatch looked = new CountDownLatch(1);
    try (ScriptedModel model =
            ScriptedModel.start(
                c -> {
                  // Hold the answer (claude, its server alive) until the test has looked.
                  awaitQuietly(looked);
                  return Reply.text("ok");
                });
        ClaudeRun run = runner(model, project).mcpConfig(config).start("hello")) {
      String[] hook = awaitFile(seen).strip().split(" ");
      List<ProcessHandle> servers =
          run.process()
              .descendants()
              .filter(h -> h.info().commandLine().orElse("").contains("taskq.jar serve"))
              .toList();
      List<Long> parents =
          servers.stream().map(h -> h.parent().map(ProcessHandle::pid).orElse(-1L)).toList();
      looked.countDown();
      assertThat(parents).containsExactly(run.pid());
      assertThat(run.awaitExit(Duration.ofMinutes(2))).isZero();
      assertThat(Long.parseLong(hook[0])).as("CLAUDE_PID").isEqualTo(run.pid());
      assertThat(Long.parseLong(hook[1])).as("the hook shell's parent").isEqualTo(run.pid());
      assertThat(hook[2]).isEqualTo(run.sessionId());
    }
  }

  @Test
  void a_post_tool_use_hook_holds_the_session_until_it_exits() throws Exception {
    Path log = dir.resolve("hook.log");
    Path project = project(Map.of("PostToolUse", "sleep 3; echo end >> " + log));
    try (ScriptedModel model = ScriptedModel.start(readOnce(project));
        ClaudeRun run = runner(model, project).allowedTools("Read").start("read")) {
      assertThat(run.awaitExit(Duration.ofMinutes(2))).isZero();
      List<RecordedRequest> asked = model.messageRequests();
      assertThat(asked).hasSize(2);
      assertThat(Duration.between(asked.get(0).at(), asked.get(1).at()))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
      assertThat(Files.readString(log)).isEqualTo("end\n");
    }
  }

  @Test
  void an_async_post_tool_use_hook_does_not_hold_the_session_and_is_killed_when_it_ends()
      throws Exception {
    Path log = dir.resolve("hook.log");
    Path sleeper = dir.resolve("sleep.pid");
    Path project =
        project(
            Map.of(
                "PostToolUse",
                "echo start >> "
                    + log
                    + "; sleep 60 & echo $! > "
                    + sleeper
                    + "; wait; echo end >> "
                    + log));
    Path settings = project.resolve(".claude/settings.json");
    Files.writeString(
        settings,
        Files.readString(settings).replace("\"timeout\":10", "\"timeout\":90,\"async\":true"));
    // The model answers after the Read only once the async hook is running (its pid written):
    // else a loaded machine lets the session end before the hook's shell started at all.
    Brain readOnceWhileTheHookRuns =
        c -> {
          if (!c.toolCalls().isEmpty()) {
            awaitFileQuietly(sleeper);
          }
          return readOnce(project).next(c);
        };
    try (ScriptedModel model = ScriptedModel.start(readOnceWhileTheHookRuns);
        ClaudeRun run = runner(model, project).allowedTools("Read").start("read")) {
      assertThat(run.awaitExit(Duration.ofSeconds(50))).isZero();
      long sleep = Long.parseLong(awaitFile(sleeper).strip());
      try {
        // Claude ends the hook's whole process group when it exits, the hook's children too.
        ProcessHandle.of(sleep).ifPresent(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        assertThat(ProcessHandle.of(sleep).map(ProcessHandle::isAlive))
            .isNotEqualTo(Optional.of(true));
        assertThat(Files.readString(log)).isEqualTo("start\n");
      } finally {
        ProcessHandle.of(sleep).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  @Test
  void project_hooks_do_not_run_when_claude_starts_in_a_subfolder_of_the_project()
      throws Exception {
    Path log = dir.resolve("hook.log");
    Path project = project(Map.of("UserPromptSubmit", "echo ran >> " + log));
    Path sub = Files.createDirectories(project.resolve("src/deep"));
    try (ScriptedModel model = ScriptedModel.start(c -> Reply.text("ok"));
        ClaudeRun fromSub = runner(model, project).cwd(sub).start("hi")) {
      assertThat(fromSub.awaitExit(Duration.ofMinutes(1))).isZero();
      assertThat(log).as("the parent's .claude/settings.json is not read").doesNotExist();
      try (ClaudeRun fromRoot = runner(model, project).start("hi")) {
        assertThat(fromRoot.awaitExit(Duration.ofMinutes(1))).isZero();
      }
      assertThat(log).hasContent("ran");
    }
  }

  private static Brain readOnce(Path project) {
    return c ->
        c.toolCalls().isEmpty()
            ? Reply.tool(
                "Read", Map.of("file_path", project.resolve(".claude/settings.json").toString()))
            : Reply.text("read it");
  }

  /** A project whose .claude/settings.json runs each script (bash, stdin = the hook's JSON). */
  private Path project(Map<String, String> hooks) throws Exception {
    Path project = Files.createDirectories(dir.resolve("project"));
    Path bin = Files.createDirectories(dir.resolve("hooks"));
    StringBuilder settings = new StringBuilder("{\"hooks\":{");
    String sep = "";
    for (Map.Entry<String, String> h : hooks.entrySet()) {
      Path script = bin.resolve(h.getKey() + ".sh");
      Files.writeString(script, "#!/bin/bash\n" + h.getValue() + "\nexit 0\n");
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
      settings
          .append(sep)
          .append('"')
          .append(h.getKey())
          .append("\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"")
          .append(script)
          .append("\",\"timeout\":10}]}]");
      sep = ",";
    }
    Files.createDirectories(project.resolve(".claude"));
    Files.writeString(project.resolve(".claude/settings.json"), settings.append("}}").toString());
    return project;
  }

  /** Claude started in the project root: project hooks do not run when it starts in a subfolder. */
  private ClaudeRunner runner(ScriptedModel model, Path project) throws Exception {
    return new ClaudeRunner(
            ClaudeBinary.require(), model.clientEnv(Files.createDirectories(dir.resolve("home"))))
        .cwd(project)
        .logDir(Files.createTempDirectory(dir, "run"));
  }

  private static List<JsonNode> systemMessages(Conversation c) {
    return c.messages().stream().filter(m -> m.path("role").asString("").equals("system")).toList();
  }

  private static String awaitFile(Path file) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && !Files.readString(file).isBlank()) {
        return Files.readString(file);
      }
      Thread.sleep(50);
    }
    throw new AssertionError(file + " was not written within 60 s");
  }

  private static void awaitFileQuietly(Path file) {
    try {
      awaitFile(file);
    } catch (Exception | AssertionError e) {
      // the test's own awaitFile reports it
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

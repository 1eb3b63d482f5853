package dev.taskq.claude;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens to work a {@code claude -p} session starts in the background: the facts behind "fire
 * and forget" (issue 11) on the pinned version.
 */
class ClaudeBackgroundIT {
  @TempDir Path dir;
  private final List<Long> started = new ArrayList<>();

  @AfterEach
  void stopWhatTheTestStarted() {
    for (long pid : started) {
      ProcessHandle.of(pid)
          .ifPresent(
              h -> {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
              });
    }
  }

  @Test
  void a_run_in_background_command_keeps_claude_p_alive_and_its_end_reaches_the_model()
      throws Exception {
    Brain brain =
        c -> {
          if (c.lastUserText().contains("<task-notification>")) {
            return Reply.text("Told: the background wait finished.");
          }
          if (c.toolCalls().isEmpty()) {
            return Reply.tool(
                "Bash",
                Map.of(
                    "command", "sleep 2; echo waited",
                    "description", "wait in the background",
                    "run_in_background", true));
          }
          return Reply.text("Waiting in the background; I will be told.");
        };
    try (ScriptedModel model = ScriptedModel.start(brain);
        ClaudeRun run = start(model).start("wait for the work in the background")) {
      assertThat(run.awaitExit(Duration.ofMinutes(2))).isZero();
      assertThat(model.brainErrors()).isEmpty();
      // Two turns, two result events: the reply, then the notification's turn.
      assertThat(run.events("result", null)).hasSize(2);
      assertThat(run.events("system", "task_notification").get(0).path("status").asString())
          .isEqualTo("completed");
      String told = model.messageRequests().get(2).conversation().lastUserText();
      assertThat(told)
          .contains("<task-notification>", "<status>completed</status>", "(exit code 0)")
          .contains("<output-file>");
      assertThat(run.result().orElseThrow().path("result").asString())
          .isEqualTo("Told: the background wait finished.");
    }
  }

  @Test
  void processes_a_bash_call_detaches_with_setsid_or_ampersand_outlive_the_session()
      throws Exception {
    Path pids = Files.createDirectories(dir.resolve("pids"));
    String loop = "while true; do sleep 1; done";
    String command =
        String.join(
            "\n",
            "setsid bash -c 'echo $$ > "
                + pids
                + "/setsid; "
                + loop
                + "' >/dev/null 2>&1 </dev/null &",
            "nohup bash -c 'echo $$ > " + pids + "/nohup; " + loop + "' >/dev/null 2>&1 &",
            "bash -c 'echo $$ > " + pids + "/amp; " + loop + "' >/dev/null 2>&1 &",
            "sleep 0.5; echo started");
    Brain brain =
        c ->
            c.toolCalls().isEmpty()
                ? Reply.tool("Bash", Map.of("command", command, "description", "start loops"))
                : Reply.text("Started.");
    try (ScriptedModel model = ScriptedModel.start(brain);
        ClaudeRun run = start(model).start("start background work")) {
      assertThat(run.awaitExit(Duration.ofMinutes(2))).isZero();
      for (String name : List.of("setsid", "nohup", "amp")) {
        started.add(Long.parseLong(Files.readString(pids.resolve(name)).strip()));
      }
      Thread.sleep(3_000);
      for (long pid : started) {
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
            .as("process %d, 3 s after claude -p exited", pid)
            .hasValue(true);
      }
    }
  }

  private ClaudeRunner start(ScriptedModel model) throws Exception {
    Path project = Files.createDirectories(dir.resolve("project"));
    return new ClaudeRunner(
            ClaudeBinary.require(), model.clientEnv(Files.createDirectories(dir.resolve("home"))))
        .cwd(project)
        .allowedTools("Bash")
        .logDir(dir.resolve("run"));
  }
}

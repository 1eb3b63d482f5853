package dev.taskq.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.claude.ClaudeBinary;
import dev.taskq.claude.ClaudeRun;
import dev.taskq.claude.ClaudeRunner;
import dev.taskq.claude.DisciplinedWorker;
import dev.taskq.claude.ScriptedModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code (2.1.328, interop/) started in a subfolder of a git worktree: it finds the
 * project's committed .mcp.json, starts {@code taskq serve} through the installed launcher on PATH,
 * and that server works on the main checkout's queue. {@code claude mcp list} there shows taskq
 * connected.
 */
class ClaudeCodeFindsTheQueueIT {
  @TempDir Path tmp;

  @Test
  void claude_started_in_a_worktree_subfolder_drains_the_main_checkouts_queue() throws Exception {
    Path claude = ClaudeBinary.require();
    Path home = tmp.resolve("home");
    InstalledTaskq taskq = InstalledTaskq.into(home);
    Path project = Files.createDirectories(tmp.resolve("shop"));
    Files.writeString(project.resolve("README.md"), "# shop\n");
    taskq.run(project, "init");
    taskq.run(project, "add", "Audit the API", "-c", "handlers listed", "--id", "api-audit");
    taskq.run(project, "add", "Audit the DB", "-c", "queries listed", "--id", "db-audit");
    Git.commitAll(project);
    Path worktree = Git.addWorktree(project, tmp.resolve("shop-agent-1"), "agent-1");
    Path where = Files.createDirectories(worktree.resolve("src/api"));
    Path queue = project.resolve("tasks");

    try (ScriptedModel model = ScriptedModel.start(new DisciplinedWorker())) {
      Map<String, String> env = new LinkedHashMap<>(model.clientEnv(home));
      env.put("PATH", taskq.env().get("PATH"));
      Files.createDirectories(home.resolve(".claude"));
      // Approves the project's servers ahead of time, as a team would for interactive use.
      Files.writeString(
          home.resolve(".claude/settings.json"), "{\"enableAllProjectMcpServers\": true}\n");

      String list = mcpList(claude, where, env);
      assertThat(list).contains("taskq: taskq serve - ✔ Connected");

      try (ClaudeRun run =
          new ClaudeRunner(claude, env)
              .cwd(where)
              .allowedTools("mcp__taskq__*")
              .logDir(tmp.resolve("run"))
              .start("Work the taskq queue until nothing is claimable.")) {
        int exit = run.awaitExit(Duration.ofMinutes(3));

        assertThat(model.brainErrors()).isEmpty();
        assertThat(exit).as("exit code; stderr: %s", run.stderr()).isZero();
        // Listed from the project's .mcp.json; under load it may still be connecting at init.
        assertThat(run.events("system", "init").get(0).path("mcp_servers").toString())
            .contains("\"name\":\"taskq\"", "\"source\":\"project\"");
        assertThat(model.messageRequests())
            .as("the work packet names the main checkout's queue")
            .anyMatch(
                r ->
                    r.conversation().allText().contains("queue: " + QueueFinder.label(queue, env)));
        assertThat(run.leftovers()).isEmpty();
      }
    }
    assertThat(queue.resolve("completed/api-audit.md")).isRegularFile();
    assertThat(queue.resolve("completed/db-audit.md")).isRegularFile();
    // The worktree's tasks/ is git's copy of what was committed (two pending tasks, the log),
    // and nothing wrote to it: the worktree is exactly as checked out.
    assertThat(worktree.resolve("tasks/pending/api-audit.md")).isRegularFile();
    assertThat(Git.run(worktree, "status", "--porcelain", "--untracked-files=all")).isEmpty();
    assertThat(where.resolve("tasks")).doesNotExist();
  }

  private static String mcpList(Path claude, Path cwd, Map<String, String> env) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(claude.toString(), "mcp", "list").directory(cwd.toFile());
    pb.environment()
        .keySet()
        .removeIf(
            k -> k.startsWith("CLAUDE") || k.startsWith("ANTHROPIC") || k.startsWith("TASKQ_"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("claude mcp list did not end in 90 s: " + out);
    }
    return out;
  }
}

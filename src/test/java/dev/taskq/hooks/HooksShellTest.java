package dev.taskq.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.project.Git;
import dev.taskq.project.Launcher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed launcher answers the fast hooks in sh ({@code hooks.sh}, written into it; no JVM);
 * the jar answers them where taskq runs without its launcher. Both must find the same session
 * folder (the same key, the same queue as {@code QueueFinder}) and do the same thing in it.
 */
class HooksShellTest {
  @TempDir Path dir;
  Path script;
  Process claude; // stands in for the Claude Code process: hooks key on its pid and start time
  String key;
  final List<Path> made = new ArrayList<>();

  /** What one run did. */
  record Run(int code, String out, String err) {}

  @BeforeEach
  void setUp() throws Exception {
    // The launcher `taskq install` writes, with a java that does not exist: a fast hook that fell
    // through to the JVM would fail loudly instead of passing unseen.
    script = dir.resolve("taskq");
    Files.writeString(
        script,
        new Launcher(
                "9.9.9",
                dir.resolve("taskq.jar"),
                dir.resolve("no-java/bin/java"),
                dir.resolve("no.jsa"))
            .render());
    claude = new ProcessBuilder("sleep", "120").start();
    key = SessionKey.of(claude.pid());
  }

  @AfterEach
  void tearDown() throws Exception {
    claude.destroyForcibly();
    claude.waitFor(10, TimeUnit.SECONDS);
  }

  private Path queueIn(Path project) throws IOException {
    Path q = project.resolve("tasks");
    Files.createDirectories(q.resolve("pending"));
    Files.createDirectories(SessionFiles.root(q).resolve(key));
    return q;
  }

  private Map<String, String> env(Path projectDir) {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv("PATH"));
    env.put("HOME", dir.toString());
    env.put("CLAUDE_PID", Long.toString(claude.pid()));
    if (projectDir != null) {
      env.put("CLAUDE_PROJECT_DIR", projectDir.toString());
    }
    return env;
  }

  private Run sh(String event, Map<String, String> env, Path cwd, String stdin) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("sh", script.toString(), "hook", event).directory(cwd.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the hook may exit before reading its stdin, as Claude Code allows
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, err);
  }

  private Run java(String event, Map<String, String> env, Path cwd, String stdin) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Hooks.run(
            event,
            env,
            cwd,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintWriter(out),
            new PrintWriter(err),
            Clock.systemUTC());
    return new Run(code, out.toString(), err.toString());
  }

  /** Runs every fast hook both ways in {@code cwd} and checks they acted on {@code queue}. */
  private void bothAlike(Path queue, Map<String, String> env, Path cwd) throws Exception {
    SessionFiles f = SessionFiles.of(queue, key);
    String payload = HookRig.fixture("PostToolUse-Read.json");

    assertThat(sh("pre-tool-use", env, cwd, payload)).isEqualTo(new Run(0, "", ""));
    assertThat(f.read(SessionFiles.ACTIVITY)).isEqualTo("1");
    assertThat(java("post-tool-use", env, cwd, payload)).isEqualTo(new Run(0, "", ""));
    assertThat(f.read(SessionFiles.ACTIVITY)).isEqualTo("0");
    assertThat(java("pre-tool-use", env, cwd, payload)).isEqualTo(new Run(0, "", ""));
    assertThat(sh("post-tool-use", env, cwd, payload)).isEqualTo(new Run(0, "", ""));
    assertThat(f.read(SessionFiles.ACTIVITY)).isEqualTo("0");

    String news = "12\nDONE: a — result in tasks/completed/a.md\n… and 9 more finished since\n";
    String shown = "DONE: a — result in tasks/completed/a.md\n… and 9 more finished since\n";
    String prompt = HookRig.fixture("UserPromptSubmit.json");
    f.replace(SessionFiles.NEWS, news);
    assertThat(sh("user-prompt-submit", env, cwd, prompt)).isEqualTo(new Run(0, shown, ""));
    assertThat(f.read(SessionFiles.PROMPT)).isEqualTo("12");
    f.delete(SessionFiles.PROMPT);
    assertThat(java("user-prompt-submit", env, cwd, prompt)).isEqualTo(new Run(0, shown, ""));
    assertThat(f.read(SessionFiles.PROMPT)).isEqualTo("12");

    f.delete(SessionFiles.NEWS);
    assertThat(sh("user-prompt-submit", env, cwd, prompt)).isEqualTo(new Run(0, "", ""));
    assertThat(f.read(SessionFiles.PROMPT)).isEqualTo("0");
  }

  @Test
  void in_the_project_root_both_find_the_session_folder_of_claude_code() throws Exception {
    Path project = Files.createDirectories(dir.resolve("project"));
    Path queue = queueIn(project);

    bothAlike(queue, env(project), project);
  }

  @Test
  void from_a_subfolder_both_walk_up_past_a_tasks_folder_of_another_tool() throws Exception {
    Path project = Files.createDirectories(dir.resolve("project"));
    Path queue = queueIn(project);
    Path sub = Files.createDirectories(project.resolve("ansible/roles/web"));
    Files.createDirectories(project.resolve("ansible/roles/tasks")); // not a queue

    bothAlike(queue, env(null), sub);
    bothAlike(queue, env(sub), sub);
  }

  @Test
  void in_a_linked_git_worktree_both_use_the_main_checkouts_queue() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.writeString(repo.resolve("README"), "hi\n");
    Git.run(repo, "init", "-q");
    Git.commitAll(repo);
    Path wt = Git.addWorktree(repo, dir.resolve("wt"), "feature");
    Path queue = queueIn(repo);
    Files.createDirectories(wt.resolve("tasks")); // the worktree's own checkout of tasks/

    bothAlike(queue, env(wt), wt);
  }

  @Test
  void taskq_dir_names_the_queue_for_both() throws Exception {
    Path project = Files.createDirectories(dir.resolve("project"));
    queueIn(project);
    Path elsewhere = queueIn(Files.createDirectories(dir.resolve("shared")));
    Map<String, String> env = env(project);
    env.put("TASKQ_DIR", elsewhere.toString());

    bothAlike(elsewhere, env, project);
  }

  @Test
  void without_a_session_folder_or_claude_pid_neither_writes_or_prints_anything() throws Exception {
    Path project = Files.createDirectories(dir.resolve("project"));
    Path queue = project.resolve("tasks");
    Files.createDirectories(queue.resolve("pending"));
    Map<String, String> env = env(project);
    Map<String, String> noPid = new HashMap<>(env);
    noPid.remove("CLAUDE_PID");
    Map<String, String> badPid = new HashMap<>(env);
    badPid.put("CLAUDE_PID", "12; rm -rf /");

    for (String event : List.of("pre-tool-use", "post-tool-use", "user-prompt-submit")) {
      for (Map<String, String> e : List.of(env, noPid, badPid)) {
        assertThat(sh(event, e, project, "{}")).isEqualTo(new Run(0, "", ""));
        assertThat(java(event, e, project, "{}")).isEqualTo(new Run(0, "", ""));
      }
    }
    assertThat(HookRig.tree(queue)).containsOnlyKeys("", "pending");
  }

  @Test
  void stop_and_session_start_start_no_jvm_when_the_session_clearly_holds_nothing()
      throws Exception {
    Path project = Files.createDirectories(dir.resolve("project"));
    Path queue = queueIn(project);
    SessionFiles f = SessionFiles.of(queue, key);
    f.replace(SessionFiles.SERVER, "1 server\n");
    Map<String, String> env = env(project);
    String stop = HookRig.fixture("Stop-stop_hook_active-false.json");

    // The launcher's jar does not exist: any of these starting a JVM would fail loudly.
    assertThat(sh("stop", env, project, stop)).isEqualTo(new Run(0, "", ""));
    for (String source : List.of("startup", "clear", "compact")) {
      assertThat(
              sh(
                  "session-start",
                  env,
                  project,
                  HookRig.fixture("SessionStart-" + source + ".json")))
          .as(source)
          .isEqualTo(new Run(0, "", ""));
    }
    Map<String, String> off = new HashMap<>(env);
    off.put("TASKQ_HOOKS", "off");
    assertThat(sh("stop-failure", off, project, "{}")).isEqualTo(new Run(0, "", ""));

    // Holding a claim, or resuming, or no folder: the JVM is asked (here: it is missing).
    f.replace(SessionFiles.CLAIMS, "{\"claims\":[]}\n");
    assertThat(sh("stop", env, project, stop).err()).contains("taskq.jar is missing");
    assertThat(
            sh("session-start", env, project, HookRig.fixture("SessionStart-compact.json")).err())
        .contains("taskq.jar is missing");
    assertThat(sh("session-start", env, project, HookRig.fixture("SessionStart-resume.json")).err())
        .contains("taskq.jar is missing");
    assertThat(sh("stop-failure", env, project, "{}").err()).contains("taskq.jar is missing");
  }

  @Test
  void a_folder_the_server_removed_meanwhile_costs_nothing_but_silence() throws Exception {
    Path project = Files.createDirectories(dir.resolve("project"));
    Path queue = queueIn(project);
    Path folder = SessionFiles.of(queue, key).dir();
    Files.delete(folder);

    assertThat(sh("post-tool-use", env(project), project, "{}")).isEqualTo(new Run(0, "", ""));
    assertThat(Files.exists(folder)).isFalse();
  }
}

package dev.taskq.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.project.Git;
import dev.taskq.project.InstalledTaskq;
import dev.taskq.project.QueueFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One project, one queue, wherever a session or a command starts: sessions spawned exactly as
 * Claude Code spawns the .mcp.json command (working folder and CLAUDE_PROJECT_DIR set to where
 * {@code claude} started) and CLI commands, in a subfolder and in a git worktree, all reach the
 * project's tasks/, and no other tasks/ appears anywhere.
 */
class OneQueueIT {
  @TempDir Path tmp;
  Path project;
  InstalledTaskq taskq;

  @BeforeEach
  void setUp() throws Exception {
    assertThat(QueueFinder.walkUp(tmp)).as("a queue above the test folder").isNull();
    project = Files.createDirectories(tmp.resolve("shop"));
    Files.writeString(project.resolve("README.md"), "# shop\n");
    Files.createDirectories(project.resolve("src/api"));
    Files.writeString(project.resolve("src/api/handler.js"), "// api\n");
    taskq = InstalledTaskq.into(tmp.resolve("home"));
  }

  private String taskq(Path cwd, String... args) throws Exception {
    return taskq.run(cwd, args);
  }

  /** The command .mcp.json registers, exactly as written there. */
  @SuppressWarnings("unchecked")
  private List<String> registered() throws Exception {
    Map<String, Object> root =
        WireClient.JSON.readValue(Files.readString(project.resolve(".mcp.json")), Map.class);
    Map<String, Object> entry =
        (Map<String, Object>) ((Map<String, Object>) root.get("mcpServers")).get("taskq");
    assertThat(entry).as("the taskq entry").doesNotContainKey("env");
    List<String> command = new ArrayList<>();
    command.add((String) entry.get("command"));
    command.addAll((List<String>) entry.get("args"));
    return command;
  }

  /**
   * A session as Claude Code starts one for `claude` run in {@code where}: the registered command
   * looked up on the user's PATH, working folder and CLAUDE_PROJECT_DIR there.
   */
  private WireClient session(Path where) throws Exception {
    Map<String, String> env = new HashMap<>(taskq.env());
    env.put("CLAUDE_PROJECT_DIR", where.toString());
    WireClient c = WireClient.spawn(InstalledTaskq.resolve(registered(), taskq.env()), env, where);
    c.initialize();
    return c;
  }

  @Test
  void sessions_and_commands_in_a_subfolder_and_in_a_worktree_reach_the_one_queue()
      throws Exception {
    taskq(project, "init");
    Git.commitAll(project);
    Path worktree = Git.addWorktree(project, tmp.resolve("shop-feature"), "feature");
    Path queue = project.resolve("tasks");
    Path inSub = project.resolve("src/api");
    Path inWorktree = worktree.resolve("src/api");
    String label = QueueFinder.label(queue, System.getenv());

    try (WireClient sub = session(inSub)) {
      String reply =
          sub.tool(
              "enqueue_task",
              Map.of("tasks", List.of(Map.of("id", "from-sub", "title", "T", "criterion", "c"))));
      assertThat(reply).contains("Queue: " + label);
      assertThat(sub.closeInput()).isZero();
    }
    try (WireClient wt = session(inWorktree)) {
      String packet = wt.tool("claim_next", Map.of());
      assertThat(packet).startsWith("Claimed task from-sub").contains("queue: " + label + "\n");
      String idle = wt.tool("claim_next", Map.of());
      assertThat(idle).startsWith("Nothing to claim").contains("Queue: " + label + "\n");
      assertThat(wt.result("resources/read", Map.of("uri", "taskq://queue")).toString())
          .contains("# taskq queue " + label + "\n");
      assertThat(wt.closeInput()).isZero();
    }

    taskq(inWorktree, "add", "From the worktree", "-c", "c", "--id", "from-worktree");
    taskq(inSub, "add", "From the subfolder", "-c", "c", "--id", "from-subfolder");
    String status = taskq(inWorktree, "status");
    String doctor = taskq(inWorktree, "doctor");

    assertThat(status).contains(label, "from-worktree", "from-subfolder");
    assertThat(doctor)
        .contains("queue " + label + " (the main checkout's queue, shared by its git worktrees)");
    assertThat(queue.resolve("pending/from-worktree.md")).isRegularFile();
    assertThat(queue.resolve("pending/from-subfolder.md")).isRegularFile();
    assertThat(Files.readString(queue.resolve("log.txt"))).contains("CLAIMED: from-sub");
    try (Stream<Path> all = Files.walk(tmp)) {
      List<Path> taskFolders =
          all.filter(p -> p.getFileName().toString().equals("tasks")).sorted().toList();
      assertThat(taskFolders).containsExactlyInAnyOrder(queue, worktree.resolve("tasks"));
    }
    // The worktree's tasks/ is git's copy of what was committed, and nothing more.
    try (Stream<Path> copy = Files.list(worktree.resolve("tasks"))) {
      assertThat(copy.map(p -> p.getFileName().toString())).containsExactly(".gitignore");
    }
  }

  @Test
  void a_session_and_a_command_where_no_queue_is_set_up_fail_in_one_line_and_create_nothing()
      throws Exception {
    Path inSub = project.resolve("src/api");

    Map<String, String> env = new HashMap<>(taskq.env());
    env.put("CLAUDE_PROJECT_DIR", inSub.toString());
    try (WireClient s =
        WireClient.spawn(InstalledTaskq.resolve(List.of("taskq", "serve"), env), env, inSub)) {
      s.initialize();
      String reply = s.tool("claim_next", Map.of());
      assertThat(reply)
          .startsWith(
              "ERROR NOT_FOUND: no taskq queue: no tasks/ folder set up by `taskq init` in ")
          .contains(QueueFinder.label(inSub, System.getenv()))
          .contains("ask the user to run `taskq init`")
          .doesNotContain("\n");
      assertThat(s.closeInput()).isZero();
    }
    InstalledTaskq.Result add = taskq.result(inSub, "add", "Stray", "-c", "c");

    assertThat(add.code()).isEqualTo(1);
    assertThat(add.out()).isEmpty();
    assertThat(add.err().lines()).hasSize(1);
    assertThat(add.err())
        .contains("no taskq queue", "run `taskq init` in your project's root folder");
    try (Stream<Path> all = Files.walk(project)) {
      assertThat(all.filter(f -> f.getFileName().toString().equals("tasks"))).isEmpty();
    }
    Files.deleteIfExists(inSub.resolve("server-stderr.log"));
    try (Stream<Path> left = Files.list(inSub)) {
      assertThat(left.map(f -> f.getFileName().toString())).containsExactly("handler.js");
    }
  }
}

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .mcp.json entry {@code taskq init} writes can be committed and shared: it starts the server
 * through the installed {@code taskq} on PATH, whatever happens to the clone taskq was installed
 * from, and on a teammate's machine (another HOME that installed taskq) with no edit.
 */
class SharedRegistrationIT {
  @TempDir Path tmp;
  Path clone;
  Path cloneJar;
  Path project;

  @BeforeEach
  void setUp() throws Exception {
    assertThat(QueueFinder.walkUp(tmp)).as("a queue above the test folder").isNull();
    // Where a person built taskq: a clone with target/taskq.jar.
    clone = Files.createDirectories(tmp.resolve("src/taskq"));
    cloneJar =
        Files.copy(
            InstalledTaskq.builtJar(),
            Files.createDirectories(clone.resolve("target")).resolve("taskq.jar"));
    project = Files.createDirectories(tmp.resolve("src/shop/src/api")).getParent().getParent();
    Files.writeString(project.resolve("README.md"), "# shop\n");
  }

  @SuppressWarnings("unchecked")
  private static List<String> registered(Path project) throws Exception {
    Map<String, Object> root =
        WireClient.JSON.readValue(Files.readString(project.resolve(".mcp.json")), Map.class);
    Map<String, Object> entry =
        (Map<String, Object>) ((Map<String, Object>) root.get("mcpServers")).get("taskq");
    assertThat(entry)
        .containsEntry("type", "stdio")
        .containsEntry("command", "taskq")
        .containsEntry("args", List.of("serve"))
        .doesNotContainKey("env");
    List<String> command = new ArrayList<>();
    command.add((String) entry.get("command"));
    command.addAll((List<String>) entry.get("args"));
    return command;
  }

  /**
   * Starts the registered command as Claude Code does for `claude` run in {@code where}: looked up
   * on the user's PATH, working folder and CLAUDE_PROJECT_DIR there; returns claim_next's answer.
   */
  private static String sessionClaims(InstalledTaskq user, Path project, Path where)
      throws Exception {
    Map<String, String> env = new HashMap<>(user.env());
    env.put("CLAUDE_PROJECT_DIR", where.toString());
    List<String> command = InstalledTaskq.resolve(registered(project), user.env());
    try (WireClient c = WireClient.spawn(command, env, where)) {
      assertThat(c.initialize().toString()).contains("name=taskq");
      assertThat(c.result("tools/list", Map.of()).toString()).contains("claim_next");
      String reply = c.tool("claim_next", Map.of());
      assertThat(c.closeInput()).isZero();
      return reply;
    }
  }

  @Test
  void the_registered_server_starts_after_the_clone_it_came_from_is_rebuilt_moved_and_deleted()
      throws Exception {
    InstalledTaskq ana = InstalledTaskq.into(tmp.resolve("home-ana"), cloneJar, false);
    ana.run(project, "init");
    ana.run(project, "add", "Audit the API", "-c", "every handler listed", "--id", "api-audit");
    Path where = project.resolve("src/api");
    String queue = QueueFinder.label(project.resolve("tasks"), ana.env());

    // Rebuilt: the clone's jar is replaced (here by a build that says 9.9.9).
    InstalledTaskq.withVersion(cloneJar, "9.9.9", cloneJar);
    assertThat(sessionClaims(ana, project, where))
        .startsWith("Claimed task api-audit")
        .contains("queue: " + queue + "\n");

    // Moved.
    Path moved = Files.move(clone, tmp.resolve("elsewhere"));
    // (the last session handed its claim back when it ended)
    assertThat(sessionClaims(ana, project, where))
        .startsWith("Claimed task api-audit (attempt 1 of 3)")
        .contains("queue: " + queue + "\n");

    // Deleted.
    InstalledTaskq.deleteTree(moved);
    assertThat(sessionClaims(ana, project, where)).startsWith("Claimed task api-audit");
    assertThat(ana.run(where, "--version")).doesNotContain("9.9.9");
  }

  @Test
  void a_teammates_clone_on_another_machine_starts_the_same_entry_with_no_edit() throws Exception {
    InstalledTaskq ana = InstalledTaskq.into(tmp.resolve("home-ana"), cloneJar, false);
    ana.run(project, "init");
    Git.commitAll(project);
    byte[] entry = Files.readAllBytes(project.resolve(".mcp.json"));

    // Ben's machine: his own HOME, his own install, a fresh clone of the project (git keeps only
    // tasks/.gitignore of the queue: no empty folders, no .taskq/).
    InstalledTaskq ben = InstalledTaskq.into(tmp.resolve("home-ben"), cloneJar, false);
    Path bens = tmp.resolve("ben/shop");
    Files.createDirectories(bens.getParent());
    Git.run(bens.getParent(), "clone", "-q", project.toString(), bens.toString());
    assertThat(Files.readAllBytes(bens.resolve(".mcp.json"))).isEqualTo(entry);
    try (var kept = Files.list(bens.resolve("tasks"))) {
      assertThat(kept.map(p -> p.getFileName().toString())).containsExactly(".gitignore");
    }
    ben.run(bens, "add", "Ben's task", "-c", "done", "--id", "bens-task");
    Files.createDirectories(bens.resolve("src/api"));

    assertThat(sessionClaims(ben, bens, bens.resolve("src/api")))
        .startsWith("Claimed task bens-task")
        .contains("queue: " + QueueFinder.label(bens.resolve("tasks"), ben.env()) + "\n");
    assertThat(project.resolve("tasks/pending/bens-task.md")).doesNotExist();
  }
}

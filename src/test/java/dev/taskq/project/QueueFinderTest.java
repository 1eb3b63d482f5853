package dev.taskq.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskq.core.Audience;
import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueFinderTest {
  @TempDir Path tmp;
  Path project;
  final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() throws IOException {
    assertThat(QueueFinder.walkUp(tmp))
        .as("a queue above the test's temp folder would be found by every test here")
        .isNull();
    project = Files.createDirectories(tmp.resolve("shop"));
  }

  private Path initQueue(Path dir) throws IOException {
    Path q = dir.resolve("tasks");
    for (String f : new String[] {"pending", "in-progress", "completed", "failed"}) {
      Files.createDirectories(q.resolve(f));
    }
    Files.writeString(q.resolve(".gitignore"), ".taskq/\n");
    return q;
  }

  @Test
  void a_command_in_a_subfolder_finds_the_projects_queue() throws IOException {
    Path queue = initQueue(project);
    Path deep = Files.createDirectories(project.resolve("src/api/handlers"));

    QueueLocation found = QueueFinder.forCommand(env, deep, null);

    assertThat(found.dir()).isEqualTo(queue);
    assertThat(found.source()).isEqualTo(QueueLocation.Source.FOUND);
    assertThat(found.named()).isFalse();
  }

  @Test
  void a_session_starts_from_claude_project_dir_not_from_its_working_folder() throws IOException {
    Path queue = initQueue(project);
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    env.put("CLAUDE_PROJECT_DIR", project.resolve("src").toString());

    assertThat(QueueFinder.forSession(env, elsewhere).dir()).isEqualTo(queue);
  }

  @Test
  void the_nearest_queue_wins() throws IOException {
    initQueue(project);
    Path inner = initQueue(Files.createDirectories(project.resolve("services/billing")));

    assertThat(QueueFinder.forCommand(env, inner.getParent().resolve("src"), null).dir())
        .isEqualTo(inner);
  }

  @Test
  void a_tasks_folder_of_another_tool_is_walked_past() throws IOException {
    Path queue = initQueue(project);
    Path role = Files.createDirectories(project.resolve("roles/web/tasks"));
    Files.writeString(role.resolve("main.yml"), "- name: install nginx\n");
    Files.writeString(role.resolve(".gitignore"), "*.retry\n");

    assertThat(QueueFinder.forCommand(env, role.getParent(), null).dir()).isEqualTo(queue);
    assertThat(QueueFinder.isQueue(role)).isFalse();
  }

  @Test
  void a_fresh_clone_that_has_only_the_committed_gitignore_is_a_queue() throws IOException {
    // git keeps neither empty folders nor the ignored .taskq/: this is all a teammate's clone has.
    Path q = Files.createDirectories(project.resolve("tasks"));
    Files.writeString(q.resolve(".gitignore"), "# taskq's lock ...\n.taskq/\n");

    assertThat(QueueFinder.forCommand(env, project, null).dir()).isEqualTo(q);
  }

  @Test
  void a_git_worktree_uses_the_main_checkouts_queue_not_its_own_copy_of_tasks() throws Exception {
    Path queue = initQueue(project);
    Files.writeString(queue.resolve("pending/committed.md"), "A task someone committed\n");
    Git.commitAll(project);
    Path worktree = Git.addWorktree(project, tmp.resolve("shop-feature"), "feature");
    assertThat(worktree.resolve("tasks/pending/committed.md")).isRegularFile();
    Path sub = Files.createDirectories(worktree.resolve("src/api"));

    QueueLocation found = QueueFinder.forCommand(env, sub, null);

    assertThat(found.dir()).isEqualTo(queue);
    assertThat(found.source()).isEqualTo(QueueLocation.Source.WORKTREE);
  }

  @Test
  void a_worktree_inside_the_main_checkout_uses_the_main_queue() throws Exception {
    Path queue = initQueue(project);
    Git.commitAll(project);
    Path worktree =
        Git.addWorktree(project, project.resolve(".claude/worktrees/agent-1"), "agent-1");

    assertThat(QueueFinder.forCommand(env, worktree, null).dir()).isEqualTo(queue);
  }

  @Test
  void a_worktree_with_relative_gitdir_pointers_is_followed() throws IOException {
    Path queue = initQueue(project);
    Path gitDir = Files.createDirectories(project.resolve(".git/worktrees/wt"));
    Files.writeString(gitDir.resolve("commondir"), "../..\n");
    Path worktree = Files.createDirectories(tmp.resolve("wt"));
    Files.writeString(worktree.resolve(".git"), "gitdir: ../shop/.git/worktrees/wt\n");

    assertThat(QueueFinder.forCommand(env, worktree, null).dir()).isEqualTo(queue);
  }

  @Test
  void a_submodule_is_a_project_of_its_own() throws IOException {
    initQueue(project);
    Path modules = Files.createDirectories(project.resolve(".git/modules/lib"));
    Path lib = Files.createDirectories(project.resolve("lib"));
    Files.writeString(lib.resolve(".git"), "gitdir: ../.git/modules/lib\n");
    Path libQueue = initQueue(lib);

    assertThat(QueueFinder.forCommand(env, lib, null).dir()).isEqualTo(libQueue);
    assertThat(modules).isDirectory();
  }

  @Test
  void taskq_dir_names_the_queue_relative_to_the_working_folder_and_wins() throws IOException {
    initQueue(project);
    env.put("TASKQ_DIR", "../shared/q");

    QueueLocation found = QueueFinder.forCommand(env, project, null);

    assertThat(found.dir()).isEqualTo(tmp.resolve("shared/q"));
    assertThat(found.source()).isEqualTo(QueueLocation.Source.TASKQ_DIR);
    assertThat(found.named()).isTrue();
    assertThat(QueueFinder.forCommand(env, project, Path.of("mine")).dir())
        .isEqualTo(project.resolve("mine"));
  }

  @Test
  void no_queue_is_one_line_that_names_where_it_looked_and_what_to_run() throws IOException {
    Path sub = Files.createDirectories(project.resolve("src"));
    env.put("HOME", tmp.toString());

    TaskqException e =
        catchThrowableOfType(TaskqException.class, () -> QueueFinder.forCommand(env, sub, null));

    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(e.describe(Audience.PERSON))
        .isEqualTo(
            "NOT_FOUND: no taskq queue: no tasks/ folder set up by `taskq init` in ~/shop/src or"
                + " above it; run `taskq init` in your project's root folder (or set TASKQ_DIR)")
        .doesNotContain("\n");
    assertThat(e.describe(Audience.MODEL))
        .contains("ask the user to run `taskq init`", "do not create tasks/ yourself");
    try (Stream<Path> all = Files.walk(tmp)) {
      assertThat(all.filter(p -> p.getFileName().toString().equals("tasks"))).isEmpty();
    }
  }

  @Test
  void no_queue_in_a_worktree_names_the_main_checkout_it_looked_in() throws Exception {
    Git.commitAll(project);
    Path worktree = Git.addWorktree(project, tmp.resolve("shop-feature"), "feature");

    TaskqException e =
        catchThrowableOfType(
            TaskqException.class, () -> QueueFinder.forCommand(env, worktree, null));

    assertThat(e.getMessage())
        .contains("in " + project + " (the main checkout of the git worktree " + worktree + ")");
  }

  @Test
  void a_folder_under_home_is_labelled_with_a_tilde() {
    env.put("HOME", "/home/ana");

    assertThat(QueueFinder.label(Path.of("/home/ana/src/shop/tasks"), env))
        .isEqualTo("~/src/shop/tasks");
    assertThat(QueueFinder.label(Path.of("/home/anabel/tasks"), env))
        .isEqualTo("/home/anabel/tasks");
    assertThat(QueueFinder.label(Path.of("/srv/tasks"), Map.of())).isEqualTo("/srv/tasks");
  }

  @Test
  void init_targets_the_main_checkout_from_a_worktree_and_knows_what_sessions_would_find()
      throws Exception {
    Git.commitAll(project);
    Path worktree = Git.addWorktree(project, tmp.resolve("shop-feature"), "feature");

    assertThat(QueueFinder.initTarget(worktree)).isEqualTo(project.resolve("tasks"));
    assertThat(QueueFinder.initTarget(project)).isEqualTo(project.resolve("tasks"));
    assertThat(QueueFinder.wouldFind(worktree, project.resolve("tasks"))).isTrue();
    assertThat(QueueFinder.wouldFind(worktree, worktree.resolve("tasks"))).isFalse();
    assertThat(QueueFinder.wouldFind(project.resolve("src"), project.resolve("tasks"))).isTrue();
    initQueue(Files.createDirectories(project.resolve("src")));
    assertThat(QueueFinder.wouldFind(project.resolve("src"), project.resolve("tasks"))).isFalse();
  }
}

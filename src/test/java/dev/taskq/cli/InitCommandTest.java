package dev.taskq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.project.Git;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class InitCommandTest {
  @TempDir Path tmp;
  CliRun cli;
  Path project;

  @BeforeEach
  void setUp() throws IOException {
    project = Files.createDirectories(tmp.resolve("proj"));
    cli = new CliRun(project);
  }

  private JsonNode mcpJson() throws IOException {
    return JsonText.MAPPER.readTree(Files.readString(project.resolve(".mcp.json")));
  }

  @Test
  void init_in_an_empty_project_creates_the_layout_the_registration_and_the_claude_md_section()
      throws IOException {
    CliRun.Result r = cli.run("init");

    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    for (String folder : List.of("pending", "in-progress", "completed", "failed", "checkpoints")) {
      assertThat(project.resolve("tasks").resolve(folder)).isDirectory();
    }
    assertThat(Files.readString(project.resolve("tasks/.gitignore"))).contains("\n.taskq/\n");
    // The same on every machine: the installed taskq on PATH, no paths, nothing that depends on
    // the folder a session starts in (it finds tasks/ itself).
    assertThat(Files.readString(project.resolve(".mcp.json")))
        .isEqualTo(
            """
            {
              "mcpServers": {
                "taskq": {
                  "type": "stdio",
                  "command": "taskq",
                  "args": [
                    "serve"
                  ]
                }
              }
            }
            """);
    String claudeMd = Files.readString(project.resolve("CLAUDE.md"));
    assertThat(claudeMd).startsWith(ClaudeMdFile.BEGIN).contains(ClaudeMdFile.template().strip());
    assertThat(r.out())
        .contains("created", "tasks/", ".mcp.json created", "CLAUDE.md: created")
        .contains("claude mcp add taskq --scope project -- taskq serve\n")
        // no taskq on this run's PATH: say what sessions need
        .contains("`taskq` is not on this machine's PATH, so sessions cannot start the server yet");
  }

  @Test
  void init_keeps_every_other_server_and_top_level_key() throws IOException {
    String before =
        """
        {
          "mcpServers": {
            "github": {"type": "stdio", "command": "npx", "args": ["-y", "gh-mcp"], "env": {"TOKEN": "${GH}"}},
            "sentry": {"type": "http", "url": "https://mcp.sentry.dev/mcp"}
          },
          "someOtherTool": {"keep": [1, 2, 3]}
        }
        """;
    Files.writeString(project.resolve(".mcp.json"), before);
    JsonNode original = JsonText.MAPPER.readTree(before);

    CliRun.Result r = cli.run("init");

    assertThat(r.code()).isZero();
    JsonNode after = mcpJson();
    assertThat(after.path("mcpServers").path("github"))
        .isEqualTo(original.path("mcpServers").path("github"));
    assertThat(after.path("mcpServers").path("sentry"))
        .isEqualTo(original.path("mcpServers").path("sentry"));
    assertThat(after.path("someOtherTool")).isEqualTo(original.path("someOtherTool"));
    assertThat(after.path("mcpServers").propertyNames())
        .containsExactly("github", "sentry", "taskq");
    assertThat(r.out()).contains("added the taskq server (kept github, sentry)");
    // Written the way Claude Code writes it, so a diff of .mcp.json shows only the new entry.
    assertThat(Files.readString(project.resolve(".mcp.json")))
        .startsWith("{\n  \"mcpServers\": {\n    \"github\": {\n      \"type\": \"stdio\",")
        .contains("\"args\": [\n        \"-y\",\n        \"gh-mcp\"\n      ],");
  }

  @Test
  void init_refuses_a_file_that_is_not_json_and_changes_nothing() throws IOException {
    Path mcp = project.resolve(".mcp.json");
    String broken = "{ \"mcpServers\": { \"github\": { \"command\": \"npx\", } \n";
    Files.writeString(mcp, broken);
    FileTime mtime = Files.getLastModifiedTime(mcp);

    CliRun.Result r = cli.run("init");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err())
        .contains(".mcp.json is not valid JSON at line 1")
        .contains("fix or move that file, then run taskq init again; nothing was changed")
        .doesNotContain("Exception");
    assertThat(Files.readString(mcp)).isEqualTo(broken);
    assertThat(Files.getLastModifiedTime(mcp)).isEqualTo(mtime);
    assertThat(project.resolve("tasks")).doesNotExist();
    assertThat(project.resolve("CLAUDE.md")).doesNotExist();
    try (var files = Files.list(project)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(".mcp.json");
    }
  }

  @Test
  void init_refuses_json_whose_servers_are_not_an_object() throws IOException {
    Path mcp = project.resolve(".mcp.json");
    Files.writeString(mcp, "{\"mcpServers\": [\"github\"]}\n");

    CliRun.Result r = cli.run("init");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("\"mcpServers\" is not a JSON object");
    assertThat(Files.readString(mcp)).isEqualTo("{\"mcpServers\": [\"github\"]}\n");
  }

  @Test
  void an_empty_mcp_json_is_treated_as_no_servers_yet() throws IOException {
    Files.writeString(project.resolve(".mcp.json"), "  \n");

    CliRun.Result r = cli.run("init");

    assertThat(r.code()).isZero();
    assertThat(mcpJson().path("mcpServers").propertyNames()).containsExactly("taskq");
  }

  @Test
  void a_second_init_changes_nothing() throws IOException {
    Files.writeString(project.resolve("CLAUDE.md"), "# My project\n\nBuild with make.\n");
    assertThat(cli.run("init").code()).isZero();
    byte[] mcp = Files.readAllBytes(project.resolve(".mcp.json"));
    byte[] claude = Files.readAllBytes(project.resolve("CLAUDE.md"));
    FileTime mcpTime = Files.getLastModifiedTime(project.resolve(".mcp.json"));
    FileTime claudeTime = Files.getLastModifiedTime(project.resolve("CLAUDE.md"));
    Path ignore = project.resolve("tasks/.gitignore");
    Files.writeString(ignore, "# mine\n");

    CliRun.Result second = cli.run("init");

    assertThat(second.code()).isZero();
    assertThat(second.out())
        .contains("tasks/ is already set up")
        .contains(".mcp.json already registers taskq")
        .contains("CLAUDE.md already has the taskq section")
        .doesNotContain("wrote", "created");
    assertThat(Files.readAllBytes(project.resolve(".mcp.json"))).isEqualTo(mcp);
    assertThat(Files.readAllBytes(project.resolve("CLAUDE.md"))).isEqualTo(claude);
    assertThat(Files.getLastModifiedTime(project.resolve(".mcp.json"))).isEqualTo(mcpTime);
    assertThat(Files.getLastModifiedTime(project.resolve("CLAUDE.md"))).isEqualTo(claudeTime);
    assertThat(Files.readString(ignore)).isEqualTo("# mine\n");
    assertThat(new String(claude, StandardCharsets.UTF_8))
        .startsWith("# My project\n\nBuild with make.\n\n" + ClaudeMdFile.BEGIN);
  }

  @Test
  void a_0_1_0_entry_becomes_taskq_serve_and_keeps_settings_the_user_added() throws IOException {
    Files.writeString(
        project.resolve(".mcp.json"),
        """
        {"mcpServers": {"taskq": {"type": "stdio", "command": "/usr/lib/jvm/java-17/bin/java",
          "args": ["-XX:SharedArchiveFile=/p/tasks/.taskq/server.jsa", "-jar", "/old/taskq.jar", "serve"],
          "env": {"TASKQ_DIR": "${CLAUDE_PROJECT_DIR:-.}/tasks", "TASKQ_LEASE_SECONDS": "600"}}}}
        """);

    CliRun.Result r = cli.run("init");

    assertThat(r.code()).isZero();
    JsonNode taskq = mcpJson().path("mcpServers").path("taskq");
    assertThat(taskq.path("command").asString()).isEqualTo("taskq");
    assertThat(taskq.path("args").toString()).isEqualTo("[\"serve\"]");
    assertThat(taskq.path("env").path("TASKQ_LEASE_SECONDS").asString()).isEqualTo("600");
    // 0.1.0's TASKQ_DIR reached servers as ./tasks of whatever folder a session started in.
    assertThat(taskq.path("env").has("TASKQ_DIR")).isFalse();
    assertThat(r.out()).contains("updated the taskq server to `taskq serve`");
  }

  @Test
  void a_claude_md_that_already_has_the_template_heading_is_left_alone() throws IOException {
    String heading = ClaudeMdFile.template().strip().lines().findFirst().orElseThrow();
    String mine = "# Notes\n\n" + heading + "\nMy own edited version of the section.\n";
    Files.writeString(project.resolve("CLAUDE.md"), mine);

    assertThat(cli.run("init").code()).isZero();

    assertThat(Files.readString(project.resolve("CLAUDE.md"))).isEqualTo(mine);
  }

  @Test
  void local_scope_writes_no_mcp_json_and_prints_the_claude_mcp_add_line() throws IOException {
    CliRun.Result r = cli.run("init", "--scope", "local");

    assertThat(r.code()).isZero();
    assertThat(project.resolve(".mcp.json")).doesNotExist();
    assertThat(project.resolve("CLAUDE.md")).doesNotExist();
    assertThat(Files.readString(project.resolve("CLAUDE.local.md"))).contains(ClaudeMdFile.BEGIN);
    assertThat(r.out()).contains("claude mcp add taskq --scope local");
  }

  @Test
  void a_queue_dir_outside_the_project_is_registered_by_its_absolute_path() throws IOException {
    Path elsewhere = tmp.resolve("shared-queue");

    CliRun.Result r = cli.run("init", "--dir", elsewhere.toString());

    assertThat(r.code()).isZero();
    assertThat(elsewhere.resolve("pending")).isDirectory();
    assertThat(mcpJson().path("mcpServers").path("taskq").path("env").path("TASKQ_DIR").asString())
        .isEqualTo(elsewhere.toString());
  }

  @Test
  void an_unknown_scope_is_a_usage_error() {
    CliRun.Result r = cli.run("init", "--scope", "global");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--scope").contains("taskq init --help");
    assertThat(project.resolve(".mcp.json")).doesNotExist();
  }

  @Test
  void init_in_a_subfolder_of_a_project_with_a_queue_refuses_and_names_the_queue()
      throws IOException {
    cli.initQueue();
    Path sub = Files.createDirectories(project.resolve("src/api"));
    CliRun inSub = new CliRun(sub, cli.jar);

    CliRun.Result r = inSub.run("init");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err())
        .contains("a queue is already set up above this folder, at " + project.resolve("tasks"))
        .contains("run `taskq init` in " + project);
    assertThat(sub.resolve("tasks")).doesNotExist();
    assertThat(sub.resolve(".mcp.json")).doesNotExist();

    CliRun.Result separate = inSub.run("init", "--dir", "tasks");

    assertThat(separate.code()).as(separate.err()).isZero();
    assertThat(sub.resolve("tasks/pending")).isDirectory();
  }

  @Test
  void init_in_a_git_worktree_sets_up_the_main_checkouts_queue() throws Exception {
    Git.commitAll(project);
    Path worktree = Git.addWorktree(project, tmp.resolve("proj-feature"), "feature");

    CliRun.Result r = new CliRun(worktree, cli.jar).run("init");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(project.resolve("tasks/pending")).isDirectory();
    assertThat(worktree.resolve("tasks")).doesNotExist();
    JsonNode taskq =
        JsonText.MAPPER
            .readTree(Files.readString(worktree.resolve(".mcp.json")))
            .path("mcpServers")
            .path("taskq");
    assertThat(taskq.has("env")).isFalse();
  }
}

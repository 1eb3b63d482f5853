package dev.taskq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code taskq init} registers taskq's hooks in Claude Code's settings, keeping everything else.
 */
class InitHooksTest {
  static final String OURS =
      """
      {
        "hooks": {
          "SessionStart": [
            {
              "hooks": [
                {
                  "type": "command",
                  "command": "taskq hook session-start || true",
                  "timeout": 10
                }
              ]
            }
          ],
          "UserPromptSubmit": [
            {
              "hooks": [
                {
                  "type": "command",
                  "command": "taskq hook user-prompt-submit || true",
                  "timeout": 5
                }
              ]
            }
          ],
          "PreToolUse": [
            {
              "hooks": [
                {
                  "type": "command",
                  "command": "taskq hook pre-tool-use || true",
                  "timeout": 5
                }
              ]
            }
          ],
          "PostToolUse": [
            {
              "hooks": [
                {
                  "type": "command",
                  "command": "taskq hook post-tool-use || true",
                  "timeout": 5
                }
              ]
            }
          ],
          "Stop": [
            {
              "hooks": [
                {
                  "type": "command",
                  "command": "taskq hook stop || true",
                  "timeout": 10
                }
              ]
            }
          ],
          "StopFailure": [
            {
              "hooks": [
                {
                  "type": "command",
                  "command": "taskq hook stop-failure || true",
                  "timeout": 10
                }
              ]
            }
          ]
        }
      }
      """;

  @TempDir Path tmp;
  CliRun cli;
  Path project;
  Path settings;

  @BeforeEach
  void setUp() throws IOException {
    project = Files.createDirectories(tmp.resolve("proj"));
    cli = new CliRun(project);
    settings = project.resolve(".claude/settings.json");
  }

  private static JsonNode json(String text) {
    return JsonText.MAPPER.readTree(text);
  }

  @Test
  void init_registers_one_taskq_hook_per_event_in_claude_settings_json() throws IOException {
    CliRun.Result r = cli.run("init");

    assertThat(r.code()).isZero();
    assertThat(Files.readString(settings)).isEqualTo(OURS);
    assertThat(r.out())
        .contains(
            "wrote     .claude/settings.json: created taskq's hooks (SessionStart,"
                + " UserPromptSubmit, PreToolUse, PostToolUse, Stop, StopFailure)");
  }

  @Test
  void init_keeps_every_other_hook_and_setting_where_they_were() throws IOException {
    Files.createDirectories(settings.getParent());
    String before =
        """
        {
          "permissions": {"allow": ["Bash(npm test)"]},
          "hooks": {
            "PostToolUse": [
              {"matcher": "Write|Edit", "hooks": [{"type": "command", "command": "npx prettier --write"}]}
            ],
            "Notification": [{"hooks": [{"type": "command", "command": "notify-send claude"}]}]
          },
          "env": {"FOO": "bar"}
        }
        """;
    Files.writeString(settings, before);

    CliRun.Result r = cli.run("init");

    assertThat(r.code()).isZero();
    JsonNode after = json(Files.readString(settings));
    JsonNode was = json(before);
    assertThat(after.path("permissions")).isEqualTo(was.path("permissions"));
    assertThat(after.path("env")).isEqualTo(was.path("env"));
    assertThat(after.path("hooks").path("Notification"))
        .isEqualTo(was.path("hooks").path("Notification"));
    assertThat(after.path("hooks").path("PostToolUse").get(0))
        .isEqualTo(was.path("hooks").path("PostToolUse").get(0));
    assertThat(after.path("hooks").path("PostToolUse").get(1))
        .isEqualTo(json(OURS).path("hooks").path("PostToolUse").get(0));
    assertThat(after.propertyNames()).containsExactly("permissions", "hooks", "env");
    assertThat(r.out()).contains("added taskq's hooks").contains("(kept 2 other hooks)");
  }

  @Test
  void init_refuses_settings_that_are_not_json_and_changes_nothing() throws IOException {
    Files.createDirectories(settings.getParent());
    Files.writeString(settings, "{\"hooks\": {,}}");

    CliRun.Result r = cli.run("init");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains(settings + " is not valid JSON at line 1")
        .contains("nothing was changed");
    assertThat(Files.readString(settings)).isEqualTo("{\"hooks\": {,}}");
    assertThat(project.resolve("tasks")).doesNotExist();
    assertThat(project.resolve(".mcp.json")).doesNotExist();
    assertThat(project.resolve("CLAUDE.md")).doesNotExist();
  }

  @Test
  void init_refuses_hooks_of_another_shape_naming_where() throws IOException {
    Files.createDirectories(settings.getParent());
    Files.writeString(settings, "{\"hooks\": {\"Stop\": {\"command\": \"x\"}}}");

    CliRun.Result r = cli.run("init");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("\"hooks\".Stop is not a JSON array");
    assertThat(project.resolve("tasks")).doesNotExist();
  }

  @Test
  void a_second_init_changes_nothing() throws IOException {
    cli.run("init");
    String first = Files.readString(settings);

    CliRun.Result r = cli.run("init");

    assertThat(Files.readString(settings)).isEqualTo(first);
    assertThat(r.out()).contains("unchanged .claude/settings.json already has taskq's hooks");
  }

  @Test
  void an_entry_an_older_taskq_wrote_is_updated_in_place() throws IOException {
    Files.createDirectories(settings.getParent());
    Files.writeString(
        settings,
        """
        {"hooks": {"Stop": [{"hooks": [
          {"type": "command", "command": "./lint.sh"},
          {"type": "command", "command": "taskq hook stop", "timeout": 60}
        ]}]}}
        """);

    cli.run("init");

    JsonNode stop = json(Files.readString(settings)).path("hooks").path("Stop");
    assertThat(stop).hasSize(1);
    assertThat(stop.get(0).path("hooks").get(0).path("command").asString()).isEqualTo("./lint.sh");
    assertThat(stop.get(0).path("hooks").get(1))
        .isEqualTo(json(OURS).path("hooks").path("Stop").get(0).path("hooks").get(0));
  }

  @Test
  void no_hooks_leaves_claude_settings_alone() throws IOException {
    CliRun.Result r = cli.run("init", "--no-hooks");

    assertThat(r.code()).isZero();
    assertThat(project.resolve(".claude")).doesNotExist();
    assertThat(r.out()).contains("skipped   .claude/settings.json: no hooks (--no-hooks)");
  }

  @Test
  void local_scope_registers_the_hooks_in_settings_local_json() throws IOException {
    CliRun.Result r = cli.run("init", "--scope", "local");

    assertThat(r.code()).isZero();
    assertThat(settings).doesNotExist();
    assertThat(Files.readString(project.resolve(".claude/settings.local.json"))).isEqualTo(OURS);
  }
}

package dev.taskq.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.project.InstalledTaskq;
import dev.taskq.project.QueueFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mcp-config.example.json, launched the way Claude Code would launch it, really serves. */
class ExampleConfigIT {
  @TempDir Path project;

  @Test
  @SuppressWarnings("unchecked")
  void the_example_entry_started_in_a_subfolder_uses_the_projects_tasks_folder() throws Exception {
    Map<String, Object> root =
        WireClient.JSON.readValue(Files.readString(Path.of("mcp-config.example.json")), Map.class);
    Map<String, Object> entry =
        (Map<String, Object>) ((Map<String, Object>) root.get("mcpServers")).get("taskq");
    assertThat(entry)
        .containsEntry("type", "stdio")
        .containsEntry("command", "taskq")
        .containsEntry("args", List.of("serve"))
        .doesNotContainKey("env");
    InstalledTaskq taskq = InstalledTaskq.into(project.resolve("home"));
    Path shop = Files.createDirectories(project.resolve("shop"));
    Path queue = Files.createDirectories(shop.resolve("tasks/pending")).getParent();
    Path sub = Files.createDirectories(shop.resolve("src/api"));
    List<String> command = new ArrayList<>(List.of((String) entry.get("command")));
    command.addAll((List<String>) entry.get("args"));

    // As Claude Code starts it for a session begun in src/api: found on PATH, cwd and
    // CLAUDE_PROJECT_DIR there.
    Map<String, String> env = new HashMap<>(taskq.env());
    env.put("CLAUDE_PROJECT_DIR", sub.toString());
    try (WireClient c = WireClient.spawn(InstalledTaskq.resolve(command, env), env, sub)) {
      assertThat(c.initialize().toString()).contains("name=taskq");
      assertThat(c.tool("claim_next", Map.of()))
          .startsWith(
              "Nothing to claim: the queue is empty.\nQueue: "
                  + QueueFinder.label(queue, env)
                  + "\n");
      assertThat(c.closeInput()).isZero();
    }
    assertThat(queue.resolve(".taskq")).isDirectory();
    assertThat(sub.resolve("tasks")).doesNotExist();
  }
}

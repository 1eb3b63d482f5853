package dev.taskq.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mcp-config.example.json, launched the way Claude Code would launch it, really serves. */
class ExampleConfigIT {
  @TempDir Path project;

  @Test
  @SuppressWarnings("unchecked")
  void the_example_entry_starts_a_server_that_uses_the_projects_tasks_folder() throws Exception {
    Map<String, Object> root =
        WireClient.JSON.readValue(Files.readString(Path.of("mcp-config.example.json")), Map.class);
    Map<String, Object> entry =
        (Map<String, Object>) ((Map<String, Object>) root.get("mcpServers")).get("taskq");
    assertThat(entry).containsEntry("type", "stdio").containsEntry("command", "java");
    Map<String, String> env = (Map<String, String>) entry.get("env");
    assertThat(env).containsEntry("TASKQ_DIR", "${CLAUDE_PROJECT_DIR:-.}/tasks");

    List<String> command = new ArrayList<>(List.of(Jar.java()));
    for (String arg : (List<String>) entry.get("args")) {
      command.add(arg.equals("/absolute/path/to/taskq.jar") ? Jar.path().toString() : arg);
    }
    assertThat(command).contains(Jar.path().toString()).endsWith("serve");
    // What Claude Code's ${VAR:-default} expansion yields for this project.
    String queueDir = env.get("TASKQ_DIR").replace("${CLAUDE_PROJECT_DIR:-.}", project.toString());

    try (WireClient c =
        WireClient.spawn(
            command,
            Map.of("TASKQ_DIR", queueDir, "CLAUDE_PROJECT_DIR", project.toString()),
            project)) {
      assertThat(c.initialize().toString()).contains("name=taskq");
      assertThat(c.tool("claim_next", Map.of()))
          .startsWith("Nothing to claim: the queue is empty.");
      assertThat(c.closeInput()).isZero();
    }
    assertThat(project.resolve("tasks/pending")).isDirectory();
  }
}

package dev.taskq.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MCP Java SDK client spawns the built jar over real stdio and runs a whole worker loop. */
class ServeIT {
  @TempDir Path dir;

  static McpSyncClient connect(Path queue, String session) {
    ServerParameters params =
        ServerParameters.builder(Jar.java())
            .args("-jar", Jar.path().toString(), "serve")
            .env(Map.of("TASKQ_DIR", queue.toString(), "CLAUDE_CODE_SESSION_ID", session))
            .build();
    McpSyncClient client =
        McpClient.sync(new StdioClientTransport(params, WireClient.JSON))
            .requestTimeout(Duration.ofSeconds(30))
            .initializationTimeout(Duration.ofSeconds(30))
            .build();
    client.initialize();
    return client;
  }

  static String call(McpSyncClient client, String tool, Map<String, Object> args) {
    CallToolResult r = client.callTool(new CallToolRequest(tool, args));
    String text = ((TextContent) r.content().get(0)).text();
    assertThat(r.structuredContent()).isNull();
    return Boolean.TRUE.equals(r.isError()) ? "ERROR " + text : text;
  }

  @Test
  void a_worker_drains_the_queue_through_the_sdk_client() throws Exception {
    Path queue = dir.resolve("tasks");
    McpSyncClient client = connect(queue, "it-session-1");
    try {
      assertThat(client.getServerInfo().name()).isEqualTo("taskq");
      assertThat(client.listTools().tools()).hasSize(6);
      List<Map<String, Object>> tasks = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        tasks.add(ToolsTest.task("part-" + i, "Part " + i, "lane", "api"));
      }
      tasks.add(ToolsTest.task("wrap-up", "Wrap up", "after", List.of("part-1", "part-4")));
      assertThat(call(client, "enqueue_task", Map.of("tasks", tasks))).startsWith("Enqueued 5");

      String prompt =
          ((TextContent)
                  client
                      .getPrompt(new GetPromptRequest("work", Map.of("lane", "api")))
                      .messages()
                      .get(0)
                      .content())
              .text();
      assertThat(prompt).contains("claim_next with lane \"api\"");

      List<String> order = new ArrayList<>();
      while (true) {
        String packet = call(client, "claim_next", Map.of());
        if (packet.startsWith("Nothing to claim")) {
          assertThat(packet).contains("the queue is empty");
          break;
        }
        String id = packet.lines().filter(l -> l.startsWith("id: ")).findFirst().orElseThrow();
        id = id.substring(4);
        String token = ToolsTest.token(packet);
        order.add(id);
        Map<String, Object> progress = Map.of("done", 1, "total", 2);
        assertThat(
                call(
                    client,
                    "write_checkpoint",
                    Map.of("id", id, "token", token, "summary", "half", "progress", progress)))
            .startsWith("Checkpoint 1 saved");
        assertThat(call(client, "append_log", Map.of("message", "ok", "id", id, "token", token)))
            .startsWith("Logged:");
        assertThat(
                call(
                    client,
                    "complete_task",
                    Map.of("id", id, "token", token, "outcome", "done", "result", "did " + id)))
            .startsWith("Completed " + id);
      }
      assertThat(order).hasSize(5).endsWith("wrap-up");

      String view =
          ((TextResourceContents)
                  client.readResource(new ReadResourceRequest("taskq://queue")).contents().get(0))
              .text();
      assertThat(view).contains("pending 0 · in_progress 0 · completed 5 · failed 0");
    } finally {
      client.closeGracefully();
    }
    List<String> log = Files.readAllLines(queue.resolve("log.txt"));
    assertThat(log.stream().filter(l -> l.contains(" DONE: "))).hasSize(5);
    assertThat(log.stream().filter(l -> l.contains("CLAIMED: ")))
        .allSatisfy(l -> assertThat(l).contains("it-session-"));
    try (var files = Files.list(queue.resolve("completed"))) {
      assertThat(files).hasSize(5);
    }
  }
}

package dev.taskq.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every session pays for in context: the tools/list answer. */
class ToolListTest {
  @TempDir static Path dir;
  static WireClient client;
  static String toolsListLine;
  static Map<String, Map<String, Object>> tools;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void listTools() throws Exception {
    client = WireClient.start(Map.of("TASKQ_DIR", dir.toString()), dir, Clock.systemUTC());
    client.initialize();
    Map<String, Object> result = client.result("tools/list", null);
    toolsListLine = client.rawLines().get(client.rawLines().size() - 1);
    tools =
        ((List<Map<String, Object>>) result.get("tools"))
            .stream().collect(Collectors.toMap(t -> (String) t.get("name"), t -> t));
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  @Test
  void the_six_product_tools_are_listed() {
    assertThat(tools)
        .containsOnlyKeys(
            "enqueue_task",
            "claim_next",
            "write_checkpoint",
            "complete_task",
            "append_log",
            "start_workers");
  }

  @Test
  void start_workers_takes_at_most_900_bytes_of_the_answer() throws Exception {
    String one = McpJsonDefaults.getMapper().writeValueAsString(tools.get("start_workers"));
    System.out.println("start_workers: " + one.getBytes(StandardCharsets.UTF_8).length + " bytes");
    assertThat(one.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(900);
  }

  @Test
  void the_whole_tools_list_answer_is_at_most_6000_bytes() {
    int bytes = toolsListLine.getBytes(StandardCharsets.UTF_8).length;
    System.out.println("tools/list answer: " + bytes + " bytes");
    assertThat(bytes).isLessThanOrEqualTo(6000);
  }

  @Test
  void every_description_opens_with_what_it_does_to_the_task_queue() {
    tools.forEach(
        (name, t) -> {
          String d = (String) t.get("description");
          assertThat(d.substring(0, Math.min(d.length(), 90))).as(name).contains("taskq task");
        });
  }

  @Test
  @SuppressWarnings("unchecked")
  void annotations_say_none_is_read_only_and_only_start_workers_reaches_beyond_the_queue() {
    tools.forEach(
        (name, t) -> {
          Map<String, Object> a = (Map<String, Object>) t.get("annotations");
          assertThat(a).as(name).containsEntry("readOnlyHint", false);
          // start_workers runs claude sessions, which talk to the model's API
          assertThat(a).as(name).containsEntry("openWorldHint", name.equals("start_workers"));
          assertThat(a.get("idempotentHint"))
              .as(name)
              .isEqualTo(name.equals("complete_task") || name.equals("start_workers"));
        });
  }

  @Test
  void every_schema_is_valid_json_schema_for_the_sdk_validator() {
    JsonSchemaValidator real = McpJsonDefaults.getSchemaValidator();
    tools.forEach(
        (name, t) -> assertThat(real.validateSchema(schema(name)).valid()).as(name).isTrue());
  }

  @Test
  void schemas_accept_a_correct_call_and_reject_a_wrong_one() {
    JsonSchemaValidator real = McpJsonDefaults.getSchemaValidator();
    Map<String, Object> task = Map.of("title", "t", "criterion", "c", "after", List.of("a"));
    assertThat(real.validate(schema("enqueue_task"), Map.of("tasks", List.of(task))).valid())
        .isTrue();
    assertThat(real.validate(schema("enqueue_task"), Map.of("tasks", List.of())).valid()).isFalse();
    assertThat(
            real.validate(schema("enqueue_task"), Map.of("tasks", List.of(Map.of("title", "t"))))
                .valid())
        .isFalse();
    Map<String, Object> done = Map.of("id", "a", "token", "t", "outcome", "done", "result", "r");
    assertThat(real.validate(schema("complete_task"), done).valid()).isTrue();
    Map<String, Object> finished = Map.of("id", "a", "token", "t", "outcome", "finished");
    assertThat(real.validate(schema("complete_task"), finished).valid()).isFalse();
    Map<String, Object> progress = Map.of("done", 1, "total", 2);
    Map<String, Object> cp = Map.of("id", "a", "token", "t", "summary", "s", "progress", progress);
    assertThat(real.validate(schema("write_checkpoint"), cp).valid()).isTrue();
    assertThat(real.validate(schema("claim_next"), Map.of("lane", 3)).valid()).isFalse();
    assertThat(real.validate(schema("append_log"), Map.of()).valid()).isFalse();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> schema(String tool) {
    return (Map<String, Object>) tools.get(tool).get("inputSchema");
  }
}

package dev.taskq.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile tool calls to the built jar over real stdio, as a confused or malicious model would send
 * them. Each gets an isError result starting with INVALID_ARGUMENT (or CONFLICT) and the field, the
 * server keeps answering, and at the end a scan proves nothing was written outside TASKQ_DIR: the
 * server runs with cwd, HOME and java.io.tmpdir in empty folders that must stay empty.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileToolInputIT {
  private static final String BIG5 = "x".repeat(5 << 20);

  @TempDir static Path root;
  private Path queue;
  private TreeSnapshot outsideBefore;
  private StdioServer server;

  @BeforeAll
  void start() throws IOException {
    Path home = Files.createDirectories(root.resolve("home"));
    Path cwd = Files.createDirectories(root.resolve("cwd"));
    Path jtmp = Files.createDirectories(root.resolve("jtmp"));
    Files.createDirectories(root.resolve("logs"));
    queue = root.resolve("queues").resolve("queue");
    Files.createDirectories(queue.getParent());
    outsideBefore = outside();
    Map<String, String> env = new HashMap<>();
    env.put("HOME", home.toString());
    env.put("TASKQ_DIR", queue.toString());
    env.put("CLAUDE_CODE_SESSION_ID", "hostile-session");
    server =
        StdioServer.start(
            StdioServer.jar(),
            cwd,
            env,
            root.resolve("logs/stderr.log"),
            "-XX:-UsePerfData",
            "-Djava.io.tmpdir=" + jtmp);
  }

  @AfterAll
  void stop() throws IOException {
    server.close();
  }

  /** Everything under the temp root except the queue itself and the test's own stderr capture. */
  private TreeSnapshot outside() throws IOException {
    return TreeSnapshot.of(root, rel -> !rel.startsWith("queues/queue") && !rel.startsWith("logs"));
  }

  static Stream<String> hostileIds() {
    return Stream.of(
        "../escape",
        "../../../../etc/passwd",
        "/etc/passwd",
        "/tmp/taskq-owned",
        "a\\b",
        "..\\..\\windows",
        "nul\u0000byte",
        "bell\u0007",
        "line\nbreak",
        "esc\u001b[31m",
        "x".repeat(10_000),
        "ａｂｃ",
        "tаsk",
        "task\u200b",
        "TASK",
        "..",
        ".",
        "");
  }

  @ParameterizedTest
  @MethodSource("hostileIds")
  @Order(1)
  void hostile_ids_are_refused_by_every_tool(String id) throws IOException {
    refused("enqueue_task", Map.of("tasks", List.of(task(Map.of("id", id)))), "tasks[0].id");
    refused(
        "enqueue_task",
        Map.of("tasks", List.of(task(Map.of("after", List.of(id))))),
        "tasks[0].after");
    refused(
        "complete_task", Map.of("id", id, "token", "tok", "outcome", "done", "result", "r"), "id");
    refused("write_checkpoint", Map.of("id", id, "token", "tok", "summary", "s"), "id");
    refused("append_log", Map.of("message", "m", "id", id), "id");
    assertThat(server.answersPing()).isTrue();
  }

  @Test
  @Order(2)
  void five_megabyte_fields_are_refused_naming_the_field() throws IOException {
    for (String f : List.of("title", "criterion", "instructions", "dedupe_key")) {
      refused("enqueue_task", Map.of("tasks", List.of(task(Map.of(f, BIG5)))), "tasks[0]." + f);
    }
    refused("write_checkpoint", Map.of("id", "a", "token", "t", "summary", BIG5), "summary");
    refused(
        "write_checkpoint",
        Map.of("id", "a", "token", "t", "summary", "s", "findings", BIG5),
        "findings");
    refused(
        "write_checkpoint", Map.of("id", "a", "token", "t", "summary", "s", "next", BIG5), "next");
    refused(
        "complete_task",
        Map.of("id", "a", "token", "t", "outcome", "done", "result", BIG5),
        "result");
    refused("append_log", Map.of("message", BIG5), "message");
    assertThat(server.answersPing()).isTrue();
  }

  @Test
  @Order(3)
  void ten_megabyte_field_gets_an_answer_to_its_own_request_and_the_server_keeps_serving()
      throws IOException {
    String big = "y".repeat(10 << 20);
    server.sendRaw(
        StdioServer.JSON.writeValueAsString(
            Map.of(
                "jsonrpc",
                "2.0",
                "id",
                4242,
                "method",
                "tools/call",
                "params",
                Map.of(
                    "name",
                    "enqueue_task",
                    "arguments",
                    Map.of("tasks", List.of(task(Map.of("instructions", big))))))));
    Map<String, Object> reply = server.reply(4242, 30);
    assertThat(reply)
        .as("an error answer to request 4242")
        .satisfiesAnyOf(
            r -> assertThat(r).containsKey("error"),
            r -> assertThat(r.get("result")).asString().contains("isError=true"));
    assertThat(server.answersPing()).isTrue();
  }

  @Test
  @Order(4)
  void wrong_types_are_refused_naming_the_field() throws IOException {
    refused("enqueue_task", Map.of("tasks", Map.of()), "tasks");
    refused("enqueue_task", Map.of("tasks", List.of(5)), "tasks[0]");
    refused("enqueue_task", Map.of("tasks", List.of(task(Map.of("title", 5)))), "tasks[0].title");
    refused(
        "enqueue_task",
        Map.of("tasks", List.of(task(Map.of("priority", "high")))),
        "tasks[0].priority");
    refused(
        "enqueue_task",
        Map.of("tasks", List.of(task(Map.of("priority", 1e12)))),
        "tasks[0].priority");
    refused("enqueue_task", Map.of("tasks", List.of(task(Map.of("after", "x")))), "tasks[0].after");
    refused(
        "enqueue_task",
        Map.of("tasks", List.of(task(Map.of("after", List.of(1))))),
        "tasks[0].after[0]");
    refused(
        "enqueue_task",
        Map.of("tasks", List.of(task(Map.of("max_attempts", 2.5)))),
        "tasks[0].max_attempts");
    refused(
        "enqueue_task",
        Map.of("tasks", List.of(task(Map.of("lane", List.of("db"))))),
        "tasks[0].lane");
    refused("claim_next", Map.of("lane", 5), "lane");
    refused("claim_next", Map.of("lane", "../lane"), "lane");
    refused(
        "write_checkpoint",
        Map.of("id", "a", "token", "t", "summary", "s", "progress", "60/180"),
        "progress");
    refused(
        "write_checkpoint",
        Map.of(
            "id", "a", "token", "t", "summary", "s", "progress", Map.of("done", "a", "total", 2)),
        "progress.done");
    refused(
        "complete_task", Map.of("id", "a", "token", "t", "outcome", 7, "result", "r"), "outcome");
    refused(
        "complete_task",
        Map.of("id", "a", "token", "t", "outcome", "maybe", "result", "r"),
        "outcome");
    refused(
        "complete_task",
        Map.of("id", "a", "token", Map.of(), "outcome", "done", "result", "r"),
        "token");
    assertThat(server.answersPing()).isTrue();
  }

  @Test
  @Order(5)
  void unknown_fields_are_refused_naming_the_field() throws IOException {
    refused("enqueue_task", Map.of("tasks", List.of(task(Map.of())), "evil", 1), "evil");
    refused(
        "enqueue_task",
        Map.of("tasks", List.of(task(Map.of("shell", "rm -rf /")))),
        "tasks[0].shell");
    refused(
        "complete_task",
        Map.of("id", "a", "token", "t", "outcome", "done", "result", "r", "cwd", "/"),
        "cwd");
    refused("claim_next", Map.of("path", "/etc"), "path");
    assertThat(server.answersPing()).isTrue();
  }

  @Test
  @Order(6)
  void after_naming_itself_a_missing_task_or_a_cycle_is_refused() throws IOException {
    refused(
        "enqueue_task",
        Map.of("tasks", List.of(task(Map.of("id", "selfish", "after", List.of("selfish"))))),
        "tasks[0].after");
    refused(
        "enqueue_task",
        Map.of("tasks", List.of(task(Map.of("id", "lonely", "after", List.of("nobody"))))),
        "tasks[0].after[0]");
    refused(
        "enqueue_task",
        Map.of(
            "tasks",
            List.of(
                task(Map.of("id", "ring-a", "after", List.of("ring-c"))),
                task(Map.of("id", "ring-b", "after", List.of("ring-a"))),
                task(Map.of("id", "ring-c", "after", List.of("ring-b"))))),
        "tasks[0].after");
    assertThat(server.answersPing()).isTrue();
  }

  @Test
  @Order(7)
  void dedupe_key_reused_with_different_content_is_a_conflict() throws IOException {
    Map<String, Object> first =
        server.callTool(
            "enqueue_task",
            Map.of("tasks", List.of(task(Map.of("id", "dd-one", "dedupe_key", "dk")))));
    assertThat(StdioServer.isError(first)).as(StdioServer.text(first)).isFalse();
    Map<String, Object> same =
        server.callTool("enqueue_task", Map.of("tasks", List.of(task(Map.of("dedupe_key", "dk")))));
    assertThat(StdioServer.isError(same)).as(StdioServer.text(same)).isFalse();
    assertThat(StdioServer.text(same)).contains("dd-one");
    Map<String, Object> other =
        server.callTool(
            "enqueue_task",
            Map.of("tasks", List.of(task(Map.of("dedupe_key", "dk", "title", "Different title")))));
    assertThat(StdioServer.isError(other)).isTrue();
    assertThat(StdioServer.text(other))
        .startsWith("CONFLICT:")
        .contains("dedupe_key")
        .contains("dd-one");
  }

  @Test
  @Order(8)
  void deeply_nested_json_gets_an_answer_to_its_own_request_and_the_server_keeps_serving()
      throws IOException {
    int depth = 100_000;
    String nested = "[".repeat(depth) + "]".repeat(depth);
    server.sendRaw(
        "{\"jsonrpc\":\"2.0\",\"id\":4343,\"method\":\"tools/call\",\"params\":{\"name\":\"enqueue_task\","
            + "\"arguments\":{\"tasks\":[{\"title\":\"t\",\"criterion\":\"c\",\"instructions\":"
            + nested
            + "}]}}}");
    try {
      Map<String, Object> reply = server.reply(4343, 20);
      assertThat(reply.toString()).containsAnyOf("error", "isError=true");
    } finally {
      assertThat(server.answersPing()).as("still serving after deep nesting").isTrue();
    }
  }

  @Test
  @Order(100)
  void nothing_was_written_outside_the_queue_folder_and_no_refused_call_left_a_task()
      throws IOException {
    assertThat(server.answersPing()).isTrue();
    assertThat(outside()).isEqualTo(outsideBefore);
    QueueOnDisk q = QueueOnDisk.read(queue);
    assertThat(q.stateById().keySet()).containsExactly("dd-one");
    assertThat(q.logLines).noneMatch(l -> l.contains("CORRUPT"));
    assertThat(server.nonJsonLines()).as("stdout carries JSON-RPC only").isEmpty();
    try (Stream<Path> all = Files.walk(queue)) {
      List<String> names = new ArrayList<>();
      all.forEach(p -> names.add(queue.relativize(p).toString()));
      assertThat(names)
          .noneMatch(n -> n.contains("..") || n.contains("\\") || n.contains("passwd"));
    }
  }

  private static Map<String, Object> task(Map<String, Object> fields) {
    Map<String, Object> t = new HashMap<>();
    t.put("title", "A task");
    t.put("criterion", "it is done");
    t.putAll(fields);
    return t;
  }

  private void refused(String tool, Map<String, Object> args, String field) throws IOException {
    Map<String, Object> r = server.callTool(tool, args);
    String text = StdioServer.text(r);
    assertThat(StdioServer.isError(r))
        .as(tool + " " + abbreviate(args) + " → " + abbreviate(text))
        .isTrue();
    assertThat(abbreviate(text))
        .as(tool + " " + abbreviate(args))
        .startsWith("INVALID_ARGUMENT: " + field);
  }

  private static String abbreviate(Object o) {
    String s = String.valueOf(o);
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}

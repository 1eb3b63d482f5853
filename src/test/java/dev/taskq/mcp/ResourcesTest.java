package dev.taskq.mcp;

import static dev.taskq.mcp.ToolsTest.task;
import static dev.taskq.mcp.ToolsTest.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.NewTask;
import dev.taskq.store.MutableClock;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** taskq://queue, taskq://tasks/{id}, taskq://log, notifications and the status prompt. */
class ResourcesTest {
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T13:00:00Z"));
  WireClient client;

  @BeforeEach
  void start() throws Exception {
    client = WireClient.start(Map.of("TASKQ_DIR", dir.resolve("tasks").toString()), dir, clock);
    client.initialize();
  }

  @AfterEach
  void stop() {
    client.close();
  }

  void enqueue(Map<String, Object>... tasks) {
    assertThat(client.tool("enqueue_task", Map.of("tasks", List.of(tasks)))).startsWith("Enqueued");
  }

  @Test
  @SuppressWarnings("unchecked")
  void the_queue_and_the_log_are_listed_and_tasks_come_from_a_template() {
    List<Map<String, Object>> resources =
        (List<Map<String, Object>>) client.result("resources/list", null).get("resources");
    assertThat(resources)
        .extracting(r -> r.get("uri"))
        .containsExactlyInAnyOrder("taskq://queue", "taskq://log");
    List<Map<String, Object>> templates =
        (List<Map<String, Object>>)
            client.result("resources/templates/list", null).get("resourceTemplates");
    assertThat(templates.get(0)).containsEntry("uriTemplate", "taskq://tasks/{id}");
  }

  @Test
  void the_queue_shows_counts_and_a_row_per_task() {
    enqueue(
        task("users-audit", "Audit users", "lane", "db", "priority", 5),
        task("db-audit", "Audit N+1 queries", "after", List.of("users-audit")));
    String token = token(client.tool("claim_next", Map.of()));
    client.tool(
        "write_checkpoint",
        Map.of(
            "id",
            "users-audit",
            "token",
            token,
            "summary",
            "s",
            "progress",
            Map.of("done", 60, "total", 180)));
    clock.advance(Duration.ofMinutes(3));
    String queue = client.readResource("taskq://queue");
    assertThat(queue)
        .contains("pending 1 (1 blocked) · in_progress 1 · completed 0 · failed 0")
        .containsPattern(
            "\\| users-audit \\| in_progress \\| db \\| 5 \\| pid@\\S+ \\| 1/3 \\| 60/180 \\| 2m0s \\| - \\| Audit users \\|")
        .contains(
            "| db-audit | pending | - | 0 | - | 0/3 | - | - | users-audit | Audit N+1 queries |")
        .doesNotContain(token);
  }

  @Test
  void the_queue_is_bounded_and_says_how_many_more() {
    Map<String, Object>[] batch = new Map[100];
    for (int i = 0; i < 100; i++) {
      batch[i] = task(String.format("t%03d", i), "Task " + i);
    }
    enqueue(batch);
    enqueue(task("t100", "one more"), task("t101", "and another"));
    String queue = client.readResource("taskq://queue");
    assertThat(queue).contains("pending 102").contains("and 2 more not shown");
    assertThat(queue.lines().filter(l -> l.startsWith("| t"))).hasSize(100);
  }

  @Test
  void a_task_reads_with_its_checkpoints_in_brief_and_its_result() {
    enqueue(task("t", "The task", "instructions", "Do it well."));
    String token = token(client.tool("claim_next", Map.of()));
    client.tool(
        "write_checkpoint",
        Map.of("id", "t", "token", token, "summary", "first part\nmore detail", "next", "part 2"));
    client.tool(
        "complete_task",
        Map.of("id", "t", "token", token, "outcome", "done", "result", "All parts done."));
    String text = client.readResource("taskq://tasks/t");
    assertThat(text)
        .startsWith("# t — The task\nstate: completed")
        .contains("## Success criterion\ncriterion of t")
        .contains("## Instructions\nDo it well.")
        .contains("## Checkpoints (1)\n- #1 2026-11-24T13:00:00Z attempt 1 — first part\n")
        .doesNotContain("more detail")
        .contains("## Result (done, 2026-11-24T13:00:00Z)\nAll parts done.")
        .doesNotContain(token);
  }

  @Test
  @SuppressWarnings("unchecked")
  void an_unknown_or_invalid_task_id_is_resource_not_found() {
    for (String uri : List.of("taskq://tasks/nope", "taskq://tasks/Not..Valid")) {
      Map<String, Object> error =
          (Map<String, Object>) client.request("resources/read", Map.of("uri", uri)).get("error");
      assertThat(error).as(uri).containsEntry("code", -32002);
    }
  }

  @Test
  void the_log_resource_holds_the_last_200_lines() throws Exception {
    assertThat(client.readResource("taskq://log")).isEqualTo("(the log is empty)\n");
    for (int i = 0; i < 205; i++) {
      client.tool("append_log", Map.of("message", "line " + i));
    }
    List<String> lines = client.readResource("taskq://log").lines().toList();
    assertThat(lines).hasSize(200);
    assertThat(lines.get(0)).endsWith("LOG: - line 5");
    assertThat(lines.get(199)).endsWith("LOG: - line 204");
    assertThat(Files.readAllLines(dir.resolve("tasks/log.txt"))).hasSize(205);
  }

  @Test
  void changes_send_list_changed_and_updated_goes_only_to_subscribers() throws Exception {
    enqueue(task("t", "T"));
    assertThat(methods()).contains("notifications/resources/list_changed");
    assertThat(methods()).doesNotContain("notifications/resources/updated");
    client.result("resources/subscribe", Map.of("uri", "taskq://tasks/t"));
    String token = token(client.tool("claim_next", Map.of()));
    client.tool("write_checkpoint", Map.of("id", "t", "token", token, "summary", "s"));
    assertThat(updatedUris()).contains("taskq://tasks/t").doesNotContain("taskq://queue");
  }

  @Test
  void a_task_another_session_adds_reaches_this_client_as_list_changed() throws Exception {
    client.tool("append_log", Map.of("message", "this session opens the queue"));
    int before = methods().size();
    try (TaskStore other =
        StoreFactory.open(new StoreConfig(dir.resolve("tasks"), Duration.ofMinutes(15), clock))) {
      other.enqueue(NewTask.of("Added by another session", "it exists"));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!methodsSince(before).contains(LIST_CHANGED) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(methodsSince(before)).contains(LIST_CHANGED);
  }

  @Test
  @SuppressWarnings("unchecked")
  void task_ids_complete_for_the_template() {
    enqueue(task("db-audit", "A"), task("db-users", "B"), task("ui-audit", "C"));
    Map<String, Object> r =
        client.result(
            "completion/complete",
            Map.of(
                "ref", Map.of("type", "ref/resource", "uri", "taskq://tasks/{id}"),
                "argument", Map.of("name", "id", "value", "db-")));
    List<String> values = (List<String>) ((Map<String, Object>) r.get("completion")).get("values");
    assertThat(values).containsExactlyInAnyOrder("db-audit", "db-users");
  }

  @Test
  @SuppressWarnings("unchecked")
  void the_status_prompt_carries_the_queue_view() {
    enqueue(task("t", "Visible task"));
    Map<String, Object> r = client.result("prompts/get", Map.of("name", "status"));
    Map<String, Object> msg = ((List<Map<String, Object>>) r.get("messages")).get(0);
    String text = (String) ((Map<String, Object>) msg.get("content")).get("text");
    assertThat(text).startsWith("Summarize this taskq queue").contains("| t | pending");
  }

  private static final String LIST_CHANGED = "notifications/resources/list_changed";

  /** Notifications after the first {@code from}, read once (more may arrive meanwhile). */
  private List<Object> methodsSince(int from) {
    List<Object> all = methods();
    return all.subList(from, all.size());
  }

  private List<Object> methods() {
    // The handler sends its notifications before it returns, so they precede its reply.
    return client.notifications().stream().map(n -> n.get("method")).toList();
  }

  @SuppressWarnings("unchecked")
  private List<Object> updatedUris() {
    return client.notifications().stream()
        .filter(n -> "notifications/resources/updated".equals(n.get("method")))
        .map(n -> ((Map<String, Object>) n.get("params")).get("uri"))
        .toList();
  }
}

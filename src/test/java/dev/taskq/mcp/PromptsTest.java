package dev.taskq.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptsTest {
  @TempDir Path dir;
  WireClient client;

  @BeforeEach
  void start() throws Exception {
    client = WireClient.start(Map.of("TASKQ_DIR", dir.toString()), dir, Clock.systemUTC());
    client.initialize();
  }

  @AfterEach
  void stop() {
    client.close();
  }

  @Test
  @SuppressWarnings("unchecked")
  void the_three_prompts_are_listed_with_descriptions_and_arguments() {
    List<Map<String, Object>> prompts =
        (List<Map<String, Object>>) client.result("prompts/list", null).get("prompts");
    assertThat(prompts).extracting(p -> p.get("name")).containsExactly("work", "plan", "status");
    assertThat(prompts).allSatisfy(p -> assertThat((String) p.get("description")).isNotBlank());
    List<Map<String, Object>> planArgs =
        (List<Map<String, Object>>) prompts.get(1).get("arguments");
    assertThat(planArgs.get(0)).containsEntry("name", "goal").containsEntry("required", true);
  }

  @Test
  void work_describes_the_whole_worker_loop() {
    String text = prompt("work", Map.of());
    assertThat(text)
        .contains("claim_next", "write_checkpoint", "complete_task", "FENCED", "every 10 minutes")
        .contains("until nothing is claimable");
  }

  @Test
  void work_with_a_lane_and_a_limit_puts_both_in_the_loop() {
    String text = prompt("work", Map.of("lane", "db", "max_tasks", "2"));
    assertThat(text).contains("claim_next with lane \"db\"").contains("until 2 tasks are finished");
  }

  @Test
  @SuppressWarnings("unchecked")
  void work_with_a_bad_max_tasks_is_an_invalid_params_error() {
    Map<String, Object> r =
        client.request(
            "prompts/get", Map.of("name", "work", "arguments", Map.of("max_tasks", "many")));
    assertThat((Map<String, Object>) r.get("error")).containsEntry("code", -32602);
  }

  @Test
  void plan_puts_the_goal_in_and_asks_for_one_enqueue_call() {
    String text = prompt("plan", Map.of("goal", "Audit the whole app for N+1 queries"));
    assertThat(text)
        .contains("Audit the whole app for N+1 queries")
        .contains("enqueue_task once")
        .contains("lane")
        .contains("success criterion");
  }

  @Test
  void plan_teaches_fire_and_forget_start_workers_then_wait_in_the_background() {
    String text = prompt("plan", Map.of("goal", "Migrate every endpoint"));
    assertThat(text)
        .contains("call start_workers")
        .contains("`taskq wait --timeout 110m` with the Bash tool's run_in_background")
        .contains("keep working")
        .contains("When the wait exits you are told");
  }

  @Test
  @SuppressWarnings("unchecked")
  void plan_without_a_goal_is_an_invalid_params_error() {
    Map<String, Object> r = client.request("prompts/get", Map.of("name", "plan"));
    Map<String, Object> error = (Map<String, Object>) r.get("error");
    assertThat(error).containsEntry("code", -32602);
    assertThat((String) error.get("message")).contains("goal is required");
  }

  @SuppressWarnings("unchecked")
  String prompt(String name, Map<String, Object> args) {
    Map<String, Object> r = client.result("prompts/get", Map.of("name", name, "arguments", args));
    Map<String, Object> msg = ((List<Map<String, Object>>) r.get("messages")).get(0);
    assertThat(msg).containsEntry("role", "user");
    return (String) ((Map<String, Object>) msg.get("content")).get("text");
  }
}

package dev.taskq.claude;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What the real Claude Code does when the API fails, as the worker supervisor reads it from
 * stream-json. These pin the facts in /work/notes/claude.md on the pinned version (the recorded
 * runs are under src/test/resources/claude/stream/); {@code CLAUDE_CODE_MAX_RETRIES} keeps each run
 * to seconds.
 */
class ClaudeFaultsIT {
  @TempDir Path dir;
  Path claude;
  Path home;
  Path project;

  @BeforeEach
  void setUp() throws Exception {
    claude = ClaudeBinary.require();
    home = Files.createDirectories(dir.resolve("home"));
    project = Files.createDirectories(dir.resolve("project"));
  }

  @Test
  void a_subscriber_at_a_usage_limit_gets_a_rate_limit_event_with_the_reset_and_claude_exits_1()
      throws Exception {
    try (ScriptedModel model = ScriptedModel.start(c -> Reply.text("unreachable"))) {
      AtomicReference<Instant> reset = new AtomicReference<>();
      model.failFor(
          Duration.ofSeconds(90),
          r -> {
            reset.set(r);
            return Fault.usageLimit(r);
          });
      try (ClaudeRun run = start(model.subscriberEnv(home))) {
        assertThat(run.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(run.events("system", "api_retry")).isEmpty();
        JsonNode limit = only(run.events("rate_limit_event", null)).path("rate_limit_info");
        assertThat(limit.path("status").asString()).isEqualTo("rejected");
        assertThat(limit.path("resetsAt").asLong()).isEqualTo(reset.get().getEpochSecond());
        assertThat(limit.path("rateLimitType").asString()).isEqualTo("five_hour");
        assertApiError(run, "rate_limit", 429, "rate_limit_error");
        assertThat(run.result().orElseThrow().path("result").asString())
            .startsWith("You've hit your 5-hour limit · resets ");
      }
    }
  }

  @Test
  void with_an_api_key_a_retry_after_over_60_s_ends_the_run_at_once_and_no_event_names_the_reset()
      throws Exception {
    AtomicReference<Instant> reset = new AtomicReference<>();
    try (ScriptedModel model = ScriptedModel.start(c -> Reply.text("unreachable"))) {
      model.failFor(
          Duration.ofSeconds(90),
          r -> {
            reset.set(r);
            return Fault.usageLimit(r);
          });
      try (ClaudeRun run = start(model.clientEnv(home))) {
        assertThat(run.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(model.messageRequests()).hasSize(1);
        assertThat(run.events("system", "api_retry")).isEmpty();
        assertThat(run.events("rate_limit_event", null)).isEmpty();
        assertApiError(run, "rate_limit", 429, "rate_limit_error");
        assertThat(run.events().toString())
            .doesNotContain(Long.toString(reset.get().getEpochSecond()));
      }
    }
  }

  @Test
  void with_an_api_key_a_near_reset_is_waited_out_by_claude_itself() throws Exception {
    try (ScriptedModel model = ScriptedModel.start(c -> Reply.text("after the wait"))) {
      model.failFor(Duration.ofSeconds(6), Fault::usageLimit);
      try (ClaudeRun run = start(model.clientEnv(home))) {
        assertThat(run.awaitExit(Duration.ofSeconds(90))).isZero();
        JsonNode retry = run.events("system", "api_retry").get(0);
        assertThat(retry.path("error").asString()).isEqualTo("rate_limit");
        assertThat(retry.path("error_status").asInt()).isEqualTo(429);
        assertThat(retry.path("retry_delay_ms").asLong()).isGreaterThanOrEqualTo(3_000);
        assertThat(run.result().orElseThrow().path("result").asString())
            .isEqualTo("after the wait");
      }
    }
  }

  @Test
  void claude_code_max_retries_bounds_the_retries_of_a_plain_429() throws Exception {
    try (ScriptedModel model = ScriptedModel.start(c -> Reply.text("unreachable"))) {
      model.failUntil(Instant.now().plusSeconds(600), Fault.rateLimited(Duration.ofSeconds(1)));
      try (ClaudeRun run = start(model.clientEnv(home), "CLAUDE_CODE_MAX_RETRIES", "1")) {
        assertThat(run.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
        JsonNode retry = only(run.events("system", "api_retry"));
        assertThat(retry.path("max_retries").asInt()).isEqualTo(1);
        assertThat(model.messageRequests()).hasSize(2);
        assertApiError(run, "rate_limit", 429, "rate_limit_error");
      }
    }
  }

  @Test
  void an_overload_is_retried_as_overloaded_and_ends_as_a_server_error() throws Exception {
    try (ScriptedModel model = ScriptedModel.start(c -> Reply.text("unreachable"))) {
      model.failUntil(Instant.now().plusSeconds(600), Fault.overloaded());
      try (ClaudeRun run = start(model.clientEnv(home), "CLAUDE_CODE_MAX_RETRIES", "1")) {
        assertThat(run.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
        JsonNode retry = only(run.events("system", "api_retry"));
        assertThat(retry.path("error").asString()).isEqualTo("overloaded");
        assertThat(retry.path("error_status").asInt()).isEqualTo(529);
        assertApiError(run, "server_error", 529, "overloaded_error");
      }
    }
  }

  @Test
  void an_authentication_failure_is_retried_like_any_error_unless_retries_are_off()
      throws Exception {
    try (ScriptedModel model = ScriptedModel.start(c -> Reply.text("unreachable"))) {
      model.failUntil(Instant.now().plusSeconds(600), Fault.authentication());
      try (ClaudeRun run = start(model.clientEnv(home), "CLAUDE_CODE_MAX_RETRIES", "0")) {
        assertThat(run.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(run.events("system", "api_retry")).isEmpty();
        assertApiError(run, "authentication_failed", 401, "authentication_error");
      }
    }
  }

  private ClaudeRun start(Map<String, String> env, String... extraEnv) throws Exception {
    ClaudeRunner runner = new ClaudeRunner(claude, env).cwd(project).logDir(dir.resolve("run"));
    for (int i = 0; i + 1 < extraEnv.length; i += 2) {
      runner.env(extraEnv[i], extraEnv[i + 1]);
    }
    return runner.start("say hi");
  }

  /** The run ends with an assistant error message and an error result, as the supervisor sees. */
  private static void assertApiError(ClaudeRun run, String error, int status, String type) {
    JsonNode assistant = only(run.events("assistant", null));
    assertThat(assistant.path("error").asString()).isEqualTo(error);
    assertThat(assistant.path("api_error_status").asInt()).isEqualTo(status);
    JsonNode result = run.result().orElseThrow();
    assertThat(result.path("is_error").asBoolean()).isTrue();
    assertThat(result.path("api_error_status").asInt()).isEqualTo(status);
    assertThat(result.path("api_error_type").asString()).isEqualTo(type);
    assertThat(result.path("terminal_reason").asString()).isEqualTo("api_error");
  }

  private static JsonNode only(List<JsonNode> events) {
    assertThat(events).hasSize(1);
    return events.get(0);
  }
}

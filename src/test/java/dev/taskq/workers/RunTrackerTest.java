package dev.taskq.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stream parser and run classification, on transcripts recorded from real {@code claude -p}
 * 2.1.328 runs (src/test/resources/workers/) and on the error shapes Claude Code prints.
 */
class RunTrackerTest {
  private static List<String> fixture(String name) throws IOException {
    try (InputStream in = RunTrackerTest.class.getResourceAsStream("/workers/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  private static List<String> recorded(String name) throws IOException {
    try (InputStream in = RunTrackerTest.class.getResourceAsStream("/claude/stream/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  @Test
  void recorded_fault_runs_are_classified_as_the_pool_must_react_to_them() throws IOException {
    RunEnd subscriber =
        track(recorded("subscriber-usage-limit-reset-90s.jsonl")).end(1, false, true);
    RunEnd apiKey = track(recorded("api-key-usage-limit-reset-90s.jsonl")).end(1, false, true);
    RunEnd overloaded = track(recorded("overloaded-529-max-retries-2.jsonl")).end(1, false, true);
    RunEnd auth = track(recorded("auth-401-max-retries-0.jsonl")).end(1, false, true);
    RunEnd ok = track(recorded("api-key-ok.jsonl")).end(0, false, false);

    assertThat(subscriber.kind()).isEqualTo(RunEnd.Kind.USAGE_LIMIT);
    assertThat(subscriber.resetAt()).as("a subscriber's stream carries the reset").isNotNull();
    assertThat(subscriber.detail())
        .startsWith("usage limit (five_hour): You've hit your 5-hour limit");
    assertThat(apiKey.kind()).isEqualTo(RunEnd.Kind.USAGE_LIMIT);
    assertThat(apiKey.resetAt()).as("an API key's stream does not").isNull();
    assertThat(overloaded.kind()).isEqualTo(RunEnd.Kind.OVERLOADED);
    assertThat(auth.kind()).isEqualTo(RunEnd.Kind.AUTH);
    assertThat(auth.detail()).contains("Invalid API key");
    assertThat(ok.kind()).isEqualTo(RunEnd.Kind.FINISHED);
  }

  @Test
  void a_recorded_refused_login_is_noticed_at_its_second_retry() throws IOException {
    RunTracker t = new RunTracker();
    int attemptWhenNoticed = 0;
    for (String l : recorded("auth-401.jsonl")) {
      for (StreamEvent e : StreamParser.parse(l)) {
        t.accept(e);
        if (attemptWhenNoticed == 0 && t.loginRefused()) {
          attemptWhenNoticed = t.retrying().attempt();
        }
      }
    }
    assertThat(attemptWhenNoticed).isEqualTo(2);
  }

  private static RunTracker track(List<String> lines) {
    RunTracker t = new RunTracker();
    for (String l : lines) {
      StreamParser.parse(l).forEach(t::accept);
    }
    return t;
  }

  @Test
  void a_recorded_run_that_drained_the_queue_finished_with_its_tasks_turns_and_cost()
      throws IOException {
    RunTracker t = track(fixture("drained-run.jsonl"));

    RunEnd end = t.end(0, false, false);

    assertThat(end.kind()).isEqualTo(RunEnd.Kind.FINISHED);
    assertThat(end.detail()).isEqualTo("2 done, 0 failed");
    assertThat(t.claims()).isEqualTo(2);
    assertThat(t.done()).isEqualTo(2);
    assertThat(t.turns()).isEqualTo(23);
    assertThat(t.costUsd()).isEqualTo(0.0184);
    assertThat(t.task()).isNull();
    assertThat(t.model()).isEqualTo("claude-opus-5-5");
    assertThat(t.version()).isEqualTo("2.1.328");
  }

  @Test
  void a_recorded_run_that_waited_out_a_usage_limit_itself_shows_the_retries_then_finishes()
      throws IOException {
    List<String> lines = fixture("usage-limit-waited-out-run.jsonl");
    RunTracker t = new RunTracker();
    List<StreamEvent.ApiRetry> retries = new ArrayList<>();
    boolean sawRetrying = false;
    for (String l : lines) {
      for (StreamEvent e : StreamParser.parse(l)) {
        t.accept(e);
        if (e instanceof StreamEvent.ApiRetry r) {
          retries.add(r);
        }
        sawRetrying |= t.retrying() != null;
      }
    }

    assertThat(retries)
        .isNotEmpty()
        .allMatch(r -> r.status() == 429 && r.error().equals("rate_limit"));
    assertThat(sawRetrying).isTrue();
    assertThat(t.retrying()).as("answers came after the last retry").isNull();
    assertThat(t.end(0, false, false).kind()).isEqualTo(RunEnd.Kind.FINISHED);
  }

  @Test
  void a_run_that_gave_up_on_a_429_is_a_usage_limit_with_what_claude_said() {
    RunTracker t =
        track(
            List.of(
                "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"s\",\"model\":\"m\","
                    + "\"mcp_servers\":[{\"name\":\"taskq\",\"status\":\"connected\"}]}",
                "{\"type\":\"assistant\",\"error\":\"rate_limit\",\"message\":{\"id\":\"x\","
                    + "\"content\":[{\"type\":\"text\",\"text\":\"API Error: Request rejected (429)"
                    + " · This request would exceed your usage limit\"}]}}",
                "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,"
                    + "\"api_error_status\":429,\"api_error_type\":\"rate_limit_error\","
                    + "\"terminal_reason\":\"api_error\",\"num_turns\":1,\"total_cost_usd\":0,"
                    + "\"result\":\"API Error: Request rejected (429)\"}"));

    RunEnd end = t.end(1, false, true);

    assertThat(end.kind()).isEqualTo(RunEnd.Kind.USAGE_LIMIT);
    assertThat(end.resetAt()).isNull();
    assertThat(end.detail())
        .isEqualTo(
            "usage limit: API Error: Request rejected (429) · This request would exceed your"
                + " usage limit");
  }

  @Test
  void a_rejected_rate_limit_event_gives_the_reset_time_and_the_limit_type() {
    RunTracker t =
        track(
            List.of(
                "{\"type\":\"rate_limit_event\",\"rate_limit_info\":{\"status\":\"allowed_warning\","
                    + "\"resetsAt\":1700000000,\"rateLimitType\":\"five_hour\"}}",
                "{\"type\":\"rate_limit_event\",\"rate_limit_info\":{\"status\":\"rejected\","
                    + "\"resetsAt\":1700003600,\"rateLimitType\":\"five_hour\"}}",
                "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,"
                    + "\"api_error_status\":429,\"result\":\"limit\"}"));

    RunEnd end = t.end(1, false, true);

    assertThat(end.kind()).isEqualTo(RunEnd.Kind.USAGE_LIMIT);
    assertThat(end.resetAt()).isEqualTo(Instant.ofEpochSecond(1700003600));
    assertThat(end.detail()).startsWith("usage limit (five_hour)");
  }

  @Test
  void overload_authentication_and_billing_errors_are_told_apart() {
    assertThat(errorEnd("overloaded", 529).kind()).isEqualTo(RunEnd.Kind.OVERLOADED);
    assertThat(errorEnd("authentication_failed", 401).kind()).isEqualTo(RunEnd.Kind.AUTH);
    assertThat(errorEnd("billing_error", 400).kind()).isEqualTo(RunEnd.Kind.BILLING);
    assertThat(errorEnd("server_error", 500).kind()).isEqualTo(RunEnd.Kind.CRASHED);
  }

  private static RunEnd errorEnd(String error, int status) {
    return track(
            List.of(
                "{\"type\":\"assistant\",\"error\":\""
                    + error
                    + "\",\"message\":{\"id\":\"x\","
                    + "\"content\":[{\"type\":\"text\",\"text\":\"API Error: "
                    + status
                    + "\"}]}}",
                "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,"
                    + "\"api_error_status\":"
                    + status
                    + "}"))
        .end(1, false, true);
  }

  @Test
  void a_login_refused_three_times_is_an_authentication_failure_even_when_we_ended_the_run() {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      lines.add(
          "{\"type\":\"system\",\"subtype\":\"api_retry\",\"attempt\":"
              + i
              + ",\"max_retries\":10,"
              + "\"retry_delay_ms\":500,\"error_status\":401,\"error\":\"authentication_failed\"}");
    }
    RunTracker t = track(lines);

    assertThat(t.loginRefused()).isTrue();
    RunEnd end = t.end(143, true, true);
    assertThat(end.kind()).isEqualTo(RunEnd.Kind.AUTH);
    assertThat(end.detail())
        .isEqualTo(
            "authentication failed: the API refused the login 2 times (401 authentication_failed)");
  }

  @Test
  void a_killed_run_without_a_result_is_a_crash_and_one_without_claims_is_no_progress() {
    assertThat(new RunTracker().end(137, false, true))
        .extracting(RunEnd::kind, RunEnd::detail)
        .containsExactly(RunEnd.Kind.CRASHED, "killed by signal 9 before its result");
    RunTracker idle =
        track(
            List.of(
                "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"s\",\"model\":\"m\","
                    + "\"mcp_servers\":[{\"name\":\"taskq\",\"status\":\"failed\"}]}",
                "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"num_turns\":1}"));
    assertThat(idle.end(0, false, true))
        .extracting(RunEnd::kind, RunEnd::detail)
        .containsExactly(
            RunEnd.Kind.NO_PROGRESS, "ended without claiming a task: its taskq server was failed");
    assertThat(idle.end(0, false, false).kind()).isEqualTo(RunEnd.Kind.FINISHED);
  }

  @Test
  void tool_arguments_are_summarised_on_one_line_without_the_claim_token() throws IOException {
    List<String> shown = new ArrayList<>();
    for (String l : fixture("drained-run.jsonl")) {
      shown.addAll(RunText.lines(l));
    }

    assertThat(String.join("\n", shown)).doesNotContain("7dditis9mqss8ung");
    assertThat(shown)
        .anyMatch(l -> l.startsWith("→ claim_next"))
        .anyMatch(l -> l.startsWith("← Claimed task task-"))
        .anyMatch(l -> l.startsWith("→ complete_task id=task-") && l.contains("outcome=done"))
        .anyMatch(l -> l.startsWith("= success · 23 turns · $0.0184"));
  }
}

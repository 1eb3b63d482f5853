package dev.taskq.claude;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ScriptedModelTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void a_streamed_reply_has_the_event_sequence_of_the_messages_api() throws Exception {
    Reply reply =
        Reply.of(new Reply.Text("checking"), Reply.toolUse("Read", Map.of("file_path", "/x")));
    try (ScriptedModel model = ScriptedModel.start(c -> reply)) {
      HttpResponse<String> r = post(model, "/v1/messages?beta=true", request(true));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
      List<String> events =
          r.body().lines().filter(l -> l.startsWith("event: ")).map(l -> l.substring(7)).toList();
      assertThat(events)
          .containsExactly(
              "message_start",
              "content_block_start",
              "content_block_delta",
              "content_block_stop",
              "content_block_start",
              "content_block_delta",
              "content_block_stop",
              "message_delta",
              "message_stop");
      assertThat(r.body())
          .contains(
              "\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"file_path\\\":\\\"/x\\\"}\"")
          .contains("\"stop_reason\":\"tool_use\"");
    }
  }

  @Test
  void a_plain_reply_is_one_message_object() throws Exception {
    try (ScriptedModel model = ScriptedModel.start(c -> Reply.text("hello"))) {
      JsonNode m = ScriptedModel.JSON.readTree(post(model, "/v1/messages", request(false)).body());
      assertThat(m.path("content").get(0).path("text").asString()).isEqualTo("hello");
      assertThat(m.path("stop_reason").asString()).isEqualTo("end_turn");
      assertThat(m.path("model").asString()).isEqualTo("claude-test");
    }
  }

  @Test
  void faults_answer_the_next_requests_then_the_brain_answers_again() throws Exception {
    try (ScriptedModel model = ScriptedModel.start(c -> Reply.text("ok"))) {
      model.failNext(2, Fault.overloaded());
      assertThat(post(model, "/v1/messages", request(false)).statusCode()).isEqualTo(529);
      HttpResponse<String> second = post(model, "/v1/messages", request(false));
      assertThat(second.body()).contains("\"type\":\"overloaded_error\"");
      assertThat(post(model, "/v1/messages", request(false)).statusCode()).isEqualTo(200);
      assertThat(model.messageRequests())
          .extracting(RecordedRequest::status)
          .containsExactly(529, 529, 200);
    }
  }

  @Test
  void a_usage_limit_counts_retry_after_down_to_its_reset() throws Exception {
    Instant reset = Instant.now().plusSeconds(90);
    try (ScriptedModel model = ScriptedModel.start(c -> Reply.text("ok"))) {
      model.failUntil(reset, Fault.usageLimit(reset));
      HttpResponse<String> r = post(model, "/v1/messages", request(false));
      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(r.headers().firstValue("anthropic-ratelimit-unified-status")).hasValue("rejected");
      assertThat(r.headers().firstValue("anthropic-ratelimit-unified-reset"))
          .hasValue(Long.toString(reset.getEpochSecond()));
      assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow()))
          .isBetween(80L, 90L);
      model.stopFailing();
      assertThat(post(model, "/v1/messages", request(false)).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void a_fault_window_opens_at_the_first_request_not_when_it_is_set() throws Exception {
    try (ScriptedModel model = ScriptedModel.start(c -> Reply.text("ok"))) {
      model.failFor(Duration.ofSeconds(30), Fault::usageLimit);
      Thread.sleep(1_500);
      HttpResponse<String> first = post(model, "/v1/messages", request(false));
      assertThat(first.statusCode()).isEqualTo(429);
      assertThat(Long.parseLong(first.headers().firstValue("retry-after").orElseThrow()))
          .isEqualTo(30L);
      assertThat(post(model, "/v1/messages", request(false)).statusCode()).isEqualTo(429);
    }
  }

  @Test
  void a_fault_window_can_open_on_a_matching_conversation_then_takes_every_request()
      throws Exception {
    try (ScriptedModel model = ScriptedModel.start(c -> Reply.text("ok"))) {
      model.failFor(
          c -> c.lastUserText().contains("after claim"), Duration.ofSeconds(30), Fault::usageLimit);
      assertThat(post(model, "/v1/messages", request(false)).statusCode()).isEqualTo(200);
      String claimed = request(false).replace("\"hi\"", "\"after claim\"");
      assertThat(post(model, "/v1/messages", claimed).statusCode()).isEqualTo(429);
      assertThat(post(model, "/v1/messages", request(false)).statusCode()).isEqualTo(429);
    }
  }

  @Test
  void a_fault_window_closes_by_itself() throws Exception {
    try (ScriptedModel model = ScriptedModel.start(c -> Reply.text("ok"))) {
      model.failFor(Duration.ofMillis(500), Fault::usageLimit);
      assertThat(post(model, "/v1/messages", request(false)).statusCode()).isEqualTo(429);
      Thread.sleep(1_000);
      assertThat(post(model, "/v1/messages", request(false)).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void a_fault_can_wait_for_a_conversation_that_matches() throws Exception {
    try (ScriptedModel model = ScriptedModel.start(c -> Reply.text("ok"))) {
      model.failWhen(c -> c.lastUserText().contains("after claim"), 1, Fault.authentication());
      assertThat(post(model, "/v1/messages", request(false)).statusCode()).isEqualTo(200);
      String claimed = request(false).replace("\"hi\"", "\"after claim\"");
      assertThat(post(model, "/v1/messages", claimed).statusCode()).isEqualTo(401);
      assertThat(post(model, "/v1/messages", claimed).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void a_brain_that_throws_ends_the_turn_with_a_text_and_is_recorded() throws Exception {
    try (ScriptedModel model =
        ScriptedModel.start(
            c -> {
              throw new IllegalStateException("lost");
            })) {
      HttpResponse<String> r = post(model, "/v1/messages", request(false));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("scripted model error: java.lang.IllegalStateException: lost");
      assertThat(model.brainErrors()).hasSize(1);
    }
  }

  @Test
  void count_tokens_is_answered_and_other_paths_get_404_and_are_recorded() throws Exception {
    try (ScriptedModel model = ScriptedModel.start(c -> Reply.text("ok"))) {
      HttpResponse<String> count = post(model, "/v1/messages/count_tokens", request(false));
      assertThat(count.body()).startsWith("{\"input_tokens\":");
      assertThat(post(model, "/api/oauth/profile", "{}").statusCode()).isEqualTo(404);
      assertThat(model.requests())
          .extracting(RecordedRequest::path)
          .containsExactly("/v1/messages/count_tokens", "/api/oauth/profile");
      assertThat(model.messageRequests()).isEmpty();
    }
  }

  @Test
  void the_conversation_pairs_each_tool_call_with_its_result() {
    JsonNode request =
        ScriptedModel.JSON.readTree(
            """
            {"model":"m","tools":[{"name":"mcp__taskq__claim_next","defer_loading":true}],
             "messages":[
              {"role":"user","content":"work"},
              {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"ToolSearch",
                "input":{"query":"select:mcp__taskq__claim_next"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[
                {"type":"tool_reference","tool_name":"mcp__taskq__claim_next"}]}]},
              {"role":"assistant","content":[{"type":"tool_use","id":"t2",
                "name":"mcp__taskq__claim_next","input":{}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"t2","is_error":true,
                "content":[{"type":"text","text":"STORE_ERROR: disk full"}]}]}]}""");
    Conversation c = new Conversation(request, "s1");
    assertThat(c.toolCalls())
        .extracting(
            Conversation.ToolCall::name,
            Conversation.ToolCall::result,
            Conversation.ToolCall::isError)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ToolSearch", "mcp__taskq__claim_next", false),
            org.assertj.core.groups.Tuple.tuple(
                "mcp__taskq__claim_next", "STORE_ERROR: disk full", true));
    assertThat(c.hasTool("mcp__taskq__claim_next")).isTrue();
    assertThat(c.allText()).contains("work", "STORE_ERROR: disk full");
  }

  private static String request(boolean stream) {
    return "{\"model\":\"claude-test\",\"stream\":"
        + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  private static HttpResponse<String> post(ScriptedModel model, String path, String body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(model.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

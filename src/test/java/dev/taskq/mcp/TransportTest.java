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

class TransportTest {
  @TempDir Path dir;
  WireClient client;

  @BeforeEach
  void start() throws Exception {
    client = WireClient.start(Map.of("TASKQ_DIR", dir.toString()), dir, Clock.systemUTC(), 4096);
    client.initialize();
  }

  @AfterEach
  void stop() {
    client.close();
  }

  @Test
  void a_line_that_is_not_json_gets_a_parse_error_and_the_server_keeps_serving() {
    client.sendRaw("this is not json {");
    assertThat(error(client.nextReply())).containsEntry("code", -32700);
    assertThat(client.result("ping", null)).isEmpty();
  }

  @Test
  void empty_and_blank_lines_are_ignored() {
    client.sendRaw("");
    client.sendRaw("   \t");
    client.sendRaw("\r");
    Map<String, Object> next = client.request("ping", null);
    assertThat(next).containsKey("result");
    assertThat(client.rawLines()).hasSize(2); // initialize and ping, nothing for the blanks
  }

  @Test
  void a_batch_array_is_refused_with_invalid_request() {
    client.sendRaw("[{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}]");
    Map<String, Object> reply = client.nextReply();
    assertThat(reply).containsEntry("id", null);
    assertThat(error(reply)).containsEntry("code", -32600);
    assertThat((String) error(reply).get("message")).contains("batch");
    assertThat(client.result("ping", null)).isEmpty();
  }

  @Test
  void json_that_is_not_a_request_gets_invalid_request_with_its_id_when_known() {
    client.sendRaw("42");
    assertThat(error(client.nextReply())).containsEntry("code", -32600);
    client.sendRaw("{\"foo\":1}");
    assertThat(error(client.nextReply())).containsEntry("code", -32600);
    client.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":77}");
    Map<String, Object> reply = client.nextReply();
    assertThat(reply).containsEntry("id", 77);
    assertThat(error(reply)).containsEntry("code", -32600);
    client.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":78,\"method\":\"ping\",\"params\":[1]}");
    assertThat(error(client.awaitReply(78))).containsEntry("code", -32600);
    assertThat(client.result("ping", null)).isEmpty();
  }

  @Test
  void an_over_long_line_is_refused_and_the_next_request_is_served() {
    client.sendRaw(
        "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\",\"x\":\"" + "a".repeat(5000) + "\"}");
    Map<String, Object> reply = client.nextReply();
    assertThat(error(reply)).containsEntry("code", -32600);
    assertThat((String) error(reply).get("message")).contains("over the limit of 4096");
    assertThat(client.result("ping", null)).isEmpty();
  }

  @Test
  void an_unknown_method_is_a_json_rpc_error_not_a_crash() {
    assertThat(error(client.request("no/such", Map.of()))).containsEntry("code", -32601);
    assertThat(client.result("ping", null)).isEmpty();
  }

  @Test
  void at_end_of_input_every_request_already_read_is_answered_and_serve_returns_zero() {
    for (int i = 0; i < 20; i++) {
      client.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":" + (500 + i) + ",\"method\":\"tools/list\"}");
    }
    assertThat(client.closeInput()).isZero();
    for (int i = 0; i < 20; i++) {
      assertThat(client.awaitReply(500 + i)).containsKey("result");
    }
  }

  @Test
  void every_line_on_stdout_is_one_json_rpc_message() throws Exception {
    client.sendRaw("garbage");
    client.request("tools/list", null);
    client.request("prompts/list", null);
    client.closeInput();
    List<String> lines = client.rawLines();
    assertThat(lines).hasSizeGreaterThanOrEqualTo(4);
    for (String line : lines) {
      Map<?, ?> m = WireClient.JSON.readValue(line, Map.class);
      assertThat(m.get("jsonrpc")).as(line).isEqualTo("2.0");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> error(Map<String, Object> reply) {
    assertThat(reply).containsKey("error");
    return (Map<String, Object>) reply.get("error");
  }
}

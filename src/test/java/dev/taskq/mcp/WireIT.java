package dev.taskq.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built jar over real stdio, fed what broken or hostile clients send. */
class WireIT {
  @TempDir Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void bad_input_on_the_wire_gets_error_replies_and_ping_is_still_answered() throws Exception {
    try (WireClient c = WireClient.spawn(Map.of("TASKQ_DIR", dir.resolve("q").toString()), dir)) {
      c.initialize();
      c.sendRaw("not json at all");
      assertThat((Map<String, Object>) c.nextReply().get("error")).containsEntry("code", -32700);
      c.sendRaw("");
      c.sendRaw("[{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}]");
      assertThat((Map<String, Object>) c.nextReply().get("error")).containsEntry("code", -32600);
      c.sendRaw(
          "{\"jsonrpc\":\"2.0\",\"id\":6,\"x\":\""
              + "y".repeat(LineTransport.MAX_LINE_BYTES)
              + "\"}");
      Map<String, Object> tooLong = (Map<String, Object>) c.nextReply().get("error");
      assertThat(tooLong).containsEntry("code", -32600);
      assertThat((String) tooLong.get("message")).contains("over the limit");
      assertThat(c.result("ping", null)).isEmpty();
      assertThat(c.closeInput()).isZero();
    }
  }

  @Test
  void stdout_carries_only_json_rpc_from_start_to_exit() throws Exception {
    try (WireClient c = WireClient.spawn(Map.of("TASKQ_DIR", dir.resolve("q").toString()), dir)) {
      c.initialize();
      c.result("tools/list", null);
      c.result("resources/list", null);
      c.result("prompts/list", null);
      c.tool("claim_next", Map.of("lane", "Not A Lane"));
      assertThat(c.closeInput()).isZero();
      assertThat(c.rawLines()).hasSize(5);
      for (String line : c.rawLines()) {
        assertThat(line).startsWith("{\"jsonrpc\":\"2.0\"");
        assertThat(WireClient.JSON.readValue(line, Map.class)).containsKey("id");
      }
    }
  }
}

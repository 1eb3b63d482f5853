package dev.taskq.claude;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One HTTP request the scripted model received and the status it answered with. {@code body} is the
 * parsed JSON body (a missing node when there was none or it was not JSON).
 */
public record RecordedRequest(
    Instant at,
    String method,
    String path,
    Map<String, List<String>> headers,
    JsonNode body,
    int status) {

  public RecordedRequest {
    headers = Map.copyOf(headers);
  }

  /** The first value of a header (names are matched without regard to case), or "". */
  public String header(String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return "";
  }

  public boolean isMessages() {
    return "POST".equals(method) && path.startsWith("/v1/messages") && !path.contains("count");
  }

  public Conversation conversation() {
    return new Conversation(body, header("X-Claude-Code-Session-Id"));
  }
}

package dev.taskq.claude;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A Messages API request as the scripted model reads it: the system prompt, the messages, the tools
 * offered, and the tool calls made so far paired with their results.
 */
public final class Conversation {
  private final JsonNode request;
  private final String sessionId;

  public Conversation(JsonNode request, String sessionId) {
    this.request = request;
    this.sessionId = sessionId;
  }

  /** A tool call the model made and the result Claude Code sent back (null while none). */
  public record ToolCall(String id, String name, JsonNode input, String result, boolean isError) {
    public boolean answered() {
      return result != null;
    }
  }

  public JsonNode json() {
    return request;
  }

  /** Claude Code's session id (the X-Claude-Code-Session-Id header), or "" when absent. */
  public String sessionId() {
    return sessionId;
  }

  public String model() {
    return request.path("model").asString("");
  }

  public boolean streaming() {
    return request.path("stream").asBoolean(false);
  }

  /** The top-level system prompt, its text blocks joined. */
  public String system() {
    return texts(request.path("system"));
  }

  public List<JsonNode> messages() {
    List<JsonNode> out = new ArrayList<>();
    request.path("messages").forEach(out::add);
    return out;
  }

  /**
   * Everything the model can read in this request, as one string: the system prompt and every
   * message's text, tool inputs and tool results. For assertions such as "the model saw X".
   */
  public String allText() {
    StringBuilder sb = new StringBuilder(system());
    for (JsonNode m : messages()) {
      sb.append('\n').append(texts(m.path("content")));
      for (JsonNode b : m.path("content")) {
        if ("tool_use".equals(b.path("type").asString(""))) {
          sb.append('\n').append(b.path("input").toString());
        }
      }
    }
    return sb.toString();
  }

  /** The text of the last user message (its text blocks and tool results). */
  public String lastUserText() {
    List<JsonNode> ms = messages();
    for (int i = ms.size() - 1; i >= 0; i--) {
      if ("user".equals(ms.get(i).path("role").asString(""))) {
        return texts(ms.get(i).path("content"));
      }
    }
    return "";
  }

  /** The names of the tools whose schemas are loaded (listed in the request's tools). */
  public List<String> toolNames() {
    List<String> out = new ArrayList<>();
    request.path("tools").forEach(t -> out.add(t.path("name").asString("")));
    return out;
  }

  public boolean hasTool(String name) {
    return toolNames().contains(name);
  }

  /** Every tool call in order, each with its result when the next user message carries it. */
  public List<ToolCall> toolCalls() {
    List<JsonNode> ms = messages();
    List<ToolCall> calls = new ArrayList<>();
    for (int i = 0; i < ms.size(); i++) {
      JsonNode m = ms.get(i);
      if (!"assistant".equals(m.path("role").asString(""))) {
        continue;
      }
      for (JsonNode b : m.path("content")) {
        if (!"tool_use".equals(b.path("type").asString(""))) {
          continue;
        }
        String id = b.path("id").asString("");
        JsonNode result = i + 1 < ms.size() ? resultFor(ms.get(i + 1), id) : null;
        calls.add(
            new ToolCall(
                id,
                b.path("name").asString(""),
                b.path("input"),
                result == null ? null : texts(result.path("content")),
                result != null && result.path("is_error").asBoolean(false)));
      }
    }
    return calls;
  }

  public Optional<ToolCall> lastToolCall() {
    List<ToolCall> calls = toolCalls();
    return calls.isEmpty() ? Optional.empty() : Optional.of(calls.get(calls.size() - 1));
  }

  private static JsonNode resultFor(JsonNode userMessage, String toolUseId) {
    for (JsonNode b : userMessage.path("content")) {
      if ("tool_result".equals(b.path("type").asString(""))
          && toolUseId.equals(b.path("tool_use_id").asString(""))) {
        return b;
      }
    }
    return null;
  }

  /**
   * The text of a content value: a plain string, or the text of its blocks (text blocks, tool
   * results' content, tool_reference names) joined by newlines.
   */
  static String texts(JsonNode content) {
    if (content.isString()) {
      return content.asString();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode b : content) {
      String piece =
          switch (b.path("type").asString("")) {
            case "text" -> b.path("text").asString("");
            case "tool_result" -> texts(b.path("content"));
            case "tool_reference" -> b.path("tool_name").asString("");
            default -> "";
          };
      if (!piece.isEmpty()) {
        if (sb.length() > 0) {
          sb.append('\n');
        }
        sb.append(piece);
      }
    }
    return sb.toString();
  }
}

package dev.taskq.workers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads stream-json lines into {@link StreamEvent}s. Lenient by design: Claude Code adds event
 * types and fields between versions, so anything unknown is skipped, never an error; a line that is
 * not JSON becomes {@link StreamEvent.Garbled}.
 */
public final class StreamParser {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int SUMMARY_CHARS = 200;

  private StreamParser() {}

  public static List<StreamEvent> parse(String line) {
    String s = line.strip();
    if (s.isEmpty()) {
      return List.of();
    }
    JsonNode n;
    try {
      n = JSON.readTree(s);
    } catch (JacksonException e) {
      return List.of(new StreamEvent.Garbled(s));
    }
    if (n == null || !n.isObject()) {
      return List.of(new StreamEvent.Garbled(s));
    }
    return switch (n.path("type").asString("")) {
      case "system" -> system(n);
      case "assistant" -> assistant(n);
      case "user" -> user(n);
      case "rate_limit_event" -> List.of(rateLimit(n.path("rate_limit_info")));
      case "result" -> List.of(result(n));
      default -> List.of();
    };
  }

  private static List<StreamEvent> system(JsonNode n) {
    switch (n.path("subtype").asString("")) {
      case "init" -> {
        Map<String, String> servers = new LinkedHashMap<>();
        for (JsonNode s : n.path("mcp_servers")) {
          servers.put(s.path("name").asString(""), s.path("status").asString(""));
        }
        return List.of(
            new StreamEvent.Init(
                n.path("session_id").asString(""),
                n.path("model").asString(""),
                n.path("claude_code_version").asString(""),
                servers));
      }
      case "api_retry" -> {
        return List.of(
            new StreamEvent.ApiRetry(
                n.path("attempt").asInt(0),
                n.path("max_retries").asInt(0),
                n.path("retry_delay_ms").asLong(0),
                n.path("error_status").asInt(0),
                n.path("error").asString("")));
      }
      default -> {
        return List.of();
      }
    }
  }

  private static List<StreamEvent> assistant(JsonNode n) {
    List<StreamEvent> out = new ArrayList<>();
    out.add(new StreamEvent.Turn(n.path("message").path("id").asString("")));
    String error = n.path("error").asString("");
    StringBuilder errorText = new StringBuilder();
    for (JsonNode block : n.path("message").path("content")) {
      switch (block.path("type").asString("")) {
        case "text" -> {
          if (error.isEmpty()) {
            out.add(new StreamEvent.Text(block.path("text").asString("")));
          } else {
            errorText.append(block.path("text").asString(""));
          }
        }
        case "tool_use" ->
            out.add(
                new StreamEvent.ToolCall(
                    block.path("id").asString(""),
                    block.path("name").asString(""),
                    summary(block.path("input"))));
        default -> {}
      }
    }
    if (!error.isEmpty()) {
      out.add(new StreamEvent.ApiError(error, errorText.toString()));
    }
    return out;
  }

  private static List<StreamEvent> user(JsonNode n) {
    List<StreamEvent> out = new ArrayList<>();
    for (JsonNode block : n.path("message").path("content")) {
      if (block.path("type").asString("").equals("tool_result")) {
        out.add(
            new StreamEvent.ToolResult(
                block.path("tool_use_id").asString(""),
                block.path("is_error").asBoolean(false),
                text(block.path("content"))));
      }
    }
    return out;
  }

  static StreamEvent.RateLimit rateLimit(JsonNode info) {
    long resets = info.path("resetsAt").asLong(0);
    return new StreamEvent.RateLimit(
        info.path("status").asString(""),
        resets > 0 ? Instant.ofEpochSecond(resets) : null,
        info.path("rateLimitType").asString(""));
  }

  private static StreamEvent.Result result(JsonNode n) {
    return new StreamEvent.Result(
        n.path("subtype").asString(""),
        n.path("is_error").asBoolean(false),
        n.path("num_turns").asInt(0),
        n.path("total_cost_usd").asDouble(0),
        n.path("duration_ms").asLong(0),
        n.path("result").asString(""),
        n.path("api_error_status").asInt(0),
        n.path("api_error_type").asString(""),
        n.path("terminal_reason").asString(""));
  }

  /** A tool result's content: a string, or blocks of which the text ones count. */
  private static String text(JsonNode content) {
    if (content.isString()) {
      return content.asString();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode b : content) {
      if (b.path("type").asString("").equals("text")) {
        sb.append(sb.length() == 0 ? "" : "\n").append(b.path("text").asString(""));
      }
    }
    return sb.toString();
  }

  /** Tool arguments on one line, long values cut: {@code lane=db file_path=/src/a.js}. */
  private static String summary(JsonNode input) {
    if (!input.isObject()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, JsonNode> e : input.properties()) {
      if (e.getKey().equals("token")) {
        continue; // a claim token is a holder's secret; logs never show it
      }
      JsonNode v = e.getValue();
      String value = v.isString() ? v.asString() : v.toString();
      value = value.replaceAll("\\s+", " ").strip();
      if (value.length() > 60) {
        value = value.substring(0, 59) + "…";
      }
      sb.append(sb.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(value);
      if (sb.length() > SUMMARY_CHARS) {
        return sb.substring(0, SUMMARY_CHARS - 1) + "…";
      }
    }
    return sb.toString();
  }
}

package dev.taskq.claude;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answer of the Messages API, shaped as the real service sends it: an HTTP status, the
 * headers Claude Code reads, and the {@code {"type":"error","error":{…}}} body.
 */
public record Fault(int status, Map<String, String> headers, String errorType, String message) {

  public Fault {
    headers = Map.copyOf(headers);
  }

  /** Plain rate limit: Claude Code retries by itself, honouring retry-after. */
  public static Fault rateLimited(Duration retryAfter) {
    return new Fault(
        429,
        Map.of("retry-after", Long.toString(Math.max(0, retryAfter.toSeconds()))),
        "rate_limit_error",
        "Number of request tokens has exceeded your per-minute rate limit");
  }

  /**
   * A subscription's usage limit: {@code anthropic-ratelimit-unified-status: rejected} with the
   * reset time in epoch seconds. Claude Code waits when the reset is near and gives up when it is
   * far.
   */
  public static Fault usageLimit(Instant reset) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("anthropic-ratelimit-unified-status", "rejected");
    h.put("anthropic-ratelimit-unified-reset", Long.toString(reset.getEpochSecond()));
    h.put("anthropic-ratelimit-unified-representative-claim", "five_hour");
    h.put("anthropic-ratelimit-unified-5h-status", "rejected");
    h.put("anthropic-ratelimit-unified-5h-reset", Long.toString(reset.getEpochSecond()));
    h.put("anthropic-ratelimit-unified-5h-utilization", "1.0");
    return new Fault(429, h, "rate_limit_error", "This request would exceed your usage limit");
  }

  /** HTTP 529: the service is overloaded. */
  public static Fault overloaded() {
    return new Fault(529, Map.of(), "overloaded_error", "Overloaded");
  }

  /** HTTP 401: the key is not accepted. */
  public static Fault authentication() {
    return new Fault(401, Map.of(), "authentication_error", "invalid x-api-key");
  }

  /** HTTP 500: an internal error of the service. */
  public static Fault serverError() {
    return new Fault(500, Map.of(), "api_error", "Internal server error");
  }

  String body() {
    return "{\"type\":\"error\",\"error\":{\"type\":\""
        + errorType
        + "\",\"message\":\""
        + message.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\"}}";
  }
}

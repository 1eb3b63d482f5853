package dev.taskq.claude;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answer of the Messages API, shaped as the real service sends it: an HTTP status, the
 * headers Claude Code reads, and the {@code {"type":"error","error":{…}}} body.
 */
public record Fault(
    int status, Map<String, String> headers, String errorType, String message, Instant reset) {

  public Fault {
    headers = Map.copyOf(headers);
  }

  public Fault(int status, Map<String, String> headers, String errorType, String message) {
    this(status, headers, errorType, message, null);
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
   * A subscription's usage limit, as the service sends it: {@code
   * anthropic-ratelimit-unified-status: rejected}, {@code anthropic-ratelimit-unified-reset} (epoch
   * seconds), the representative claim ({@code five_hour}), and {@code retry-after} = the seconds
   * left until the reset, computed when each answer is sent.
   */
  public static Fault usageLimit(Instant reset) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("anthropic-ratelimit-unified-status", "rejected");
    h.put("anthropic-ratelimit-unified-reset", Long.toString(reset.getEpochSecond()));
    h.put("anthropic-ratelimit-unified-representative-claim", "five_hour");
    return new Fault(
        429, h, "rate_limit_error", "This request would exceed your account's rate limit", reset);
  }

  /** The same fault without some headers (e.g. "retry-after"), to see what Claude Code reads. */
  public Fault without(String... names) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    boolean dropRetryAfter = false;
    for (String n : names) {
      h.remove(n);
      dropRetryAfter |= n.equalsIgnoreCase("retry-after");
    }
    return new Fault(status, h, errorType, message, dropRetryAfter ? null : reset);
  }

  /** The headers to send at {@code now}: retry-after counts down to the reset when there is one. */
  Map<String, String> headersAt(Instant now) {
    if (reset == null) {
      return headers;
    }
    Map<String, String> h = new LinkedHashMap<>(headers);
    long left = Math.max(0, (Duration.between(now, reset).toMillis() + 999) / 1000);
    h.put("retry-after", Long.toString(left));
    return h;
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

package dev.taskq.workers;

import java.time.Instant;
import java.util.Map;

/**
 * What one line of {@code claude -p --output-format stream-json --verbose} says, reduced to what
 * the supervisor acts on and what a person reads in {@code taskq workers logs}. One line may hold
 * several events (an assistant message with text and tool calls).
 */
public sealed interface StreamEvent {

  /** {@code system/init}: the session began; {@code mcpServers} maps server name to status. */
  record Init(String sessionId, String model, String version, Map<String, String> mcpServers)
      implements StreamEvent {}

  /** The model called a tool; {@code input} is a one-line summary of its arguments. */
  record ToolCall(String id, String name, String input) implements StreamEvent {}

  /** A tool answered; {@code text} is its text content. */
  record ToolResult(String toolUseId, boolean isError, String text) implements StreamEvent {}

  /** An assistant message began or went on ({@code id} repeats across its content blocks). */
  record Turn(String messageId) implements StreamEvent {}

  /** Text the model wrote. */
  record Text(String text) implements StreamEvent {}

  /** {@code system/api_retry}: Claude Code retries a failed API call by itself. */
  record ApiRetry(int attempt, int maxRetries, long delayMs, int status, String error)
      implements StreamEvent {}

  /**
   * {@code rate_limit_event} (subscription logins): {@code status} allowed, allowed_warning or
   * rejected; {@code resetsAt} null when not given.
   */
  record RateLimit(String status, Instant resetsAt, String limitType) implements StreamEvent {}

  /**
   * An assistant message that is an API error: {@code error} is rate_limit, overloaded,
   * authentication_failed, billing_error, server_error, …; {@code text} what Claude Code printed.
   */
  record ApiError(String error, String text) implements StreamEvent {}

  /**
   * The run's last event.
   *
   * @param apiErrorStatus the HTTP status of the API error that ended the run, or 0
   * @param costUsd {@code total_cost_usd}, or 0 when not given
   */
  record Result(
      String subtype,
      boolean isError,
      int turns,
      double costUsd,
      long durationMs,
      String text,
      int apiErrorStatus,
      String apiErrorType,
      String terminalReason)
      implements StreamEvent {}

  /** A line that is not JSON (Claude Code printed something else), kept for the log. */
  record Garbled(String line) implements StreamEvent {}
}

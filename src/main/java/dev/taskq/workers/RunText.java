package dev.taskq.workers;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A worker run as a person reads it ({@code taskq workers logs WORKER}): one line per tool call
 * (name, key arguments) and per result (its first line), the model's text, errors and retries, and
 * the final result with turns and cost. The claim token never appears (arguments named token are
 * left out when parsed).
 */
public final class RunText {
  private static final int WIDTH = 160;
  private static final DateTimeFormatter HHMMSS =
      DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private RunText() {}

  /** The lines one stream-json line becomes; empty for lines a person does not need. */
  public static List<String> lines(String streamLine) {
    List<String> out = new ArrayList<>();
    if (streamLine.startsWith("{\"type\":\"taskq_truncated\"")) {
      out.add(
          "… transcript cut here (over "
              + (Transcript.MAX_BYTES >> 20)
              + " MiB); the result follows");
      return out;
    }
    for (StreamEvent e : StreamParser.parse(streamLine)) {
      String l = line(e);
      if (l != null) {
        out.add(cut(l));
      }
    }
    return out;
  }

  static String line(StreamEvent e) {
    if (e instanceof StreamEvent.Init i) {
      String taskq = i.mcpServers().getOrDefault("taskq", "missing");
      return "session "
          + i.sessionId()
          + " · model "
          + i.model()
          + (i.version().isEmpty() ? "" : " · claude " + i.version())
          + " · taskq server "
          + taskq;
    } else if (e instanceof StreamEvent.ToolCall c) {
      String name = c.name().startsWith("mcp__taskq__") ? c.name().substring(12) : c.name();
      return "→ " + name + (c.input().isEmpty() ? "" : " " + c.input());
    } else if (e instanceof StreamEvent.ToolResult r) {
      String first = firstLine(r.text());
      return (r.isError() ? "← error: " : "← ") + (first.isEmpty() ? "(no text)" : first);
    } else if (e instanceof StreamEvent.Text t) {
      String text = t.text().strip().replaceAll("\\s*\\n\\s*", " ⏎ ");
      return text.isEmpty() ? null : "» " + text;
    } else if (e instanceof StreamEvent.ApiRetry r) {
      return String.format(
          Locale.ROOT,
          "! API retry %d/%d after %d %s; next in %.1fs",
          r.attempt(),
          r.maxRetries(),
          r.status(),
          r.error(),
          r.delayMs() / 1000.0);
    } else if (e instanceof StreamEvent.RateLimit l) {
      return "! rate limit "
          + l.status()
          + (l.limitType().isEmpty() ? "" : " (" + l.limitType() + ")")
          + (l.resetsAt() == null ? "" : ", resets " + HHMMSS.format(l.resetsAt()));
    } else if (e instanceof StreamEvent.ApiError a) {
      return "! API error " + a.error() + ": " + firstLine(a.text());
    } else if (e instanceof StreamEvent.Result r) {
      String head =
          String.format(
              Locale.ROOT,
              "= %s%s · %d turns · $%.4f · %.1fs",
              r.isError() ? "error " : "",
              r.subtype(),
              r.turns(),
              r.costUsd(),
              r.durationMs() / 1000.0);
      String said = firstLine(r.text());
      return said.isEmpty() ? head : head + " · " + said;
    } else if (e instanceof StreamEvent.Garbled g) {
      return "? " + g.line();
    }
    return null;
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.strip().lines().findFirst().orElse("").strip();
  }

  private static String cut(String s) {
    return s.length() <= WIDTH ? s : s.substring(0, WIDTH - 1) + "…";
  }
}

package dev.taskq.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one format of a log line, whatever keeps it: {@code <UTC instant> <EVENT>: <id or ->
 * <details>}. Every store writes exactly these strings, so {@code taskq log}, the resume packet and
 * the tests read the same text from files and from a database.
 */
public final class LogLine {
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private LogLine() {}

  /** The line for an event, without the trailing newline. */
  public static String of(Instant at, String event, String id, String details) {
    StringBuilder sb = new StringBuilder(96);
    sb.append(TS.format(at)).append(' ').append(event).append(": ").append(id == null ? "-" : id);
    if (details != null && !details.isEmpty()) {
      sb.append(' ').append(oneLine(details));
    }
    return sb.toString();
  }

  /** Newlines become " ⏎ " and other control characters are dropped, so an event is one line. */
  public static String oneLine(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n') {
        sb.append(" ⏎ ");
      } else if (c == '\t') {
        sb.append(' ');
      } else if (c >= 0x20 && c != 0x7f) {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The first line of {@code s}, stripped, at most 120 characters; "" for null. */
  public static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    String t = s.strip();
    int nl = t.indexOf('\n');
    t = nl < 0 ? t : t.substring(0, nl);
    return t.length() > 120 ? t.substring(0, 117) + "..." : t;
  }

  /** True when {@code line} is an event about task {@code id}. */
  public static boolean isAbout(String line, String id) {
    String needle = ": " + id;
    int at = line.indexOf(needle);
    int end = at + needle.length();
    return at > 0 && (end == line.length() || line.charAt(end) == ' ');
  }
}

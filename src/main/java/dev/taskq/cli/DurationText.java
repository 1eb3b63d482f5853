package dev.taskq.cli;

import dev.taskq.core.TaskqException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them: "90s", "30m", "2h", "1h30m"; a bare number is seconds. */
final class DurationText {
  private static final Pattern PART = Pattern.compile("(\\d{1,9})([hms])");

  private DurationText() {}

  static Duration parse(String field, String text) {
    String s = text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT);
    if (s.matches("\\d{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(s));
    }
    Matcher m = PART.matcher(s);
    Duration d = Duration.ZERO;
    int at = 0;
    while (m.find() && m.start() == at) {
      long n = Long.parseLong(m.group(1));
      d =
          d.plus(
              switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
              });
      at = m.end();
    }
    if (s.isEmpty() || at != s.length()) {
      throw TaskqException.invalid(
          field, "expected a duration such as 90s, 30m, 2h or 1h30m, got '" + text + "'");
    }
    return d;
  }
}

package dev.taskq.cli;

import dev.taskq.core.TaskRow;
import dev.taskq.store.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Why a claim went quiet: the LIMIT lines the StopFailure hook writes when a session holding a task
 * hits a usage limit, for status views. A limit counts until the task shows progress again (a
 * checkpoint, a resumed or a new claim).
 */
final class UsageLimits {
  /** How far back in the log status looks: limits older than this many lines are not shown. */
  static final int LOOK_BACK = 2_000;

  private static final Pattern LINE =
      Pattern.compile("^(\\S+) (LIMIT|CHECKPOINT|CLAIMED|RESUMED): (\\S+) ?(.*)$");

  private UsageLimits() {}

  /**
   * For each of the in-progress {@code rows} that hit a usage limit since its last progress, what
   * to show.
   */
  static Map<String, String> of(TaskStore store, List<TaskRow> rows, Instant now) {
    if (rows.isEmpty()) {
      return Map.of();
    }
    Set<String> ids = rows.stream().map(TaskRow::id).collect(Collectors.toSet());
    Map<String, String> out = new HashMap<>();
    for (String line : store.tailLog(LOOK_BACK)) {
      Matcher m = LINE.matcher(line);
      if (!m.matches() || !ids.contains(m.group(3))) {
        continue;
      }
      if (m.group(2).equals("LIMIT")) {
        out.put(m.group(3), m.group(4) + ago(m.group(1), now));
      } else {
        out.remove(m.group(3));
      }
    }
    return out;
  }

  private static String ago(String stamp, Instant now) {
    try {
      Duration d = Duration.between(Instant.parse(stamp), now);
      return d.isNegative() ? "" : ", " + HumanFormat.duration(d) + " ago";
    } catch (RuntimeException e) {
      return "";
    }
  }
}

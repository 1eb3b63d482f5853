package dev.taskq.dashboard;

import java.util.Locale;

/** The board's columns, left to right. Blocked is a view of pending (waits on unfinished tasks). */
enum Column {
  PENDING,
  BLOCKED,
  IN_PROGRESS,
  COMPLETED,
  FAILED;

  /** Cards a column shows until the person asks for more. */
  static final int DEFAULT_SHOWN = 50;

  /** The most cards one column shows; the rest are counted ("and 9,000 more"). */
  static final int MAX_SHOWN = 2_000;

  /** The name in JSON and in the page, e.g. {@code in_progress}. */
  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package dev.taskq.core;

import java.util.Locale;

/** How a holder ends its claim. */
public enum Outcome {
  /** The criterion is met: the task moves to completed/ and log.txt gets a DONE line. */
  DONE,
  /** The holder gives up: the task moves to failed/. */
  FAILED,
  /** The holder hands the task back: it returns to pending/ without using up an attempt. */
  RELEASED,
  /**
   * A person cancelled the task: it ends as failed with this outcome and is never claimed again.
   * Never a holder's outcome ({@link #forHolder} refuses it).
   */
  CANCELLED;

  /** A holder's outcome for complete_task: done, failed or released. */
  public static Outcome forHolder(String value) {
    Outcome o = value == null ? null : parseOrNull(value);
    if (o == null || o == CANCELLED) {
      throw TaskqException.invalid(
          "outcome", "must be one of done, failed, released (got " + value + ")");
    }
    return o;
  }

  private static Outcome parseOrNull(String value) {
    for (Outcome o : values()) {
      if (o.name().equalsIgnoreCase(value.trim())) {
        return o;
      }
    }
    return null;
  }

  public static Outcome parse(String value) {
    if (value != null) {
      for (Outcome o : values()) {
        if (o.name().equalsIgnoreCase(value.trim())) {
          return o;
        }
      }
    }
    throw TaskqException.invalid(
        "outcome", "must be one of done, failed, released, cancelled (got " + value + ")");
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package dev.taskq.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.random.RandomGenerator;

/** Rules for task ids: they become file names, so they are strict. */
public final class TaskId {
  public static final int MAX_LENGTH = 80;
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

  private TaskId() {}

  /** Returns the id if valid, else throws INVALID_ARGUMENT naming {@code field}. */
  public static String check(String field, String id) {
    String problem = problem(id);
    if (problem != null) {
      throw TaskqException.invalid(field, problem);
    }
    return id;
  }

  /** Null when valid, else why not. */
  public static String problem(String id) {
    if (id == null || id.isEmpty()) {
      return "must not be empty";
    }
    if (id.length() > MAX_LENGTH) {
      return "must be at most " + MAX_LENGTH + " characters (got " + id.length() + ")";
    }
    if (id.charAt(0) == '.') {
      return "must not start with a dot";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      if (!ok) {
        return "may hold only lower-case letters a-z, digits, '.', '_' and '-' (bad character at "
            + (i + 1)
            + ")";
      }
    }
    return null;
  }

  /** A fresh id: task-yyyyMMdd-HHmmss-xxxxx (UTC). */
  public static String generate(Instant now, RandomGenerator random) {
    StringBuilder sb = new StringBuilder("task-").append(STAMP.format(now)).append('-');
    for (int i = 0; i < 5; i++) {
      sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }
}

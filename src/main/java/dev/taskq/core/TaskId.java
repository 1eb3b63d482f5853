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
    int position = 0;
    int length = id.codePointCount(0, id.length());
    for (int i = 0; i < id.length(); ) {
      int c = id.codePointAt(i);
      position++;
      if (!allowed(c)) {
        String hint = suggestion(id);
        return "may hold only lower-case letters a-z, digits, '.', '_' and '-': "
            + describe(c)
            + " (character "
            + position
            + " of "
            + length
            + ", counting from 1) is not one"
            + (hint == null ? "" : "; try '" + hint + "'");
      }
      i += Character.charCount(c);
    }
    return null;
  }

  private static boolean allowed(int c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  }

  /** The character as a person can see it: 'D', a space, a tab, U+00E9 'é'. */
  static String describe(int c) {
    if (c == ' ') {
      return "a space";
    }
    if (c == '\t') {
      return "a tab";
    }
    String code = String.format("U+%04X", c);
    if (Character.isISOControl(c) || !Character.isDefined(c) || Character.isWhitespace(c)) {
      return "the invisible character " + code;
    }
    String shown = "'" + new String(Character.toChars(c)) + "'";
    return c < 128 ? shown : shown + " (" + code + ")";
  }

  /**
   * A valid name close to {@code id}: lower case, every run of other characters as one '-', or null
   * when that leaves nothing useful. "Data Base" → "data-base".
   */
  static String suggestion(String id) {
    StringBuilder sb = new StringBuilder();
    boolean dash = false;
    for (int i = 0; i < id.length(); ) {
      int original = id.codePointAt(i);
      i += Character.charCount(original);
      int c = Character.toLowerCase(original);
      if (allowed(c)) {
        sb.append((char) c);
        dash = false;
      } else if (!dash && sb.length() > 0) {
        sb.append('-');
        dash = true;
      }
    }
    String s = sb.toString().replaceAll("^[.-]+|-+$", "");
    return s.isEmpty() || s.length() > MAX_LENGTH || s.equals(id) ? null : s;
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

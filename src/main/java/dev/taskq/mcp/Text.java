package dev.taskq.mcp;

/** Null-safe helpers for the texts the store hands back (hand-written files may lack parts). */
final class Text {
  private Text() {}

  static boolean has(String s) {
    return s != null && !s.isBlank();
  }

  static String or(String s, String absent) {
    return has(s) ? s.strip() : absent;
  }

  /** The first line, cut to {@code max} characters with an ellipsis. */
  static String firstLine(String s, int max) {
    if (s == null) {
      return "";
    }
    String t = s.strip();
    int nl = t.indexOf('\n');
    if (nl >= 0) {
      t = t.substring(0, nl).strip();
    }
    return t.length() <= max ? t : t.substring(0, max - 1) + "…";
  }
}

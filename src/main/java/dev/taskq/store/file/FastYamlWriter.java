package dev.taskq.store.file;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes the flat front matter taskq itself produces (string, int and long values, lists of
 * strings) without Jackson, which costs far more per file than the claim it serves. Returns null
 * for anything else, and the caller falls back to Jackson. {@link FastYamlReader} reads the same
 * shapes back, so the two share the rule for when a string may go unquoted.
 */
final class FastYamlWriter {
  /** Words YAML 1.1 or 1.2 reads as booleans or null; quoted so no reader mistakes them. */
  private static final Set<String> RESERVED =
      Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null");

  /** Instant.toString(): stays plain as in every existing file; Jackson reads it as a string. */
  private static final Pattern INSTANT =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?Z");

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private FastYamlWriter() {}

  static String write(Map<String, Object> fields) {
    if (fields.isEmpty()) {
      return null; // Jackson writes "{}"; keep that rare case identical
    }
    StringBuilder sb = new StringBuilder(512);
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      if (!isKey(e.getKey())) {
        return null;
      }
      sb.append(e.getKey()).append(':');
      Object v = e.getValue();
      if (v instanceof Integer || v instanceof Long) {
        sb.append(' ').append(v);
      } else if (v instanceof String s) {
        if (!appendString(sb.append(' '), s)) {
          return null;
        }
      } else if (v instanceof List<?> list) {
        if (list.isEmpty()) {
          sb.append(" []"); // what Jackson writes
        }
        for (Object item : list) {
          if (!(item instanceof String s) || !appendString(sb.append("\n- "), s)) {
            return null;
          }
        }
      } else {
        return null;
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** A key written and read bare: lower-case identifier that no YAML reader takes for a value. */
  static boolean isKey(String k) {
    if (k == null || k.isEmpty() || k.length() > 100 || RESERVED.contains(k)) {
      return false;
    }
    for (int i = 0; i < k.length(); i++) {
      char c = k.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c == '_' || i > 0 && c >= '0' && c <= '9')) {
        return false;
      }
    }
    return true;
  }

  /**
   * True when {@code s} can be written bare and every YAML reader takes it back as this very
   * string: letters, digits and a few harmless marks; no comment or key marker inside; nothing that
   * reads as null, a boolean, a number or a date.
   */
  static boolean isPlain(String s) {
    int n = s.length();
    if (n == 0) {
      return false;
    }
    char first = s.charAt(0);
    if (!(isLetter(first) || isDigit(first) || first == '_' || first == '/')) {
      return false;
    }
    char last = s.charAt(n - 1);
    if (last == ' ' || last == ':') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!(isLetter(c) || isDigit(c) || " _./@#-:+,()=".indexOf(c) >= 0)) {
        return false;
      }
      if (c == ' ' && s.charAt(i + 1) == '#' || c == ':' && s.charAt(i + 1) == ' ') {
        return false; // a comment, or a nested key; i + 1 exists as the last char is no space
      }
    }
    return !RESERVED.contains(s.toLowerCase(Locale.ROOT)) && !looksNumeric(s);
  }

  /** Starts with a digit and holds only number-ish chars: 007, 1e3, 0x1F, 1_000, 12:30, dates. */
  private static boolean looksNumeric(String s) {
    if (!isDigit(s.charAt(0)) || INSTANT.matcher(s).matches()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(isLetter(c) && c < 0x80 || isDigit(c) || "_.:+-".indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLetter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0xA0 && Character.isLetter(c);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * Appends s plain or double-quoted. False for a line break, so multi-line text keeps Jackson's
   * readable literal block, and for a lone surrogate, which has no faithful YAML form.
   */
  private static boolean appendString(StringBuilder sb, String s) {
    if (isPlain(s)) {
      sb.append(s);
      return true;
    }
    if (s.indexOf('\n') >= 0) {
      return false;
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c < 0x20 || c >= 0x7F && c <= 0x9F) {
        sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      } else if (FastYamlReader.needsEscape(c)) {
        sb.append("\\u");
        for (int shift = 12; shift >= 0; shift -= 4) {
          sb.append(HEX[(c >> shift) & 0xF]);
        }
      } else if (Character.isSurrogate(c)) {
        if (!pairStartsAt(s, i)) {
          return false;
        }
        sb.append(c).append(s.charAt(++i));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
    return true;
  }

  /** Whether s holds a whole surrogate pair at i; a lone half is left to Jackson. */
  static boolean pairStartsAt(String s, int i) {
    return Character.isHighSurrogate(s.charAt(i))
        && i + 1 < s.length()
        && Character.isLowSurrogate(s.charAt(i + 1));
  }
}

package dev.taskq.store.file;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads front matter made only of the line shapes {@link FastYamlWriter} writes: {@code key:
 * value}, {@code key: "quoted"}, {@code key: []}, {@code key:} followed by {@code - item} lines,
 * and blank lines. Returns exactly what Jackson would, or null the moment anything else shows up
 * (comments, single quotes, flow or block scalars, indentation, tabs, duplicate keys, a bare value
 * that might not be a string or a decimal integer), and the caller asks Jackson instead.
 */
final class FastYamlReader {
  /** Marks a value this reader will not decide; never stored in a map. */
  private static final Object GIVE_UP = new Object();

  /** Far above any front matter taskq writes (a criterion is at most 4,000 chars). */
  private static final int MAX_CHARS = 64 * 1024;

  private FastYamlReader() {}

  static Map<String, Object> read(String yaml) {
    if (yaml.length() > MAX_CHARS) {
      return null; // Jackson's size limits and their messages apply to huge files
    }
    Map<String, Object> out = new LinkedHashMap<>();
    String listKey = null; // the key of a "key:" line, while "- item" lines may follow
    int pos = 0;
    while (pos < yaml.length()) {
      int eol = yaml.indexOf('\n', pos);
      String line = yaml.substring(pos, eol < 0 ? yaml.length() : eol);
      pos = eol < 0 ? yaml.length() : eol + 1;
      if (line.isEmpty()) {
        continue; // blank lines do not end a sequence in YAML either
      }
      if (line.startsWith("- ")) {
        Object item = scalar(line, 2);
        if (listKey == null || item == GIVE_UP) {
          return null;
        }
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) out.computeIfAbsent(listKey, k -> new ArrayList<>());
        list.add(item);
        continue;
      }
      listKey = null;
      int colon = line.indexOf(':');
      String key = colon < 0 ? "" : line.substring(0, colon);
      if (!FastYamlWriter.isKey(key) || out.containsKey(key)) {
        return null;
      }
      if (colon == line.length() - 1) {
        listKey = key;
        out.put(key, null); // what Jackson gives for "key:" with no items
        continue;
      }
      Object value = line.charAt(colon + 1) == ' ' ? scalar(line, colon + 2) : GIVE_UP;
      if (value == GIVE_UP) {
        return null;
      }
      out.put(key, value);
    }
    return out.isEmpty() ? null : out; // a document of blank lines is Jackson's to judge
  }

  /** The value of line from index start to its end, as Jackson types it, or GIVE_UP. */
  private static Object scalar(String line, int start) {
    String s = line.substring(start);
    if (s.startsWith("\"")) {
      return quoted(s);
    }
    if (s.equals("[]")) {
      return new ArrayList<>();
    }
    if (FastYamlWriter.isPlain(s)) {
      return s;
    }
    switch (s) {
      case "null":
        return null;
      case "true":
        return Boolean.TRUE;
      case "false":
        return Boolean.FALSE;
      default:
        return integer(s);
    }
  }

  /** -?(0|[1-9][0-9]*) within a long, boxed as Jackson does: Integer when it fits, else Long. */
  private static Object integer(String s) {
    int i = s.startsWith("-") ? 1 : 0;
    int digits = s.length() - i;
    if (digits < 1 || digits > 19 || digits > 1 && s.charAt(i) == '0') {
      return GIVE_UP;
    }
    for (int j = i; j < s.length(); j++) {
      if (s.charAt(j) < '0' || s.charAt(j) > '9') {
        return GIVE_UP;
      }
    }
    long v;
    try {
      v = Long.parseLong(s);
    } catch (NumberFormatException e) {
      return GIVE_UP; // Jackson makes a BigInteger of it
    }
    return v == (int) v ? (Object) (int) v : (Object) v;
  }

  /** A double-quoted scalar that closes at the end of s, with the escapes the writer uses. */
  private static Object quoted(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        return i == s.length() - 1 ? sb.toString() : GIVE_UP;
      }
      if (c == '\\') {
        if (++i == s.length()) {
          return GIVE_UP;
        }
        char e = s.charAt(i);
        int hexDigits = e == 'x' ? 2 : e == 'u' ? 4 : 0;
        if (hexDigits > 0) {
          int code = hex(s, i + 1, hexDigits);
          if (code < 0 || Character.isSurrogate((char) code)) {
            return GIVE_UP;
          }
          sb.append((char) code);
          i += hexDigits;
        } else {
          int at = "\\\"ntr".indexOf(e);
          if (at < 0) {
            return GIVE_UP;
          }
          sb.append("\\\"\n\t\r".charAt(at));
        }
      } else if (c < 0x20 || c >= 0x7F && c <= 0x9F || needsEscape(c)) {
        return GIVE_UP; // raw tabs, line breaks, controls: left to Jackson's exact rules
      } else if (Character.isSurrogate(c)) {
        if (!FastYamlWriter.pairStartsAt(s, i)) {
          return GIVE_UP;
        }
        sb.append(c).append(s.charAt(++i));
      } else {
        sb.append(c);
      }
    }
    return GIVE_UP; // not closed on this line
  }

  /** Chars YAML treats as line breaks, a byte-order mark or a non-character: always escaped. */
  static boolean needsEscape(char c) {
    return c == '\u2028' || c == '\u2029' || c == '\uFEFF' || c >= '\uFFFE';
  }

  private static int hex(String s, int from, int count) {
    if (from + count > s.length()) {
      return -1;
    }
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      int d = c < 0x80 ? Character.digit(c, 16) : -1; // ASCII only, unlike Character.digit
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }
}

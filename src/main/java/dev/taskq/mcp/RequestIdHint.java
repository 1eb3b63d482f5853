package dev.taskq.mcp;

/**
 * Finds the top-level "id" of a request that cannot be parsed whole (too long, nested too deep), so
 * its error reply reaches the caller instead of leaving the call waiting for the client's timeout.
 * A streaming scan of the raw bytes: it tracks only nesting depth and strings, so it costs no
 * memory whatever the line's size, and finds the id wherever the client put it among the keys.
 */
final class RequestIdHint {
  private static final int MAX_ID = 200;

  private int depth;
  private boolean inString;
  private boolean escape;
  private boolean expectKey;
  private boolean afterColon;
  private boolean capturing;
  private boolean keyIsId;
  private final StringBuilder cur = new StringBuilder();
  private Object id;

  /** Scans a whole line at once. */
  static Object find(String line) {
    RequestIdHint h = new RequestIdHint();
    byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    h.feed(bytes, 0, bytes.length);
    return h.id();
  }

  /** Feeds bytes [from, to) of the line (to = -1 for the whole array). */
  void feed(byte[] b, int from, int to) {
    int end = to < 0 ? b.length : to;
    for (int i = from; i < end && id == null; i++) {
      step((char) (b[i] & 0xff));
    }
  }

  /** The id as a Long or a String, or null when none was seen (yet). */
  Object id() {
    if (id == null && capturing && !inString && cur.length() > 0) {
      return number(); // the line ended right after a numeric id
    }
    return id;
  }

  private void step(char c) {
    if (inString) {
      string(c);
      return;
    }
    switch (c) {
      case '"' -> {
        inString = true;
        capturing = depth == 1 && (expectKey || (afterColon && keyIsId));
        cur.setLength(0);
      }
      case '{', '[' -> {
        endNumber();
        depth++;
        expectKey = depth == 1 && c == '{';
        afterColon = false;
      }
      case '}', ']' -> {
        endNumber();
        depth--;
      }
      case ':' -> {
        if (depth == 1) {
          afterColon = true;
          expectKey = false;
        }
      }
      case ',' -> {
        endNumber();
        if (depth == 1) {
          expectKey = true;
          afterColon = false;
        }
      }
      default -> {
        if (depth == 1 && afterColon && keyIsId && (c == '-' || (c >= '0' && c <= '9'))) {
          if (!capturing) {
            capturing = true;
            cur.setLength(0);
          }
          if (cur.length() < 19) {
            cur.append(c);
          }
        } else if (c > ' ') {
          endNumber();
        }
      }
    }
  }

  private void string(char c) {
    if (escape) {
      escape = false;
    } else if (c == '\\') {
      escape = true;
      return;
    } else if (c == '"') {
      inString = false;
      if (capturing && expectKey) {
        keyIsId = cur.toString().equals("id");
      } else if (capturing && afterColon && keyIsId) {
        id = cur.toString();
      }
      capturing = false;
      return;
    }
    if (capturing && cur.length() < MAX_ID) {
      cur.append(c);
    }
  }

  private void endNumber() {
    if (capturing && !inString && cur.length() > 0 && id == null) {
      id = number();
    }
    capturing = false;
  }

  private Object number() {
    try {
      return Long.valueOf(cur.toString());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

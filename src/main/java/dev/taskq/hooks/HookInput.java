package dev.taskq.hooks;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON Claude Code writes on a hook's stdin, read leniently: whatever is missing, of the wrong
 * type or not JSON at all reads as absent, since a hook must never get in the way.
 */
public final class HookInput {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  static final HookInput NONE = new HookInput(null);

  private final JsonNode root;

  private HookInput(JsonNode root) {
    this.root = root != null && root.isObject() ? root : null;
  }

  /** The payload in {@code text}; an empty one when it is not a JSON object. */
  public static HookInput parse(String text) {
    if (text == null || text.isBlank()) {
      return NONE;
    }
    try {
      return new HookInput(JSON.readTree(text));
    } catch (RuntimeException e) { // JacksonException included
      return NONE;
    }
  }

  /** False when stdin was not a JSON object. */
  public boolean present() {
    return root != null;
  }

  /** A text field, or null when absent, blank or not text. */
  public String text(String field) {
    if (root == null) {
      return null;
    }
    JsonNode n = root.get(field);
    return n != null && n.isString() && !n.asString().isBlank() ? n.asString() : null;
  }

  /** A boolean field; false when absent or not a boolean. */
  public boolean flag(String field) {
    if (root == null) {
      return false;
    }
    JsonNode n = root.get(field);
    return n != null && n.isBoolean() && n.asBoolean();
  }

  public String sessionId() {
    return text("session_id");
  }

  /** SessionStart's {@code source}: startup, resume, clear, compact (fork and others may come). */
  public String source() {
    return text("source");
  }

  public String cwd() {
    return text("cwd");
  }
}

package dev.taskq.cli;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import dev.taskq.hooks.HookSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Registers taskq's hooks in Claude Code's {@code .claude/settings.json} (or {@code
 * settings.local.json}): one entry per event, {@code {"hooks":[{"type":"command","command":"taskq
 * hook <event> || true","timeout":N}]}}. Every other setting and every other hook, of the same
 * events too, is kept as it is and where it is; an entry taskq wrote before is updated in place. A
 * file that is not a JSON object (or whose {@code hooks} has another shape than Claude Code's) is
 * refused, untouched.
 */
final class ClaudeSettingsFile {
  /**
   * What registering would do.
   *
   * @param text the new file content, or null when the file already says the same
   * @param action "created", "added", "updated" or "unchanged"
   * @param kept how many hooks of others the file has, all kept
   */
  record Plan(Path file, String text, String action, int kept) {
    boolean changes() {
      return text != null;
    }
  }

  private ClaudeSettingsFile() {}

  static Plan plan(Path file) {
    boolean exists = Files.exists(file);
    ObjectNode root =
        exists
            ? JsonText.readObject(file, "{\"hooks\": {...}}", ClaudeSettingsFile::refuse)
            : JsonText.MAPPER.createObjectNode();
    JsonNode hooksNode = root.get("hooks");
    if (hooksNode != null && !hooksNode.isObject()) {
      throw refuse(file, "\"hooks\" is not a JSON object of events");
    }
    ObjectNode hooks = hooksNode == null ? root.putObject("hooks") : (ObjectNode) hooksNode;
    int kept = 0;
    boolean hadOurs = false;
    boolean changed = false;
    for (HookSettings.Entry e : HookSettings.entries()) {
      String event = e.event().claudeName();
      JsonNode groupsNode = hooks.get(event);
      if (groupsNode != null && !groupsNode.isArray()) {
        throw refuse(file, "\"hooks\"." + event + " is not a JSON array");
      }
      ArrayNode groups = groupsNode == null ? hooks.putArray(event) : (ArrayNode) groupsNode;
      ObjectNode wanted = command(e);
      boolean placed = false;
      for (JsonNode group : groups) {
        if (!group.isObject()) {
          throw refuse(file, "an entry of \"hooks\"." + event + " is not a JSON object");
        }
        JsonNode list = group.get("hooks");
        if (list == null) {
          continue;
        }
        if (!list.isArray()) {
          throw refuse(file, "a \"hooks\" list under \"hooks\"." + event + " is not a JSON array");
        }
        ArrayNode commands = (ArrayNode) list;
        for (int i = 0; i < commands.size(); i++) {
          JsonNode c = commands.get(i);
          if (c.isObject() && HookSettings.isOurs(text(c.get("command")))) {
            hadOurs = true;
            if (placed) {
              commands.remove(i--); // a duplicate from an earlier hand edit
              changed = true;
            } else if (!c.equals(wanted)) {
              commands.set(i, wanted);
              changed = true;
              placed = true;
            } else {
              placed = true;
            }
          }
        }
      }
      if (!placed) {
        ObjectNode group = groups.addObject();
        group.putArray("hooks").add(wanted);
        changed = true;
      }
    }
    for (JsonNode groups : hooks) {
      for (JsonNode group : groups.isArray() ? groups : JsonText.MAPPER.createArrayNode()) {
        JsonNode list = group.isObject() ? group.get("hooks") : null;
        for (JsonNode c :
            list != null && list.isArray() ? list : JsonText.MAPPER.createArrayNode()) {
          if (!HookSettings.isOurs(text(c.get("command")))) {
            kept++;
          }
        }
      }
    }
    if (!changed) {
      return new Plan(file, null, "unchanged", kept);
    }
    String action = !exists ? "created" : hadOurs ? "updated" : "added";
    return new Plan(file, JsonText.pretty(root), action, kept);
  }

  private static ObjectNode command(HookSettings.Entry e) {
    ObjectNode c = JsonText.MAPPER.createObjectNode();
    c.put("type", "command");
    c.put("command", e.command());
    c.put("timeout", e.timeout());
    return c;
  }

  private static String text(JsonNode n) {
    return n != null && n.isString() ? n.asString() : null;
  }

  private static TaskqException refuse(Path file, String problem) {
    return new TaskqException(
        ErrorCode.INVALID_ARGUMENT,
        file.getFileName().toString(),
        file + " " + problem,
        "fix or move that file, then run taskq init again (or pass --no-hooks); nothing was"
            + " changed",
        null);
  }
}

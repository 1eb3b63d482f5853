package dev.taskq.cli;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Registers taskq in a project's .mcp.json. Every other server and every other top-level key is
 * kept as it is; a file that is not a JSON object is refused, untouched.
 */
final class McpJsonFile {
  static final String SERVER = "taskq";

  /**
   * What registering would do.
   *
   * @param text the new file content, or null when the file already says the same
   * @param action "created", "added", "updated" or "unchanged"
   * @param others names of the other servers, kept
   */
  record Plan(Path file, String text, String action, List<String> others) {
    boolean changes() {
      return text != null;
    }
  }

  private McpJsonFile() {}

  static Plan plan(Path file, Registration registration) {
    ObjectNode root;
    boolean exists = Files.exists(file);
    if (!exists) {
      root = JsonText.MAPPER.createObjectNode();
    } else {
      root = JsonText.readObject(file, "{\"mcpServers\": {...}}", McpJsonFile::refuse);
    }
    JsonNode servers = root.get("mcpServers");
    if (servers != null && !servers.isObject()) {
      throw refuse(file, "\"mcpServers\" is not a JSON object");
    }
    ObjectNode serverMap = servers == null ? root.putObject("mcpServers") : (ObjectNode) servers;
    List<String> others = new ArrayList<>(serverMap.propertyNames());
    others.remove(SERVER);

    ObjectNode wanted = registration.toJson();
    JsonNode current = serverMap.get(SERVER);
    if (current != null && current.isObject()) {
      keepUserEnv((ObjectNode) current, wanted, registration.ownedEnv());
    }
    if (wanted.equals(current)) {
      return new Plan(file, null, "unchanged", others);
    }
    String action = !exists ? "created" : current == null ? "added" : "updated";
    serverMap.set(SERVER, wanted);
    return new Plan(file, JsonText.pretty(root), action, others);
  }

  /**
   * Settings a user added to the taskq entry's env (say TASKQ_LEASE_SECONDS) survive a re-run.
   * TASKQ_DIR is init's to decide: 0.1.0 registered {@code ${CLAUDE_PROJECT_DIR:-.}/tasks}, which
   * Claude Code expands to {@code ./tasks} in the folder a session starts in.
   */
  private static void keepUserEnv(ObjectNode current, ObjectNode wanted, List<String> owned) {
    JsonNode env = current.get("env");
    if (env == null || !env.isObject()) {
      return;
    }
    ObjectNode merged = JsonText.MAPPER.createObjectNode();
    for (Map.Entry<String, JsonNode> e : env.properties()) {
      if (!owned.contains(e.getKey())) {
        merged.set(e.getKey(), e.getValue());
      }
    }
    JsonNode ours = wanted.get("env");
    if (ours != null) {
      for (Map.Entry<String, JsonNode> e : ours.properties()) {
        merged.set(e.getKey(), e.getValue());
      }
    }
    if (!merged.isEmpty()) {
      wanted.set("env", merged);
    }
  }

  private static TaskqException refuse(Path file, String problem) {
    return new TaskqException(
        ErrorCode.INVALID_ARGUMENT,
        file.getFileName().toString(),
        file + " " + problem,
        "fix or move that file, then run taskq init again; nothing was changed",
        null);
  }
}

package dev.taskq.cli;

import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskState;
import dev.taskq.core.Unreadable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Draws a {@link StatusView} for scripts. Keys are stable; absent values are left out rather than
 * null. Sections match the text view; {@code more} says how many rows each one left out.
 */
final class StatusJson {
  private StatusJson() {}

  static String render(StatusView v, JsonMapper json) {
    ObjectNode root = json.createObjectNode();
    root.put("queue", v.queue().dir().toString());
    root.put("at", v.at().toString());
    if (v.lane() != null) {
      root.put("lane", v.lane());
    }
    ObjectNode counts = root.putObject("counts");
    for (TaskState s : TaskState.values()) {
      counts.put(s.wire(), v.count(s));
    }
    counts.put("blocked", v.blocked());
    counts.put("corrupt", v.corrupt().size());
    if (v.pool() != null) {
      root.put("workers", v.pool());
    }
    ArrayNode warnings = root.putArray("warnings");
    v.warnings().forEach(warnings::add);
    root.putObject("more");
    section(root, "in_progress", v.inProgress(), v);
    section(root, "pending", v.claimable(), v);
    section(root, "blocked", v.waiting(), v);
    section(root, "failed", v.failed(), v);
    section(root, "completed", v.completed(), v);
    ArrayNode corrupt = root.putArray("corrupt");
    for (Unreadable c : v.corrupt()) {
      corrupt.addObject().put("path", c.where()).put("reason", c.reason());
    }
    return json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
  }

  private static void section(ObjectNode root, String name, StatusView.Section s, StatusView v) {
    ArrayNode rows = root.putArray(name);
    for (TaskRow r : s.rows()) {
      ObjectNode o = rows.addObject();
      row(o, r, v.failReasons().get(r.id()));
      if (v.limits().containsKey(r.id())) {
        o.put("usage_limit", v.limits().get(r.id()));
      }
    }
    ((ObjectNode) root.get("more")).put(name, s.more());
  }

  private static void row(ObjectNode o, TaskRow r, String reason) {
    o.put("id", r.id()).put("state", r.state().wire()).put("title", r.title());
    if (r.lane() != null) {
      o.put("lane", r.lane());
    }
    o.put("priority", r.priority());
    o.put("attempt", r.attempt()).put("max_attempts", r.maxAttempts());
    if (r.holder() != null) {
      o.put("holder", r.holder());
    }
    if (r.progress() != null) {
      o.putObject("progress")
          .put("done", r.progress().done())
          .put("total", r.progress().total())
          .put("percent", r.progress().percent());
    }
    if (r.claimEnded() != null) {
      o.put("claim_ended", r.claimEnded());
    }
    if (r.leaseLeft() != null) {
      o.put("lease_left_seconds", r.leaseLeft().getSeconds());
    }
    if (r.stuck() != null) {
      o.put("stuck", r.stuck());
    }
    if (!r.blockedBy().isEmpty()) {
      ArrayNode b = o.putArray("blocked_by");
      r.blockedBy().forEach(b::add);
    }
    if (reason != null) {
      o.put("reason", reason);
    }
  }
}

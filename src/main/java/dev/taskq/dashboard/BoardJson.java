package dev.taskq.dashboard;

import dev.taskq.core.TaskRow;
import dev.taskq.core.Unreadable;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The board as the page reads it. Keys follow {@code taskq status --json} (wire state names such as
 * {@code in_progress}); absent values are left out rather than null.
 */
final class BoardJson {
  private BoardJson() {}

  static ObjectNode render(BoardView b, String queue, List<String> lanes, JsonMapper json) {
    ObjectNode root = json.createObjectNode();
    root.put("version", b.version());
    root.put("queue", queue);
    if (b.lane() != null) {
      root.put("lane", b.lane());
    }
    ArrayNode ls = root.putArray("lanes");
    lanes.forEach(ls::add);
    ArrayNode warnings = root.putArray("warnings");
    b.warnings().forEach(warnings::add);
    root.put("capped", b.capped());
    ArrayNode columns = root.putArray("columns");
    for (Column c : Column.values()) {
      ObjectNode col = columns.addObject();
      col.put("key", c.wire());
      col.put("count", b.counts().getOrDefault(c, 0));
      col.put("more", b.more(c));
      ArrayNode cards = col.putArray("cards");
      for (TaskRow r : b.rows().get(c)) {
        card(cards.addObject(), r);
      }
    }
    ArrayNode corrupt = root.putArray("corrupt");
    for (Unreadable f : b.corrupt()) {
      corrupt.addObject().put("path", f.where()).put("reason", f.reason());
    }
    return root;
  }

  static void card(ObjectNode o, TaskRow r) {
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
    if (r.leaseLeft() != null) {
      o.put("lease_left_seconds", r.leaseLeft().getSeconds());
    }
    if (r.claimEnded() != null) {
      o.put("claim_ended", r.claimEnded());
    }
    if (!r.blockedBy().isEmpty()) {
      ArrayNode a = o.putArray("blocked_by");
      r.blockedBy().forEach(a::add);
    }
  }
}

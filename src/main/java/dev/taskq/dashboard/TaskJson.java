package dev.taskq.dashboard;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.Task;
import dev.taskq.core.TaskDetail;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One task in full for the task view. The claim token is never included: the page is a view, and
 * only the holder may act on the task with it.
 */
final class TaskJson {
  /** Log lines read to find a task's own; older lines of a long-lived queue are not searched. */
  static final int LOG_SCAN = 5_000;

  /** A task's own log lines shown, newest last. */
  static final int LOG_SHOWN = 200;

  private TaskJson() {}

  static ObjectNode render(TaskDetail d, List<String> logTail, Instant now, JsonMapper json) {
    Task t = d.task();
    ObjectNode o = json.createObjectNode();
    o.put("id", t.id()).put("title", t.title()).put("state", t.state().wire());
    if (t.lane() != null) {
      o.put("lane", t.lane());
    }
    o.put("priority", t.priority());
    o.put("attempt", t.attempt()).put("max_attempts", t.maxAttempts());
    o.put("created", t.created().toString());
    o.put("criterion", t.criterion());
    o.put("instructions", t.instructions());
    ArrayNode after = o.putArray("after");
    t.after().forEach(after::add);
    ArrayNode blocked = o.putArray("blocked_by");
    d.blockedBy().forEach(blocked::add);
    if (t.isClaimed()) {
      o.put("holder", t.lease().holder().label());
      o.put("lease_until", t.lease().until().toString());
      o.put("lease_left_seconds", t.leaseLeft(now).getSeconds());
    }
    if (d.claimEnded() != null) {
      // "lease expired" or "holder process gone": a view of in_progress until someone claims it
      o.put("claim_ended", d.claimEnded());
    }
    if (t.progress() != null) {
      o.putObject("progress")
          .put("done", t.progress().done())
          .put("total", t.progress().total())
          .put("percent", t.progress().percent());
    }
    if (t.outcome() != null) {
      o.put("outcome", t.outcome().wire());
    }
    if (t.finished() != null) {
      o.put("finished", t.finished().toString());
    }
    if (t.result() != null && !t.result().isBlank()) {
      o.put("result", t.result());
    }
    if (t.reason() != null && !t.reason().isBlank()) {
      o.put("reason", t.reason());
    }
    ArrayNode cps = o.putArray("checkpoints");
    for (Checkpoint c : d.checkpoints()) {
      ObjectNode n = cps.addObject();
      n.put("n", c.n()).put("attempt", c.attempt()).put("at", c.at().toString());
      if (c.holder() != null) {
        n.put("holder", c.holder());
      }
      n.put("summary", c.summary());
      if (c.progress() != null) {
        n.putObject("progress")
            .put("done", c.progress().done())
            .put("total", c.progress().total())
            .put("percent", c.progress().percent());
      }
      if (c.findings() != null && !c.findings().isBlank()) {
        n.put("findings", c.findings());
      }
      if (c.next() != null && !c.next().isBlank()) {
        n.put("next", c.next());
      }
    }
    ArrayNode log = o.putArray("log");
    linesAbout(t.id(), logTail).forEach(log::add);
    return o;
  }

  /**
   * The lines of {@code log.txt} about task {@code id}: each line is {@code <instant> <EVENT>: <id>
   * <details>}, so the id is the word after the first ": ".
   */
  static List<String> linesAbout(String id, List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      int colon = line.indexOf(": ");
      if (colon < 0) {
        continue;
      }
      int start = colon + 2;
      int end = start + id.length();
      if (line.startsWith(id, start) && (end == line.length() || line.charAt(end) == ' ')) {
        out.add(line);
      }
    }
    return out.size() <= LOG_SHOWN ? out : out.subList(out.size() - LOG_SHOWN, out.size());
  }
}

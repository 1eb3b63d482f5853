package dev.taskq.cli;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.Progress;
import dev.taskq.core.Task;
import dev.taskq.core.TaskDetail;
import dev.taskq.core.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code taskq show --json}: one task in full for scripts. Keys are stable and snake_case; absent
 * values are left out rather than null; the state is its wire name ({@code in_progress}). The claim
 * token is never shown (it is the holder's secret; a person uses {@code taskq release}).
 */
final class TaskJson {
  private TaskJson() {}

  static String render(TaskDetail d, Path queueDir, Instant now) {
    Task t = d.task();
    ObjectNode o = JsonText.MAPPER.createObjectNode();
    o.put("id", t.id());
    o.put("state", wireName(t.state()));
    o.put("title", t.title());
    o.put("criterion", t.criterion());
    if (!t.instructions().isEmpty()) {
      o.put("instructions", t.instructions());
    }
    if (t.lane() != null) {
      o.put("lane", t.lane());
    }
    o.put("priority", t.priority());
    strings(o, "after", t.after());
    strings(o, "blocked_by", d.blockedBy());
    if (d.stuck() != null) {
      o.put("stuck", d.stuck());
    }
    o.put("attempt", t.attempt()).put("max_attempts", t.maxAttempts());
    o.put("created", t.created().toString());
    if (t.isClaimed()) {
      o.put("holder", t.lease().holder().label());
      o.put("lease_until", t.lease().until().toString());
      Duration left = t.leaseLeft(now);
      o.put("lease_left_seconds", left.getSeconds());
      if (d.claimEnded() != null) {
        o.put("claim_ended", d.claimEnded());
      }
    }
    progress(o, t.progress());
    if (t.outcome() != null) {
      o.put("outcome", t.outcome().name().toLowerCase(Locale.ROOT));
    }
    if (t.finished() != null) {
      o.put("finished", t.finished().toString());
    }
    if (t.reason() != null) {
      o.put("reason", t.reason());
    }
    if (t.result() != null) {
      o.put("result", t.result());
    }
    if (queueDir != null) {
      o.put("file", queueDir.resolve(t.state().folder()).resolve(t.id() + ".md").toString());
    }
    ArrayNode cps = o.putArray("checkpoints");
    for (Checkpoint c : d.checkpoints()) {
      ObjectNode n = cps.addObject();
      n.put("n", c.n()).put("attempt", c.attempt()).put("at", c.at().toString());
      if (c.holder() != null) {
        n.put("holder", c.holder());
      }
      n.put("summary", c.summary());
      progress(n, c.progress());
      if (c.findings() != null) {
        n.put("findings", c.findings());
      }
      if (c.next() != null) {
        n.put("next", c.next());
      }
    }
    return JsonText.pretty(o);
  }

  /** The state as JSON names it everywhere: pending, in_progress, completed, failed. */
  static String wireName(TaskState s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  private static void strings(ObjectNode o, String key, java.util.List<String> values) {
    if (!values.isEmpty()) {
      ArrayNode a = o.putArray(key);
      values.forEach(a::add);
    }
  }

  private static void progress(ObjectNode o, Progress p) {
    if (p != null) {
      o.putObject("progress")
          .put("done", p.done())
          .put("total", p.total())
          .put("percent", p.percent());
    }
  }
}

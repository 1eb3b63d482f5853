package dev.taskq.dashboard;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The worker pool as the page's panel shows it: {@code {"running": bool, "paused": {"reason",
 * "until"}?, "workers": [{"name", "state", "task"?, "turns"?, "cost_usd"?, "since"?}]}}. A seam for
 * {@code taskq workers status --json}, which the workers' supervisor provides.
 */
interface WorkersView {
  /** No pool: the panel stays hidden. */
  WorkersView NONE = json -> json.createObjectNode().put("running", false);

  ObjectNode read(JsonMapper json);
}

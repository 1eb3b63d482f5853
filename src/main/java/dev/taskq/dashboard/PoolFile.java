package dev.taskq.dashboard;

import dev.taskq.core.Holder;
import dev.taskq.store.ProcessIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The worker pool as its supervisor last wrote it to {@code tasks/.taskq/workers/state.json} (the
 * file {@code taskq workers status} reads; written whole by rename, so never half-read). A pool
 * counts as running only while the supervisor that wrote the file is alive (its pid and process
 * start both match): a killed supervisor leaves a file that still says "running".
 */
final class PoolFile {
  private final Path file;

  PoolFile(Path queueDir) {
    this.file = queueDir.resolve(".taskq").resolve("workers").resolve("state.json");
  }

  /** When the file last changed (0 when there is none): the feed's cue to re-read the panel. */
  long stamp() {
    try {
      return Files.getLastModifiedTime(file).toMillis() ^ Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * The panel's JSON: {@code {"running", "state", "paused": {"reason", "until"}?, "workers":
   * [{"name", "state", "task"?, "turns", "cost_usd", "since"?}]}}.
   */
  ObjectNode read(JsonMapper json) {
    ObjectNode out = json.createObjectNode();
    JsonNode s;
    try {
      s = json.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      return out.put("running", false);
    } catch (IOException | RuntimeException e) {
      return out.put("running", false); // unreadable says as much as absent: no pool to show
    }
    String state = s.path("state").asString("stopped");
    boolean alive =
        s.path("pid").asLong(0) > 0
            && ProcessIdentity.isAlive(
                new Holder(
                    "",
                    ProcessIdentity.host(),
                    s.path("pid").asLong(),
                    s.path("pid_start").asLong()));
    boolean running = alive && !state.equals("stopped");
    out.put("running", running);
    out.put("state", alive ? state : "stopped");
    if (running && state.equals("paused")) {
      ObjectNode p = out.putObject("paused");
      p.put("reason", s.path("reason").asString("paused"));
      if (s.hasNonNull("paused_until")) {
        p.put("until", s.path("paused_until").asString());
      }
    }
    ArrayNode ws = out.putArray("workers");
    for (JsonNode w : s.path("workers")) {
      ObjectNode o = ws.addObject();
      o.put("name", w.path("name").asString(""));
      o.put("state", alive ? w.path("state").asString("") : "stopped");
      if (w.hasNonNull("task")) {
        o.put("task", w.path("task").asString());
      }
      o.put("turns", w.path("turns").asInt(0));
      o.put("cost_usd", w.path("cost_usd").asDouble(0));
      if (w.hasNonNull("run_started")) {
        o.put("since", w.path("run_started").asString());
      }
    }
    return out;
  }
}

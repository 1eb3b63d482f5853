package dev.taskq.hooks;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.Progress;
import dev.taskq.core.Task;
import dev.taskq.core.TaskDetail;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A claim of this session as the hooks need it: what SessionStart prints back and what Stop judges.
 * Read from the store, or from the {@code claims.json} the session's server keeps (so Stop and
 * SessionStart after /compact or /clear need not open the store).
 *
 * @param claimEnded why the claim has ended while nobody took the task since, or null while live
 * @param interrupted held by a previous process of this session, now gone (a resumed session)
 * @param latest the latest checkpoint, or null
 */
public record HeldClaim(
    String id,
    String title,
    String criterion,
    String token,
    int attempt,
    int maxAttempts,
    Instant leaseUntil,
    Instant progressAt,
    String holderSession,
    String claimEnded,
    boolean interrupted,
    int checkpoints,
    Checkpoint latest) {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** {@code d} (an in-progress task with its claim) and its latest checkpoint. */
  public static HeldClaim of(TaskDetail d, boolean interrupted) {
    Task t = d.task();
    Checkpoint latest =
        d.checkpoints().isEmpty() ? null : d.checkpoints().get(d.checkpoints().size() - 1);
    return new HeldClaim(
        t.id(),
        t.title(),
        t.criterion(),
        t.lease().token(),
        t.attempt(),
        t.maxAttempts(),
        t.lease().until(),
        t.lease().progressAt(),
        t.lease().holder().session(),
        d.claimEnded(),
        interrupted,
        t.checkpoints(),
        latest);
  }

  /**
   * Held by this session's server, but its lease ran out while the session was quiet; nobody took
   * the task since, and the server brings it back as soon as the session works again.
   */
  public boolean lapsed() {
    return !interrupted && claimEnded != null;
  }

  /** The same claim as held by a process of this session that died (a resumed session's). */
  HeldClaim interruptedClaim() {
    return new HeldClaim(
        id,
        title,
        criterion,
        token,
        attempt,
        maxAttempts,
        leaseUntil,
        progressAt,
        holderSession,
        "holder process gone",
        true,
        checkpoints,
        latest);
  }

  /** A claim's state as far as saving goes: a new checkpoint or a new claim changes it. */
  String savedState() {
    return id + " " + attempt + " " + checkpoints + " " + token;
  }

  // ------------------------------------------------------------------ claims.json

  /** The file the session's server writes while it holds claims. */
  public static String toJson(List<HeldClaim> claims) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode a = root.putArray("claims");
    for (HeldClaim c : claims) {
      ObjectNode o = a.addObject();
      o.put("id", c.id).put("title", c.title).put("criterion", c.criterion).put("token", c.token);
      o.put("attempt", c.attempt).put("max_attempts", c.maxAttempts);
      o.put("lease_until", str(c.leaseUntil)).put("progress_at", str(c.progressAt));
      o.put("holder_session", c.holderSession).put("claim_ended", c.claimEnded);
      o.put("checkpoints", c.checkpoints);
      if (c.latest != null) {
        Checkpoint k = c.latest;
        ObjectNode l = o.putObject("latest");
        l.put("n", k.n()).put("attempt", k.attempt()).put("at", str(k.at()));
        l.put("holder", k.holder()).put("summary", k.summary());
        l.put("progress", k.progress() == null ? null : k.progress().toString());
        l.put("findings", k.findings()).put("next", k.next());
      }
    }
    return JSON.writeValueAsString(root) + "\n";
  }

  /** The claims in a {@code claims.json}; throws on a file that is not one. */
  static List<HeldClaim> fromJson(String text) {
    JsonNode root = JSON.readTree(text);
    List<HeldClaim> out = new ArrayList<>();
    for (JsonNode o : root.path("claims")) {
      JsonNode l = o.get("latest");
      Checkpoint latest =
          l == null || l.isNull()
              ? null
              : new Checkpoint(
                  o.path("id").asString(),
                  l.path("n").asInt(),
                  l.path("attempt").asInt(),
                  instant(l.get("at")),
                  text(l.get("holder")),
                  text(l.get("summary")),
                  Progress.parse(text(l.get("progress"))),
                  text(l.get("findings")),
                  text(l.get("next")));
      out.add(
          new HeldClaim(
              o.path("id").asString(),
              text(o.get("title")),
              text(o.get("criterion")),
              text(o.get("token")),
              o.path("attempt").asInt(),
              o.path("max_attempts").asInt(),
              instant(o.get("lease_until")),
              instant(o.get("progress_at")),
              text(o.get("holder_session")),
              text(o.get("claim_ended")),
              false,
              o.path("checkpoints").asInt(),
              latest));
    }
    return out;
  }

  private static String str(Instant i) {
    return i == null ? null : i.toString();
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asString();
  }

  private static Instant instant(JsonNode n) {
    String s = text(n);
    return s == null ? null : Instant.parse(s);
  }
}

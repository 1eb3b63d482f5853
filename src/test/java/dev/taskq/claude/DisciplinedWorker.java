package dev.taskq.claude;

import dev.taskq.claude.Conversation.ToolCall;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted model that works a taskq queue the way CLAUDE.md.template asks: loads the taskq tools
 * through ToolSearch when Claude Code defers them, then claim_next → (Read × n) → write_checkpoint
 * → complete_task, until claim_next says nothing is claimable; then it ends the turn with a short
 * text. A resumed task (a work packet with a "Resume" section) is checkpointed from where the
 * earlier attempt stopped.
 *
 * <p>Stateless: every step is derived from the conversation, so retries after faults and several
 * sessions at once need nothing else. Options return a new worker.
 */
public final class DisciplinedWorker implements Brain {
  /** Text the worker ends with when the queue has nothing claimable for it. */
  public static final String DRAINED = "Queue drained: nothing left to claim.";

  private static final Pattern ID = Pattern.compile("(?m)^id: (\\S+)$");
  private static final Pattern TOKEN = Pattern.compile("(?m)^token: (\\S+)$");
  private static final Pattern LATEST =
      Pattern.compile("Latest checkpoint #(\\d+) \\([^)]*?(?:progress (\\d+)/(\\d+))?\\):\\n(.*)");
  private static final Pattern NEXT = Pattern.compile("Next \\(from that attempt\\):\\n(.*)");

  // Options. Set only by the option methods on a fresh copy, before the worker is handed to a
  // ScriptedModel (whose threads start later), so the server threads see them.
  private String server = "taskq";
  private String lane;
  private int reads;
  private Path readFile;
  private int checkpoints = 1;
  private boolean stopAfterClaim;
  private Duration stallAfterCheckpoint = Duration.ZERO;
  private Duration thinkTime = Duration.ZERO;
  private int maxTasks = Integer.MAX_VALUE;

  /** A worker for the MCP server named "taskq", any lane, one checkpoint per task. */
  public DisciplinedWorker() {}

  private DisciplinedWorker copy() {
    DisciplinedWorker w = new DisciplinedWorker();
    w.server = server;
    w.lane = lane;
    w.reads = reads;
    w.readFile = readFile;
    w.checkpoints = checkpoints;
    w.stopAfterClaim = stopAfterClaim;
    w.stallAfterCheckpoint = stallAfterCheckpoint;
    w.thinkTime = thinkTime;
    w.maxTasks = maxTasks;
    return w;
  }

  /** The MCP server's name in the config (tools are {@code mcp__<server>__claim_next}, …). */
  public DisciplinedWorker server(String name) {
    DisciplinedWorker w = copy();
    w.server = name;
    return w;
  }

  /** Claim only tasks of this lane. */
  public DisciplinedWorker lane(String lane) {
    DisciplinedWorker w = copy();
    w.lane = lane;
    return w;
  }

  /** Make {@code count} Read calls of {@code file} (absolute) before each checkpoint. */
  public DisciplinedWorker readsBetweenCheckpoints(int count, Path file) {
    DisciplinedWorker w = copy();
    w.reads = count;
    w.readFile = file.toAbsolutePath();
    return w;
  }

  /** Write this many checkpoints per task before completing it. */
  public DisciplinedWorker checkpointsPerTask(int count) {
    DisciplinedWorker w = copy();
    w.checkpoints = count;
    return w;
  }

  /**
   * Hold the claim: end the turn right after a successful claim (and after any checkpoint), never
   * completing. A Stop hook that blocks still gets its checkpoint.
   */
  public DisciplinedWorker stopAfterClaim() {
    DisciplinedWorker w = copy();
    w.stopAfterClaim = true;
    return w;
  }

  /**
   * After a task's first checkpoint, hold the next answer for up to {@code stall} (the HTTP reply
   * waits), so the session sits mid-task holding its claim: for kill and resume tests.
   */
  public DisciplinedWorker stallAfterCheckpoint(Duration stall) {
    DisciplinedWorker w = copy();
    w.stallAfterCheckpoint = stall;
    return w;
  }

  /**
   * Wait this long before every answer, like a model that thinks: with many Read calls it makes a
   * session that stays busy past a lease (hook heartbeat tests).
   */
  public DisciplinedWorker thinkTime(Duration pause) {
    DisciplinedWorker w = copy();
    w.thinkTime = pause;
    return w;
  }

  /** Stop after completing this many tasks (like the work prompt's max_tasks). */
  public DisciplinedWorker maxTasks(int count) {
    DisciplinedWorker w = copy();
    w.maxTasks = count;
    return w;
  }

  public String tool(String name) {
    return "mcp__" + server + "__" + name;
  }

  @Override
  public Reply next(Conversation c) {
    sleep(thinkTime);
    List<ToolCall> calls = c.toolCalls();
    if (stopHookBlocked(c)) {
      Optional<Packet> held = heldPacket(calls);
      return held.isPresent()
          ? checkpoint(held.get(), checkpointsSinceClaim(calls) + 1, "the Stop hook asked")
          : Reply.text("Nothing to save: I hold no task.");
    }
    if (calls.isEmpty()) {
      return c.hasTool(tool("claim_next")) ? claim() : loadTools();
    }
    ToolCall last = calls.get(calls.size() - 1);
    String name = last.name();
    if (name.equals("ToolSearch")) {
      return claim();
    }
    if (name.equals(tool("claim_next"))) {
      if (last.isError() || last.result() == null) {
        return Reply.text("claim_next failed: " + last.result());
      }
      if (last.result().startsWith("Nothing to claim")) {
        return Reply.text(DRAINED + " Completed " + completed(calls) + " task(s).");
      }
      Packet p = Packet.parse(last.result());
      if (stopAfterClaim) {
        return Reply.text("Claimed " + p.id + "; stopping here without completing it.");
      }
      return work(p, calls);
    }
    Optional<Packet> current = currentPacket(calls);
    if (current.isEmpty()) {
      return Reply.text("Lost track of the task after " + name + ": " + last.result());
    }
    Packet p = current.get();
    if (last.isError() && last.result() != null && last.result().startsWith("FENCED")) {
      return claim();
    }
    if (name.equals("Read")) {
      return work(p, calls);
    }
    if (name.equals(tool("write_checkpoint"))) {
      if (last.isError()) {
        return Reply.text("write_checkpoint failed: " + last.result());
      }
      if (stopAfterClaim) {
        return Reply.text("Checkpoint saved for " + p.id + "; stopping here, still holding it.");
      }
      if (stallAfterCheckpoint.compareTo(Duration.ZERO) > 0 && checkpointsSinceClaim(calls) == 1) {
        sleep(stallAfterCheckpoint);
      }
      return work(p, calls);
    }
    if (name.equals(tool("complete_task"))) {
      if (last.isError()) {
        return Reply.text("complete_task failed: " + last.result());
      }
      if (completed(calls) >= maxTasks) {
        return Reply.text("Completed " + completed(calls) + " task(s); max_tasks reached.");
      }
      return claim();
    }
    return Reply.text("Unexpected tool result from " + name + ": " + last.result());
  }

  /** The newest message (system messages aside) is the feedback of a Stop hook that blocked. */
  private static boolean stopHookBlocked(Conversation c) {
    List<tools.jackson.databind.JsonNode> ms = c.messages();
    for (int i = ms.size() - 1; i >= 0; i--) {
      String role = ms.get(i).path("role").asString("");
      if (role.equals("system")) {
        continue;
      }
      return role.equals("user")
          && Conversation.texts(ms.get(i).path("content")).startsWith("Stop hook feedback");
    }
    return false;
  }

  /** The task claimed last, unless it was completed since. */
  private Optional<Packet> heldPacket(List<ToolCall> calls) {
    for (int i = calls.size() - 1; i >= 0; i--) {
      ToolCall t = calls.get(i);
      if (t.name().equals(tool("complete_task")) && !t.isError()) {
        return Optional.empty();
      }
      if (t.name().equals(tool("claim_next"))
          && t.result() != null
          && t.result().startsWith("Claimed task")) {
        return Optional.of(Packet.parse(t.result()));
      }
    }
    return Optional.empty();
  }

  private Reply loadTools() {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put(
        "query",
        "select:"
            + tool("claim_next")
            + ","
            + tool("write_checkpoint")
            + ","
            + tool("complete_task"));
    input.put("max_results", 5);
    return Reply.tool("ToolSearch", input);
  }

  private Reply claim() {
    Map<String, Object> input = new LinkedHashMap<>();
    if (lane != null) {
      input.put("lane", lane);
    }
    return Reply.tool(tool("claim_next"), input);
  }

  /** The next step on a claimed task: reads, then a checkpoint, then (after enough) completion. */
  private Reply work(Packet p, List<ToolCall> calls) {
    int done = checkpointsSinceClaim(calls);
    if (done < checkpoints) {
      if (readsSinceLastStep(calls) < reads) {
        return Reply.tool("Read", Map.of("file_path", readFile.toString()));
      }
      return checkpoint(p, done + 1, null);
    }
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("id", p.id);
    input.put("token", p.token);
    input.put("outcome", "done");
    input.put("result", "Done: " + p.id + " meets its criterion (scripted worker).");
    return Reply.tool(tool("complete_task"), input);
  }

  private Reply checkpoint(Packet p, int n, String why) {
    long base = p.resumedDone;
    long total = Math.max(p.resumedTotal, base + Math.max(checkpoints, n));
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("id", p.id);
    input.put("token", p.token);
    String summary =
        p.resumedFrom > 0
            ? "resumed from checkpoint #" + p.resumedFrom + " (" + p.resumedNext + "); step " + n
            : "step " + n + " of " + checkpoints;
    input.put("summary", why == null ? summary : summary + " (" + why + ")");
    input.put("progress", Map.of("done", base + n, "total", total));
    input.put("next", "step " + (n + 1));
    return Reply.tool(tool("write_checkpoint"), input);
  }

  private static void sleep(Duration d) {
    if (d.isZero() || d.isNegative()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Consecutive Read calls at the end (since the claim or the last checkpoint). */
  private static int readsSinceLastStep(List<ToolCall> calls) {
    int n = 0;
    for (int i = calls.size() - 1; i >= 0 && calls.get(i).name().equals("Read"); i--) {
      n++;
    }
    return n;
  }

  private int checkpointsSinceClaim(List<ToolCall> calls) {
    int n = 0;
    for (int i = calls.size() - 1; i >= 0; i--) {
      String name = calls.get(i).name();
      if (name.equals(tool("claim_next"))) {
        break;
      }
      if (name.equals(tool("write_checkpoint")) && !calls.get(i).isError()) {
        n++;
      }
    }
    return n;
  }

  private int completed(List<ToolCall> calls) {
    return (int)
        calls.stream().filter(t -> t.name().equals(tool("complete_task")) && !t.isError()).count();
  }

  private Optional<Packet> currentPacket(List<ToolCall> calls) {
    for (int i = calls.size() - 1; i >= 0; i--) {
      ToolCall t = calls.get(i);
      if (t.name().equals(tool("claim_next"))
          && t.result() != null
          && t.result().startsWith("Claimed task")) {
        return Optional.of(Packet.parse(t.result()));
      }
    }
    return Optional.empty();
  }

  /** What the worker needs from a claim_next work packet. */
  private record Packet(
      String id,
      String token,
      int resumedFrom,
      long resumedDone,
      long resumedTotal,
      String resumedNext) {
    static Packet parse(String text) {
      String id = group(ID, text, 1, "");
      String token = group(TOKEN, text, 1, "");
      if (id.isEmpty() || token.isEmpty()) {
        throw new IllegalStateException("work packet without id or token: " + text);
      }
      Matcher m = LATEST.matcher(text);
      if (!m.find()) {
        return new Packet(id, token, 0, 0, 0, "");
      }
      long done = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
      long total = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
      return new Packet(
          id, token, Integer.parseInt(m.group(1)), done, total, group(NEXT, text, 1, "-"));
    }

    private static String group(Pattern p, String text, int g, String fallback) {
      Matcher m = p.matcher(text);
      return m.find() ? m.group(g).strip() : fallback;
    }
  }
}

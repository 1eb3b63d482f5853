package dev.taskq.claude;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The scripted worker's next step for conversations shaped as Claude Code sends them. */
class DisciplinedWorkerTest {
  private static final String CLAIM = "mcp__taskq__claim_next";
  private static final String CHECKPOINT = "mcp__taskq__write_checkpoint";
  private static final String COMPLETE = "mcp__taskq__complete_task";
  private static final String PACKET =
      """
      Claimed task db-audit (attempt 1 of 3).
      id: db-audit
      token: tok123
      lease_until: 2026-12-02T06:30:00Z (write_checkpoint and append_log with the token renew it)
      title: Find every N+1 query

      ## Success criterion
      every N+1 query listed

      Next step: do the work.""";
  private static final String RESUMED =
      PACKET.replace("attempt 1 of 3", "attempt 2 of 3")
          + """

          ## Resume: an earlier attempt stopped before finishing
          Latest checkpoint #2 (attempt 1, 2026-12-02T06:00:00Z, progress 60/180):
          scanned models/ and queries/
          Next (from that attempt):
          src/db/reports
          """;

  private final DisciplinedWorker worker = new DisciplinedWorker();

  @Test
  void it_loads_the_deferred_taskq_tools_first_then_claims_in_its_lane() {
    Reply first = new Talk().next(worker.lane("db"));
    assertThat(call(first).name()).isEqualTo("ToolSearch");
    assertThat(call(first).input().get("query"))
        .isEqualTo("select:" + CLAIM + "," + CHECKPOINT + "," + COMPLETE);

    Reply second = new Talk().loaded().next(worker.lane("db"));
    assertThat(call(second).name()).isEqualTo(CLAIM);
    assertThat(call(second).input()).isEqualTo(Map.of("lane", "db"));
  }

  @Test
  void it_claims_checkpoints_completes_and_ends_when_nothing_is_claimable() {
    Talk talk = new Talk().loaded().step(CLAIM, PACKET, false);
    Reply.ToolUse checkpoint = call(talk.next(worker));
    assertThat(checkpoint.name()).isEqualTo(CHECKPOINT);
    assertThat(checkpoint.input())
        .containsEntry("id", "db-audit")
        .containsEntry("token", "tok123")
        .containsEntry("progress", Map.of("done", 1L, "total", 1L));

    talk.step(CHECKPOINT, "Checkpoint #1 saved.", false);
    Reply.ToolUse complete = call(talk.next(worker));
    assertThat(complete.name()).isEqualTo(COMPLETE);
    assertThat(complete.input()).containsEntry("outcome", "done").containsKey("result");

    talk.step(COMPLETE, "Completed db-audit.", false);
    assertThat(call(talk.next(worker)).name()).isEqualTo(CLAIM);

    talk.step(CLAIM, "Nothing to claim: the queue is empty.", false);
    assertThat(text(talk.next(worker))).startsWith(DisciplinedWorker.DRAINED + " Completed 1");
  }

  @Test
  void it_reads_as_often_as_asked_before_each_checkpoint() {
    DisciplinedWorker reader = worker.readsBetweenCheckpoints(2, Path.of("/src/a.txt"));
    Talk talk = new Talk().loaded().step(CLAIM, PACKET, false);
    assertThat(call(talk.next(reader)).input()).isEqualTo(Map.of("file_path", "/src/a.txt"));
    talk.step("Read", "1\tx", false);
    assertThat(call(talk.next(reader)).name()).isEqualTo("Read");
    talk.step("Read", "1\tx", false);
    assertThat(call(talk.next(reader)).name()).isEqualTo(CHECKPOINT);
  }

  @Test
  void a_resumed_task_is_checkpointed_from_where_the_earlier_attempt_stopped() {
    Talk talk = new Talk().loaded().step(CLAIM, RESUMED, false);
    Reply.ToolUse checkpoint = call(talk.next(worker));
    assertThat((String) checkpoint.input().get("summary"))
        .startsWith("resumed from checkpoint #2 (src/db/reports)");
    assertThat(checkpoint.input()).containsEntry("progress", Map.of("done", 61L, "total", 180L));
  }

  @Test
  void a_worker_that_holds_its_claim_checkpoints_when_a_stop_hook_blocks() {
    DisciplinedWorker holder = worker.stopAfterClaim();
    Talk talk = new Talk().loaded().step(CLAIM, PACKET, false);
    assertThat(text(talk.next(holder))).startsWith("Claimed db-audit; stopping here");
    talk.assistantText("Claimed db-audit; stopping here.")
        .user("Stop hook feedback:\ncheckpoint first")
        .system("Stop hook blocking error from command: \"taskq hook stop\": checkpoint first");
    Reply.ToolUse checkpoint = call(talk.next(holder));
    assertThat(checkpoint.name()).isEqualTo(CHECKPOINT);
    assertThat((String) checkpoint.input().get("summary")).endsWith("(the Stop hook asked)");
    talk.step(CHECKPOINT, "Checkpoint #1 saved.", false);
    assertThat(text(talk.next(holder))).startsWith("Checkpoint saved for db-audit; stopping here");
  }

  @Test
  void a_fenced_answer_sends_it_back_to_claim_next() {
    Talk talk =
        new Talk()
            .loaded()
            .step(CLAIM, PACKET, false)
            .step(CHECKPOINT, "FENCED: the claim was taken over; call claim_next", true);
    assertThat(call(talk.next(worker)).name()).isEqualTo(CLAIM);
  }

  private static Reply.ToolUse call(Reply r) {
    assertThat(r.blocks()).hasSize(1).first().isInstanceOf(Reply.ToolUse.class);
    return (Reply.ToolUse) r.blocks().get(0);
  }

  private static String text(Reply r) {
    assertThat(r.blocks()).hasSize(1).first().isInstanceOf(Reply.Text.class);
    return ((Reply.Text) r.blocks().get(0)).text();
  }

  /** A conversation built step by step, as the Messages API request Claude Code sends. */
  private static final class Talk {
    private final ObjectNode request = ScriptedModel.JSON.createObjectNode();
    private final ArrayNode messages = request.putArray("messages");
    private final ArrayNode tools = request.putArray("tools");
    private final List<String> ids = new ArrayList<>();

    Talk() {
      request.put("model", "claude-test");
      tools.addObject().put("name", "ToolSearch");
      user("work the queue");
    }

    Talk loaded() {
      for (String t : List.of(CLAIM, CHECKPOINT, COMPLETE)) {
        tools.addObject().put("name", t).put("defer_loading", true);
      }
      return this;
    }

    Talk user(String text) {
      messages.addObject().put("role", "user").put("content", text);
      return this;
    }

    Talk system(String text) {
      messages.addObject().put("role", "system").put("content", text);
      return this;
    }

    Talk assistantText(String text) {
      ObjectNode m = messages.addObject().put("role", "assistant");
      m.putArray("content").addObject().put("type", "text").put("text", text);
      return this;
    }

    Talk step(String tool, String result, boolean isError) {
      String id = "toolu_" + ids.size();
      ids.add(id);
      ObjectNode a = messages.addObject().put("role", "assistant");
      a.putArray("content")
          .addObject()
          .put("type", "tool_use")
          .put("id", id)
          .put("name", tool)
          .putObject("input");
      ObjectNode u = messages.addObject().put("role", "user");
      ObjectNode r =
          u.putArray("content").addObject().put("type", "tool_result").put("tool_use_id", id);
      if (isError) {
        r.put("is_error", true);
      }
      r.putArray("content").addObject().put("type", "text").put("text", result);
      return this;
    }

    Reply next(DisciplinedWorker w) {
      return w.next(new Conversation(request.deepCopy(), "session-1"));
    }
  }
}

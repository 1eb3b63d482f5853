package dev.taskq.mcp;

import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;

/**
 * The six tools as the model sees them. Claude Code first shows the model only names and the
 * opening words, so each description starts with what the tool does to the task queue. The whole
 * tools/list answer is paid for in every session's context: keep it under 6,000 bytes (a test
 * checks).
 */
final class ToolTable {
  private ToolTable() {}

  static List<ToolRow> rows(QueueTools tools, WorkersTool workers) {
    return List.of(
        new ToolRow(
            "enqueue_task",
            "Add tasks to the taskq task queue, shared by Claude Code sessions, to do later or in"
                + " parallel. Pass 1-100 tasks in one call (all or none); split a big job into"
                + " independent tasks, each with a checkable criterion and a lane (e.g. frontend,"
                + " api, db). `after` lists ids, possibly from the same call, that must complete"
                + " first. Returns the ids.",
            """
            {"type":"object","properties":{"tasks":{"type":"array","minItems":1,"maxItems":100,
            "items":{"type":"object","properties":{
            "title":{"type":"string","maxLength":200,"description":"one line"},
            "criterion":{"type":"string","maxLength":4000,"description":"how to tell it is done"},
            "instructions":{"type":"string","maxLength":64000},
            "id":{"type":"string","pattern":"^[a-z0-9_-][a-z0-9._-]{0,79}$",
              "description":"default: generated"},
            "lane":{"type":"string","maxLength":40},
            "priority":{"type":"integer","minimum":-1000,"maximum":1000,
              "description":"higher first; default 0"},
            "after":{"type":"array","maxItems":50,"items":{"type":"string"}},
            "max_attempts":{"type":"integer","minimum":1,"maximum":20,"description":"default 3"},
            "dedupe_key":{"type":"string","maxLength":200,
              "description":"enqueueing the same key again returns the existing task"}},
            "required":["title","criterion"],"additionalProperties":false}}},
            "required":["tasks"],"additionalProperties":false}""",
            hints(false, false),
            tools::enqueue),
        new ToolRow(
            "claim_next",
            "Claim the next task from the taskq task queue: highest priority, then oldest, whose"
                + " `after` tasks are done. Returns a work packet: id, token, success criterion,"
                + " instructions, lease expiry and, if an earlier attempt stopped, its last"
                + " checkpoint to resume from. Keep the token for write_checkpoint, append_log and"
                + " complete_task. If nothing is claimable it says why and whether to wait.",
            """
            {"type":"object","properties":{"lane":{"type":"string","maxLength":40,
            "description":"only tasks of this lane"}},"additionalProperties":false}""",
            hints(null, false),
            tools::claimNext),
        new ToolRow(
            "write_checkpoint",
            "Save a checkpoint of progress on a claimed taskq task, so a later attempt can resume"
                + " if this session stops; also renews the lease. Call about every 10 minutes or 20"
                + " files: summary of what is done, progress, findings so far, next step.",
            """
            {"type":"object","properties":{"id":{"type":"string"},"token":{"type":"string"},
            "summary":{"type":"string","maxLength":16000},
            "progress":{"type":"object","properties":{"done":{"type":"integer","minimum":0},
              "total":{"type":"integer","minimum":1}},"required":["done","total"],
              "additionalProperties":false},
            "findings":{"type":"string","maxLength":32000},
            "next":{"type":"string","maxLength":4000,"description":"where to resume"}},
            "required":["id","token","summary"],"additionalProperties":false}""",
            hints(false, false),
            tools::writeCheckpoint),
        new ToolRow(
            "complete_task",
            "Finish a claimed taskq task. outcome done: the criterion is met, result says how;"
                + " failed: give up, result says why; released: hand it back unfinished, no attempt"
                + " used, checkpoints kept. Then call claim_next for more work.",
            """
            {"type":"object","properties":{"id":{"type":"string"},"token":{"type":"string"},
            "outcome":{"type":"string","enum":["done","failed","released"]},
            "result":{"type":"string","maxLength":64000,
              "description":"required for done and failed"}},
            "required":["id","token","outcome"],"additionalProperties":false}""",
            hints(null, true),
            tools::complete),
        new ToolRow(
            "append_log",
            "Append one line to the taskq task queue log (a decision, a blocker, a note for"
                + " people). With id and token it is logged against your claimed task and renews"
                + " its lease.",
            """
            {"type":"object","properties":{"message":{"type":"string","maxLength":2000},
            "id":{"type":"string"},"token":{"type":"string"}},
            "required":["message"],"additionalProperties":false}""",
            hints(false, false),
            tools::appendLog),
        new ToolRow(
            "start_workers",
            "Start background workers on the taskq task queue: headless Claude Code sessions that"
                + " claim, do and complete its tasks while you keep working, also after this"
                + " session ends. Returns at once; a second call raises the number. Then run"
                + " `taskq wait` with run_in_background to be told when the tasks are done.",
            """
            {"type":"object","properties":{"workers":{"type":"integer","minimum":1,"maximum":8,
            "description":"at most this many at once; default 3"},
            "lane":{"type":"string","maxLength":40,"description":"only tasks of this lane"}},
            "additionalProperties":false}""",
            new ToolAnnotations(null, false, false, true, true, null),
            workers::start));
  }

  /**
   * None of the tools only reads, and all touch only the local queue folder.
   *
   * @param destructive false for tools that only add (files, lines); null (the client's default,
   *     true) for those that change a task's state
   */
  private static ToolAnnotations hints(Boolean destructive, boolean idempotent) {
    return new ToolAnnotations(null, false, destructive, idempotent, false, null);
  }
}

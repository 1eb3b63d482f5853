package dev.taskq.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.store.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every tool's happy path and each error code, over the wire, against the real file store. */
class ToolsTest {
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T13:00:00Z"));
  WireClient client;

  @BeforeEach
  void start() throws Exception {
    client = WireClient.start(Map.of("TASKQ_DIR", dir.resolve("tasks").toString()), dir, clock);
    client.initialize();
  }

  @AfterEach
  void stop() {
    client.close();
  }

  static Map<String, Object> task(String id, String title, Object... more) {
    Map<String, Object> t = new java.util.LinkedHashMap<>();
    t.put("id", id);
    t.put("title", title);
    t.put("criterion", "criterion of " + id);
    for (int i = 0; i < more.length; i += 2) {
      t.put((String) more[i], more[i + 1]);
    }
    return t;
  }

  String enqueue(Map<String, Object>... tasks) {
    return client.tool("enqueue_task", Map.of("tasks", List.of(tasks)));
  }

  static String token(String packet) {
    Matcher m = Pattern.compile("(?m)^token: (\\S+)$").matcher(packet);
    assertThat(m.find()).as(packet).isTrue();
    return m.group(1);
  }

  @Test
  void enqueue_adds_a_batch_with_dependencies_and_lists_the_ids() {
    String reply =
        enqueue(
            task("users-audit", "Audit users", "lane", "db"),
            task("db-audit", "Audit N+1 queries", "after", List.of("users-audit")));
    assertThat(reply)
        .startsWith("Enqueued 2 tasks:")
        .contains("- users-audit — Audit users [lane db]")
        .contains("- db-audit — Audit N+1 queries [after users-audit]")
        .contains("Next step:");
    assertThat(dir.resolve("tasks/pending/db-audit.md")).exists();
  }

  @Test
  void enqueue_with_a_known_dedupe_key_returns_the_existing_task() {
    enqueue(task("a", "A", "dedupe_key", "k1"));
    String again = enqueue(Map.of("title", "A", "criterion", "criterion of a", "dedupe_key", "k1"));
    assertThat(again).startsWith("Enqueued 0 tasks; 1 already existed").contains("- a — A");
  }

  @Test
  void one_tasks_fields_at_the_top_level_enqueue_that_one_task() {
    String reply =
        client.tool(
            "enqueue_task",
            Map.of("id", "flat", "title", "Flat", "criterion", "it is there", "lane", "db"));

    assertThat(reply).startsWith("Enqueued 1 task").contains("- flat — Flat");
    assertThat(dir.resolve("tasks/pending/flat.md")).exists();
  }

  @Test
  void tasks_and_top_level_task_fields_at_once_are_refused_with_the_call_as_it_should_be() {
    String reply =
        client.tool(
            "enqueue_task",
            Map.of("tasks", List.of(task("a", "A")), "title", "B", "criterion", "c"));

    assertThat(reply)
        .startsWith(
            "ERROR INVALID_ARGUMENT: tasks: give the tasks in tasks only, not also criterion,"
                + " title at the top level; call enqueue_task {tasks:[{title, criterion, ...},"
                + " ...]}, or for one task its fields alone: {title, criterion, ...}");
    assertThat(dir.resolve("tasks/pending/a.md")).doesNotExist();
  }

  @Test
  void enqueue_errors_name_the_field_and_change_nothing() {
    assertThat(enqueue(task("x", "X"), Map.of("title", "no criterion")))
        .startsWith("ERROR INVALID_ARGUMENT: tasks[1].criterion:");
    assertThat(enqueue(task("y", "Y", "after", List.of("nope"))))
        .startsWith("ERROR INVALID_ARGUMENT:")
        .contains("after");
    assertThat(enqueue(task("Bad Id", "Z"))).startsWith("ERROR INVALID_ARGUMENT: tasks[0].id:");
    assertThat(client.tool("enqueue_task", Map.of("tasks", List.of())))
        .startsWith("ERROR INVALID_ARGUMENT: tasks:");
    assertThat(client.tool("enqueue_task", Map.of("title", "flat")))
        .startsWith("ERROR INVALID_ARGUMENT: criterion:");
    assertThat(
            client.tool("enqueue_task", Map.of("title", "flat", "criterion", "c", "owner", "me")))
        .startsWith("ERROR INVALID_ARGUMENT: owner: is not a known field");
    assertThat(dir.resolve("tasks/pending/x.md")).doesNotExist();
    enqueue(task("x", "X"));
    // The next step names the task's own resource, braces filled in, in words for a model.
    assertThat(enqueue(task("x", "X again")))
        .startsWith("ERROR CONFLICT:")
        .endsWith(
            "read taskq://tasks/x for its current state and decide again; nothing was changed")
        .doesNotContain("{id}", "`taskq");
  }

  @Test
  void claim_next_returns_a_self_contained_work_packet() {
    enqueue(task("db-audit", "Audit N+1 queries", "instructions", "Look in src/db.", "lane", "db"));
    String packet = client.tool("claim_next", Map.of());
    String token = token(packet);
    assertThat(packet)
        .startsWith("Claimed task db-audit (attempt 1 of 3).")
        .contains("id: db-audit")
        .contains("lease_until: 2026-11-24T13:05:00Z")
        .contains("title: Audit N+1 queries")
        .contains("lane: db")
        .contains("## Success criterion\ncriterion of db-audit")
        .contains("## Instructions\nLook in src/db.")
        .doesNotContain("## Resume")
        .contains("Next step:")
        .contains("write_checkpoint {id:\"db-audit\", token:\"" + token + "\"")
        .contains("complete_task {id:\"db-audit\", token:\"" + token + "\"");
    assertThat(dir.resolve("tasks/in-progress/db-audit.md")).exists();
  }

  @Test
  void claim_next_says_why_nothing_is_claimable_and_whether_to_wait() {
    assertThat(client.tool("claim_next", Map.of()))
        .startsWith("Nothing to claim: the queue is empty.")
        .contains("stop the worker loop");
    enqueue(task("first", "First"), task("second", "Second", "after", List.of("first")));
    client.tool("claim_next", Map.of());
    assertThat(client.tool("claim_next", Map.of()))
        .startsWith("Nothing to claim: 1 pending wait for first; 1 in progress.")
        .contains("wait a few minutes");
    assertThat(client.tool("claim_next", Map.of("lane", "Bad Lane")))
        .startsWith("ERROR INVALID_ARGUMENT: lane:");
  }

  @Test
  void claim_next_says_a_task_is_stuck_behind_a_failed_one_and_not_to_wait() {
    enqueue(task("audit", "Audit"), task("report", "Report", "after", List.of("audit")));
    String token = token(client.tool("claim_next", Map.of()));
    client.tool(
        "complete_task",
        Map.of("id", "audit", "token", token, "outcome", "failed", "result", "no schema"));

    assertThat(client.tool("claim_next", Map.of()))
        .startsWith(
            "Nothing to claim: report waits for audit, which failed: requeue audit or cancel"
                + " report.")
        .contains("Next step: do not wait")
        .doesNotContain("wait a few minutes");
  }

  @Test
  void a_fan_in_packet_names_each_upstream_task_its_result_file_and_first_lines() {
    enqueue(
        task("ui-audit", "Audit the UI"),
        task("report", "Write the report", "after", List.of("ui-audit"), "priority", -1));
    String token = token(client.tool("claim_next", Map.of()));
    client.tool(
        "complete_task",
        Map.of(
            "id",
            "ui-audit",
            "token",
            token,
            "outcome",
            "done",
            "result",
            "3 components fetch in render:\n- Cart\n- Profile\n- Search"));

    String packet = client.tool("claim_next", Map.of());

    assertThat(packet)
        .contains("## Results of the tasks this one waited for")
        .contains("### ui-audit — Audit the UI (done)")
        .contains("Full result: " + dir.resolve("tasks/completed/ui-audit.md").toAbsolutePath())
        .contains("3 components fetch in render:\n- Cart\n- Profile\n- Search");
  }

  @Test
  void a_refused_completion_tells_the_model_its_result_was_not_stored_and_where_to_keep_it() {
    enqueue(task("audit", "Audit"));
    String first = token(client.tool("claim_next", Map.of()));
    clock.advance(Duration.ofMinutes(16));
    token(client.tool("claim_next", Map.of()));

    String reply =
        client.tool(
            "complete_task",
            Map.of("id", "audit", "token", first, "outcome", "done", "result", "the whole audit"));

    assertThat(reply)
        .startsWith("ERROR FENCED: your claim on audit is no longer valid")
        .contains("Your result was NOT stored")
        .contains("append_log");
  }

  @Test
  void a_late_done_on_the_last_attempt_is_kept() {
    enqueue(task("audit", "Audit", "max_attempts", 1));
    String token = token(client.tool("claim_next", Map.of()));
    clock.advance(Duration.ofMinutes(16));
    assertThat(client.tool("claim_next", Map.of())).startsWith("Nothing to claim");

    String reply =
        client.tool(
            "complete_task",
            Map.of("id", "audit", "token", token, "outcome", "done", "result", "the whole audit"));

    assertThat(reply).startsWith("Completed audit as done");
  }

  @Test
  void a_task_whose_lease_ran_out_is_claimed_again_with_the_resume_packet() {
    enqueue(task("long", "Long job"));
    String first = token(client.tool("claim_next", Map.of()));
    client.tool(
        "write_checkpoint",
        Map.of(
            "id", "long",
            "token", first,
            "summary", "Checked 60 files",
            "progress", Map.of("done", 60, "total", 180),
            "findings", "N+1 in users.js:42",
            "next", "start from payment.js"));
    clock.advance(Duration.ofMinutes(16));
    String packet = client.tool("claim_next", Map.of());
    assertThat(packet)
        .startsWith("Claimed task long (attempt 2 of 3).")
        .contains("## Resume: an earlier attempt stopped before finishing")
        .contains("Latest checkpoint #1 (attempt 1, 2026-11-24T13:00:00Z, progress 60/180)")
        .contains("Checked 60 files")
        .contains("Findings so far:\nN+1 in users.js:42")
        .contains("start from payment.js")
        .contains("resuming from the checkpoint above");
    assertThat(
            client.tool("write_checkpoint", Map.of("id", "long", "token", first, "summary", "s")))
        .startsWith("ERROR FENCED:");
  }

  @Test
  void write_checkpoint_saves_progress_and_names_bad_fields() {
    enqueue(task("t", "T"));
    String token = token(client.tool("claim_next", Map.of()));
    Map<String, Object> progress = Map.of("done", 3, "total", 10);
    assertThat(
            client.tool(
                "write_checkpoint",
                Map.of("id", "t", "token", token, "summary", "three", "progress", progress)))
        .startsWith("Checkpoint 1 saved for t (3/10); lease renewed.")
        .contains("Next step:");
    assertThat(dir.resolve("tasks/checkpoints/t-1.md")).exists();
    Map<String, Object> backwards = Map.of("done", 11, "total", 10);
    assertThat(
            client.tool(
                "write_checkpoint",
                Map.of("id", "t", "token", token, "summary", "x", "progress", backwards)))
        .startsWith("ERROR INVALID_ARGUMENT: progress.done:");
    assertThat(client.tool("write_checkpoint", Map.of("id", "t", "token", token)))
        .startsWith("ERROR INVALID_ARGUMENT: summary:");
    assertThat(
            client.tool("write_checkpoint", Map.of("id", "nope", "token", token, "summary", "x")))
        .startsWith("ERROR NOT_FOUND:");
    assertThat(client.tool("write_checkpoint", Map.of("id", "t", "token", "stale", "summary", "x")))
        .startsWith("ERROR FENCED:")
        .contains("call claim_next");
    assertThat(dir.resolve("tasks/checkpoints/t-2.md")).doesNotExist();
  }

  @Test
  void complete_task_done_then_again_is_fenced() throws Exception {
    enqueue(task("t", "T"));
    String token = token(client.tool("claim_next", Map.of()));
    Map<String, Object> done = Map.of("id", "t", "token", token, "outcome", "done", "result", "ok");
    assertThat(client.tool("complete_task", done))
        .startsWith("Completed t as done")
        .contains("call claim_next");
    assertThat(Files.readString(dir.resolve("tasks/completed/t.md"))).contains("ok");
    assertThat(Files.readString(dir.resolve("tasks/log.txt"))).contains("DONE: t");
    assertThat(client.tool("complete_task", done)).startsWith("ERROR FENCED:");
  }

  @Test
  void complete_task_failed_and_released_and_its_argument_errors() {
    enqueue(task("f", "F"), task("r", "R"));
    String f = token(client.tool("claim_next", Map.of()));
    assertThat(client.tool("complete_task", Map.of("id", "f", "token", f, "outcome", "done")))
        .startsWith("ERROR INVALID_ARGUMENT: result:");
    assertThat(
            client.tool(
                "complete_task",
                Map.of("id", "f", "token", f, "outcome", "finished", "result", "x")))
        .startsWith("ERROR INVALID_ARGUMENT: outcome:");
    assertThat(
            client.tool(
                "complete_task",
                Map.of("id", "f", "token", f, "outcome", "failed", "result", "no")))
        .startsWith("Marked f as failed");
    assertThat(dir.resolve("tasks/failed/f.md")).exists();
    String r = token(client.tool("claim_next", Map.of()));
    assertThat(client.tool("complete_task", Map.of("id", "r", "token", r, "outcome", "released")))
        .startsWith("Released r back to pending; no attempt was used up");
    assertThat(client.tool("claim_next", Map.of())).startsWith("Claimed task r (attempt 1 of 3).");
    assertThat(
            client.tool(
                "complete_task",
                Map.of("id", "ghost", "token", r, "outcome", "done", "result", "x")))
        .startsWith("ERROR NOT_FOUND:");
  }

  @Test
  void append_log_writes_a_line_and_with_a_token_renews_the_lease() throws Exception {
    assertThat(client.tool("append_log", Map.of("message", "starting the audit")))
        .startsWith("Logged: ")
        .contains("LOG: - starting the audit");
    enqueue(task("t", "T"));
    String token = token(client.tool("claim_next", Map.of()));
    clock.advance(Duration.ofMinutes(4));
    assertThat(client.tool("append_log", Map.of("message", "half", "id", "t", "token", token)))
        .contains("LOG: t half")
        .contains("lease on t was renewed");
    clock.advance(Duration.ofMinutes(4));
    assertThat(client.tool("claim_next", Map.of())).startsWith("Nothing to claim");
    assertThat(client.tool("append_log", Map.of("message", "x", "token", token)))
        .startsWith("ERROR INVALID_ARGUMENT: id:");
    assertThat(client.tool("append_log", Map.of("message", "x", "id", "t", "token", "stale")))
        .startsWith("ERROR FENCED:");
    assertThat(client.tool("append_log", Map.of("message", " ")))
        .startsWith("ERROR INVALID_ARGUMENT: message:");
    assertThat(Files.readString(dir.resolve("tasks/log.txt"))).contains("LOG: t half");
  }

  @Test
  void a_queue_folder_that_cannot_be_used_is_a_store_error() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    try (WireClient broken = WireClient.start(Map.of("TASKQ_DIR", file.toString()), dir, clock)) {
      broken.initialize();
      assertThat(broken.tool("claim_next", Map.of())).startsWith("ERROR STORE_ERROR:");
      Map<String, Object> read = broken.request("resources/read", Map.of("uri", "taskq://queue"));
      assertThat(read.get("error").toString()).contains("code=-32603", "STORE_ERROR:");
      assertThat(broken.result("ping", null)).isEmpty();
    }
  }
}

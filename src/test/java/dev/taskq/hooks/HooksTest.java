package dev.taskq.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.CheckpointRequest;
import dev.taskq.core.Claim;
import dev.taskq.core.Holder;
import dev.taskq.core.NewTask;
import dev.taskq.core.Progress;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.TaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each hook with the JSON Claude Code 2.1.328 really sends (fixtures under claude/hooks), checking
 * the exact text that reaches the session.
 */
class HooksTest {
  static final String SESSION = "4e88df1e-5f87-4702-8fbe-84743b578688";

  @TempDir Path dir;
  HookRig rig;
  TaskStore store;

  @BeforeEach
  void setUp() throws Exception {
    rig = new HookRig(dir);
    store = rig.store();
  }

  @AfterEach
  void tearDown() {
    rig.close();
  }

  private Claim claimDbAudit() {
    store.enqueue(
        new NewTask(
            "db-audit",
            "Find every N+1 query in src/db",
            "a list of every N+1 query with file and line",
            "Read every model and query file.",
            "db",
            0,
            List.of(),
            3,
            null));
    return rig.claimAsThisSession(store);
  }

  // ---------------------------------------------------------------- SessionStart

  @Test
  void session_start_after_compact_prints_the_claim_back_with_everything_needed_to_go_on() {
    Claim c = claimDbAudit();
    rig.clock.advance(Duration.ofMinutes(5));
    store.writeCheckpoint(
        new CheckpointRequest(
            "db-audit",
            c.token(),
            "scanned models/ and queries/",
            new Progress(60, 180),
            null,
            "start from payment.js"));
    rig.clock.advance(Duration.ofMinutes(12));
    store.heartbeat(rig.server); // the session worked until the compaction

    HookRig.Run r = rig.runFixture("session-start", "SessionStart-compact.json");

    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(
            """
            taskq: this session holds a claim on task db-audit (from before the context was \
            compacted). Continue it from the latest checkpoint instead of starting over, and do \
            not claim another task first.

            id: db-audit
            title: Find every N+1 query in src/db
            criterion: a list of every N+1 query with file and line
            token: %s
            attempt: 1 of 3
            lease: until 2026-12-02T06:22:00Z, renewed while this session works; only a \
            checkpoint resets its progress deadline
            latest checkpoint: #1, 12 min ago (2026-12-02T06:05:00Z), progress 60/180: scanned \
            models/ and queries/
            next: start from payment.js
            How to go on: pick up from that checkpoint's next step; call write_checkpoint \
            {id:"db-audit", token:"%s", summary, progress, next} as you go, and complete_task \
            with the same id and token when the criterion is met (outcome "released" hands it \
            back). If a call answers FENCED, the task was taken over: drop it and call claim_next.
            """
                .formatted(c.token(), c.token()));
  }

  @Test
  void session_start_after_a_long_compaction_says_a_lapsed_claim_is_still_this_sessions() {
    claimDbAudit();
    rig.clock.advance(Duration.ofMinutes(9));

    HookRig.Run r = rig.runFixture("session-start", "SessionStart-compact.json");

    assertThat(r.out())
        .contains(
            "lease: ran out at 2026-12-02T06:05:00Z while the session was quiet; nobody has taken"
                + " the task since, so it is still yours and is renewed as soon as you work on it"
                + " again (a checkpoint does it at once)\n");
  }

  @Test
  void session_start_after_clear_finds_the_claim_through_claude_code_although_the_id_changed() {
    Claim c = claimDbAudit();

    HookRig.Run r = rig.runFixture("session-start", "SessionStart-clear.json");

    assertThat(r.out())
        .startsWith("taskq: this session holds a claim on task db-audit (from before /clear).")
        .contains("token: " + c.token())
        .contains("latest checkpoint: none yet (claimed just now (2026-12-02T06:00:00Z));")
        .contains("taskq://tasks/db-audit");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SessionStart-startup.json",
        "SessionStart-resume.json",
        "SessionStart-clear.json",
        "SessionStart-compact.json"
      })
  void session_start_prints_nothing_when_this_session_holds_no_claim(String fixture) {
    store.enqueue(NewTask.of("someone else's", "c"));
    store.claimNext(new Holder("other", "elsewhere.test", 7, 7), null);
    store.enqueue(NewTask.of("free", "c"));

    HookRig.Run r = rig.runFixture("session-start", fixture);

    assertThat(r).isEqualTo(new HookRig.Run(0, "", ""));
  }

  @Test
  void session_start_of_a_fork_or_an_unknown_source_prints_nothing() {
    claimDbAudit();
    String startup = HookRig.fixture("SessionStart-startup.json");

    for (String source : List.of("fork", "teleport", "")) {
      HookRig.Run r =
          rig.run("session-start", startup.replace("\"startup\"", "\"" + source + "\""));
      assertThat(r).as(source).isEqualTo(new HookRig.Run(0, "", ""));
    }
  }

  @Test
  void session_start_on_resume_prints_the_claim_a_crashed_process_held_and_asks_to_take_it()
      throws Exception {
    Process old = new ProcessBuilder("sleep", "30").start();
    Holder ghost = ProcessIdentity.of(old.toHandle(), SESSION);
    store.enqueue(
        new NewTask("resume-me", "Resume me", "the criterion", "", null, 0, List.of(), 3, null));
    String token =
        ((dev.taskq.core.ClaimResult.Claimed) store.claimNext(ghost, null)).claim().token();
    // The crashed session's server kept its claims in its folder, which nobody removed.
    SessionFiles crashed = SessionFiles.of(rig.queue, Long.toString(old.pid()));
    crashed.create();
    crashed.replace(
        SessionFiles.CLAIMS,
        HeldClaim.toJson(List.of(HeldClaim.of(store.get("resume-me"), false))));
    old.destroyForcibly();
    assertThat(old.waitFor(10, TimeUnit.SECONDS)).isTrue();

    HookRig.Run r = rig.runFixture("session-start", "SessionStart-resume.json");

    assertThat(r.out())
        .startsWith(
            "taskq: this session holds a claim on task resume-me (from before this session was"
                + " resumed).")
        .contains("token: " + token)
        .contains(
            "lease: ended when the session's previous process stopped (holder process gone);"
                + " this session's taskq server takes it back as it starts, with the same token,"
                + " unless another session took it over meanwhile (then a call answers FENCED)");
    assertThat(rig.sessionFiles().read(SessionFiles.RESUME)).isEqualTo(SESSION + "\n");
  }

  @Test
  void session_start_on_resume_ignores_crashed_folders_of_other_sessions_or_past_the_deadline()
      throws Exception {
    Process old = new ProcessBuilder("sleep", "30").start();
    store.enqueue(NewTask.of("theirs", "c"));
    store.claimNext(ProcessIdentity.of(old.toHandle(), "another-session"), null);
    SessionFiles crashed = SessionFiles.of(rig.queue, Long.toString(old.pid()));
    crashed.create();
    String id = store.list(dev.taskq.core.QueueQuery.firstPage(10)).rows().get(0).id();
    crashed.replace(
        SessionFiles.CLAIMS, HeldClaim.toJson(List.of(HeldClaim.of(store.get(id), false))));
    old.destroyForcibly();
    old.waitFor(10, TimeUnit.SECONDS);

    assertThat(rig.runFixture("session-start", "SessionStart-resume.json").out()).isEmpty();

    crashed.replace(
        SessionFiles.CLAIMS, crashed.read(SessionFiles.CLAIMS).replace("another-session", SESSION));
    rig.clock.advance(Duration.ofMinutes(46));
    assertThat(rig.runFixture("session-start", "SessionStart-resume.json").out()).isEmpty();
    assertThat(SessionFiles.sweep(rig.queue, Duration.ofMinutes(45), java.time.Instant.now()))
        .as("kept while it may be resumed")
        .isZero();
    assertThat(
            SessionFiles.sweep(
                rig.queue, Duration.ofMinutes(45), java.time.Instant.now().plusSeconds(46 * 60)))
        .isEqualTo(1);
  }

  // ---------------------------------------------------------------- Stop

  @Test
  void stop_blocks_once_asking_for_a_checkpoint_when_progress_is_older_than_ten_minutes()
      throws Exception {
    Claim c = claimDbAudit();
    rig.serverKeepsItsFolder();
    rig.clock.advance(Duration.ofMinutes(11));

    HookRig.Run first = rig.runFixture("stop", "Stop-stop_hook_active-false.json");
    HookRig.Run again = rig.runFixture("stop", "Stop-stop_hook_active-false.json");

    assertThat(first.code()).isZero();
    assertThat(first.err()).isEmpty();
    assertThat(first.out())
        .isEqualTo(
            "{\"decision\":\"block\",\"reason\":\"taskq: you are ending your turn while holding"
                + " task db-audit (Find every N+1 query in src/db) and no checkpoint since you"
                + " claimed it 11 min ago. Before you stop, save your progress: call"
                + " write_checkpoint {id:\\\"db-audit\\\", token:\\\""
                + c.token()
                + "\\\", summary, progress, next}. If the task is finished, call complete_task"
                + " with outcome \\\"done\\\" (or \\\"failed\\\") instead; if you are leaving it"
                + " for someone else, complete_task with outcome \\\"released\\\" hands it back."
                + " Then you may end your turn.\"}\n");
    assertThat(again)
        .as("never twice for the same unsaved state")
        .isEqualTo(new HookRig.Run(0, "", ""));
  }

  @Test
  void stop_never_blocks_while_the_turn_goes_on_because_of_a_stop_hook() {
    claimDbAudit();
    rig.clock.advance(Duration.ofMinutes(30));

    assertThat(rig.runFixture("stop", "Stop-stop_hook_active-true.json"))
        .isEqualTo(new HookRig.Run(0, "", ""));
  }

  @Test
  void stop_lets_the_turn_end_with_nothing_to_save() {
    HookRig.Run noClaim = rig.runFixture("stop", "Stop-stop_hook_active-false.json");
    Claim c = claimDbAudit();
    rig.clock.advance(Duration.ofMinutes(20));
    store.writeCheckpoint(new CheckpointRequest("db-audit", c.token(), "saved", null, null, null));
    rig.clock.advance(Duration.ofMinutes(3));
    HookRig.Run freshCheckpoint = rig.runFixture("stop", "Stop-stop_hook_active-false.json");

    assertThat(noClaim).isEqualTo(new HookRig.Run(0, "", ""));
    assertThat(freshCheckpoint).isEqualTo(new HookRig.Run(0, "", ""));
  }

  @Test
  void stop_asks_again_once_new_progress_went_stale_and_at_once_with_zero_minutes()
      throws Exception {
    Claim c = claimDbAudit();
    rig.serverKeepsItsFolder();
    rig.env.put("TASKQ_CHECKPOINT_MINUTES", "0");

    HookRig.Run atOnce = rig.runFixture("stop", "Stop-stop_hook_active-false.json");
    store.writeCheckpoint(new CheckpointRequest("db-audit", c.token(), "saved", null, null, null));
    HookRig.Run afterCheckpoint = rig.runFixture("stop", "Stop-stop_hook_active-false.json");
    HookRig.Run sameState = rig.runFixture("stop", "Stop-stop_hook_active-false.json");

    assertThat(atOnce.out()).contains("\"decision\":\"block\"").contains("no checkpoint since");
    assertThat(afterCheckpoint.out()).contains("its latest checkpoint (#1) was written earlier");
    assertThat(sameState.out()).isEmpty();
  }

  @Test
  void stop_and_session_start_after_compact_read_the_claims_the_server_keeps_not_the_store()
      throws Exception {
    Claim c = claimDbAudit();
    SessionFiles f = rig.serverKeepsItsFolder();
    f.replace(SessionFiles.SERVER, "1 server\n");
    f.replace(
        SessionFiles.CLAIMS, HeldClaim.toJson(List.of(HeldClaim.of(store.get("db-audit"), false))));
    rig.clock.advance(Duration.ofMinutes(11));
    rig.env.put("TASKQ_HOOK_DEADLINE_MS", "3000");
    Process holder = holdLock(rig.queue); // the store cannot be read now
    try {
      HookRig.Run stop = rig.runFixture("stop", "Stop-stop_hook_active-false.json");
      HookRig.Run start = rig.runFixture("session-start", "SessionStart-compact.json");

      assertThat(stop.out()).startsWith("{\"decision\":\"block\"").contains(c.token());
      assertThat(start.out())
          .startsWith("taskq: this session holds a claim on task db-audit")
          .contains("token: " + c.token());
    } finally {
      holder.getOutputStream().close();
      holder.waitFor();
    }
  }

  @Test
  void a_kept_claim_whose_lease_passed_since_the_server_wrote_it_is_shown_as_lapsed()
      throws Exception {
    claimDbAudit();
    SessionFiles f = rig.serverKeepsItsFolder();
    f.replace(SessionFiles.SERVER, "1 server\n");
    f.replace(
        SessionFiles.CLAIMS, HeldClaim.toJson(List.of(HeldClaim.of(store.get("db-audit"), false))));
    rig.clock.advance(Duration.ofMinutes(9)); // a long compaction: no tool call, no heartbeat

    assertThat(rig.runFixture("session-start", "SessionStart-compact.json").out())
        .contains("lease: ran out at 2026-12-02T06:05:00Z while the session was quiet;");
  }

  @Test
  void a_server_that_keeps_the_folder_without_claims_means_nothing_to_save_or_print()
      throws Exception {
    claimDbAudit(); // in the store, but the server says it holds nothing (it released it)
    SessionFiles f = rig.serverKeepsItsFolder();
    f.replace(SessionFiles.SERVER, "1 server\n");
    rig.clock.advance(Duration.ofMinutes(30));

    assertThat(rig.runFixture("stop", "Stop-stop_hook_active-false.json").out()).isEmpty();
    assertThat(rig.runFixture("session-start", "SessionStart-clear.json").out()).isEmpty();
  }

  static Process holdLock(Path queue) throws Exception {
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    dev.taskq.store.file.LockHolder.class.getName(),
                    queue.toString()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    java.io.BufferedReader out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("LOCKED");
    return p;
  }

  // ---------------------------------------------------------------- StopFailure

  @Test
  void a_usage_limit_while_holding_a_claim_leaves_one_limit_line() {
    claimDbAudit();

    HookRig.Run r = rig.runFixture("stop-failure", "StopFailure-rate_limit.json");

    assertThat(r).isEqualTo(new HookRig.Run(0, "", ""));
    assertThat(store.tailLog(1))
        .singleElement()
        .asString()
        .contains(
            " LIMIT: db-audit "
                + rig.server.label()
                + " hit a usage limit while holding db-audit (You've hit your 5-hour limit ·"
                + " resets 6:24am (UTC))");
  }

  @Test
  void other_stop_failures_and_a_usage_limit_without_a_claim_log_nothing() {
    store.enqueue(NewTask.of("t", "c"));
    List<String> before = store.tailLog(100);
    String limit = HookRig.fixture("StopFailure-rate_limit.json");

    rig.run("stop-failure", limit);
    claimDbAudit();
    List<String> withClaim = store.tailLog(100);
    rig.run("stop-failure", limit.replace("\"rate_limit\"", "\"overloaded\""));

    assertThat(before).noneMatch(l -> l.contains("LIMIT"));
    assertThat(store.tailLog(100)).isEqualTo(withClaim);
  }

  // ---------------------------------------------------------------- fast hooks (Java side)

  @Test
  void user_prompt_submit_prints_the_news_the_server_kept_and_acknowledges_it() throws Exception {
    SessionFiles f = rig.serverKeepsItsFolder();
    f.replace(
        SessionFiles.NEWS,
        "7\nDONE: db-audit — result in tasks/completed/db-audit.md\nFAILED: api — max attempts"
            + " reached (3); last: lease ran out; see tasks/failed/api.md\n");

    HookRig.Run r = rig.runFixture("user-prompt-submit", "UserPromptSubmit.json");

    assertThat(r)
        .isEqualTo(
            new HookRig.Run(
                0,
                "DONE: db-audit — result in tasks/completed/db-audit.md\nFAILED: api — max"
                    + " attempts reached (3); last: lease ran out; see tasks/failed/api.md\n",
                ""));
    assertThat(f.read(SessionFiles.PROMPT)).isEqualTo("7");
  }

  @Test
  void tool_hooks_mark_a_tool_running_then_done_only_in_a_folder_the_server_keeps()
      throws Exception {
    HookRig.Run withoutFolder = rig.runFixture("pre-tool-use", "PreToolUse-Read.json");
    assertThat(withoutFolder).isEqualTo(new HookRig.Run(0, "", ""));
    assertThat(rig.sessionFiles().exists()).isFalse();

    SessionFiles f = rig.serverKeepsItsFolder();
    rig.runFixture("pre-tool-use", "PreToolUse-Bash.json");
    assertThat(f.read(SessionFiles.ACTIVITY)).isEqualTo("1");
    rig.runFixture("post-tool-use", "PostToolUse-mcp.json");
    assertThat(f.read(SessionFiles.ACTIVITY)).isEqualTo("0");
  }

  @Test
  void the_fast_hooks_read_no_store_and_need_no_json() throws Exception {
    SessionFiles f = rig.serverKeepsItsFolder();
    Files.writeString(rig.queue.resolve(".taskq/lock"), "held by nobody");

    assertThat(rig.run("post-tool-use", "not json at all")).isEqualTo(new HookRig.Run(0, "", ""));
    assertThat(f.read(SessionFiles.ACTIVITY)).isEqualTo("0");
  }
}

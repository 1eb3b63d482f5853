package dev.taskq.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.claude.ClaudeRun;
import dev.taskq.claude.Conversation;
import dev.taskq.claude.DisciplinedWorker;
import dev.taskq.claude.RecordedRequest;
import dev.taskq.claude.Reply;
import dev.taskq.claude.ScriptedModel;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.Holder;
import dev.taskq.core.Outcome;
import dev.taskq.core.Task;
import dev.taskq.core.TaskDetail;
import dev.taskq.core.TaskState;
import dev.taskq.store.TaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * taskq's hooks in the real Claude Code (2.1.328, headless) with the scripted model: the project is
 * set up by {@code taskq init} and the hooks run as users get them. Assertions are on what the
 * scripted model received and on the queue.
 */
class HooksWithClaudeIT {
  @TempDir Path dir;

  @org.junit.jupiter.api.AfterEach
  void keep(org.junit.jupiter.api.TestInfo info) throws Exception {
    String keep = System.getProperty("hooks.keep");
    if (keep != null) {
      Path to = Path.of(keep, info.getTestMethod().orElseThrow().getName());
      try (var all = Files.walk(dir)) {
        for (Path f : all.toList()) {
          Path t = to.resolve(dir.relativize(f).toString());
          if (Files.isDirectory(f)) {
            Files.createDirectories(t);
          } else if (Files.isRegularFile(f) && Files.size(f) < 5_000_000) {
            Files.copy(f, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
  }

  @Test
  void a_stop_hook_blocks_once_and_the_model_then_checkpoints() throws Exception {
    HookedProject p = new HookedProject(dir).with("TASKQ_CHECKPOINT_MINUTES", "0");
    p.run("add", "Held over the turn", "-c", "ok", "--id", "held");
    try (ScriptedModel model = ScriptedModel.start(new DisciplinedWorker().stopAfterClaim());
        ClaudeRun run = p.runner(model, "stop").start("work the queue")) {
      assertThat(run.awaitExit(Duration.ofMinutes(2))).as(run.stderr()).isZero();
      assertThat(model.brainErrors()).isEmpty();

      List<String> feedback =
          model.messageRequests().stream()
              .map(RecordedRequest::conversation)
              .map(Conversation::lastUserText)
              .filter(t -> t.startsWith("Stop hook feedback:"))
              .distinct()
              .toList();
      assertThat(feedback)
          .singleElement()
          .asString()
          .startsWith(
              "Stop hook feedback:\ntaskq: you are ending your turn while holding task held (Held"
                  + " over the turn) and no checkpoint since you claimed it")
          .contains("call write_checkpoint {id:\"held\", token:\"");
      assertThat(p.log()).contains(" CHECKPOINT: held #1 ").contains("(the Stop hook asked)");
      assertThat(run.result().orElseThrow().path("result").asString())
          .startsWith("Checkpoint saved for held");
    }
  }

  @Test
  void a_resumed_session_gets_its_claim_printed_back_and_taken_back_by_its_new_server()
      throws Exception {
    HookedProject p = new HookedProject(dir);
    p.run("add", "Survive a crash", "-c", "ok", "--id", "crash");
    String session;
    String token;
    try (ScriptedModel model =
        ScriptedModel.start(new DisciplinedWorker().stallAfterCheckpoint(Duration.ofMinutes(2)))) {
      ClaudeRun run = p.runner(model, "before-crash").start("work the queue");
      try {
        await("checkpoint #1", () -> contains(p, " CHECKPOINT: crash #1 "));
        session = run.sessionId();
        // The queue logs the checkpoint before Claude Code has its answer; a crash in between
        // resumes a transcript whose checkpoint call never returned (a different test). Die only
        // once the session's transcript holds the answer.
        String id = session;
        await(
            "the checkpoint's answer in the transcript",
            () -> transcriptHas(p, id, "Checkpoint 1 saved for crash"));
        // The machine dies: the taskq server first (so it cannot hand the claim back), then claude.
        for (ProcessHandle h : servers(run)) {
          h.destroyForcibly();
          h.onExit().get(10, TimeUnit.SECONDS);
        }
      } finally {
        run.close();
      }
      try (TaskStore s = p.store(Duration.ofMinutes(5))) {
        TaskDetail d = s.get("crash");
        assertThat(d.task().state()).isEqualTo(TaskState.IN_PROGRESS);
        assertThat(d.claimEnded()).isEqualTo("holder process gone");
        token = d.task().lease().token();
      }
    }
    try (ScriptedModel model = ScriptedModel.start(new DisciplinedWorker());
        ClaudeRun run = p.runner(model, "resumed").args("--resume", session).start("go on")) {
      assertThat(run.awaitExit(Duration.ofMinutes(2))).as(run.stderr()).isZero();
      assertThat(model.brainErrors()).isEmpty();
      assertThat(run.sessionId()).isEqualTo(session);

      assertThat(model.messageRequests().get(0).conversation().allText())
          .contains(
              "SessionStart:resume hook success: taskq: this session holds a claim on task crash"
                  + " (from before this session was resumed).")
          .contains("token: " + token)
          .contains("latest checkpoint: #1");
      String log = p.log();
      assertThat(log)
          .as("log.txt, then Claude Code's MCP logs:\n%s", mcpLogs(p))
          .containsPattern(" RESUMED: crash attempt 1/3 by [^ ]+ \\(its session resumed");
      assertThat(log).contains(" DONE: crash ").doesNotContain(" EXPIRED: crash ");
      try (TaskStore s = p.store(Duration.ofMinutes(5))) {
        Task t = s.get("crash").task();
        assertThat(t.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(t.attempt()).isEqualTo(1);
      }
    }
  }

  @Test
  void a_prompt_after_another_worker_completed_a_task_carries_the_done_line() throws Exception {
    HookedProject p = new HookedProject(dir);
    p.run("add", "Audit the db", "-c", "ok", "--id", "db-audit");
    CountDownLatch firstAnswered = new CountDownLatch(1);
    try (ScriptedModel model =
            ScriptedModel.start(
                c -> {
                  firstAnswered.countDown();
                  return Reply.text("ok");
                });
        ClaudeRun run = p.runner(model, "done").streamInput().start("hello")) {
      assertThat(firstAnswered.await(2, TimeUnit.MINUTES)).isTrue();
      await("the session folder", () -> sessionFolders(p) == 1);
      try (TaskStore other = p.store(Duration.ofMinutes(5))) {
        Holder worker = new Holder("worker-2", "elsewhere.test", 42, 42);
        ClaimResult.Claimed c = (ClaimResult.Claimed) other.claimNext(worker, null);
        other.complete("db-audit", c.claim().token(), Outcome.DONE, "found 3");
      }
      await("the news", () -> news(p).contains("DONE: db-audit"));

      run.send("what happened?");
      run.endInput();
      assertThat(run.awaitExit(Duration.ofMinutes(2))).as(run.stderr()).isZero();

      List<RecordedRequest> asked = model.messageRequests();
      assertThat(asked.get(asked.size() - 1).conversation().allText())
          .contains(
              "UserPromptSubmit hook success: DONE: db-audit — result in"
                  + " tasks/completed/db-audit.md");
      assertThat(asked.get(0).conversation().allText()).doesNotContain("DONE: db-audit");
    }
  }

  @Test
  void heartbeats_keep_a_reading_session_claim_past_its_lease_until_the_progress_deadline()
      throws Exception {
    Duration lease = Duration.ofSeconds(6);
    Duration deadline = Duration.ofSeconds(20);
    HookedProject p =
        new HookedProject(dir)
            .with("TASKQ_LEASE_SECONDS", Long.toString(lease.toSeconds()))
            .with("TASKQ_PROGRESS_DEADLINE_SECONDS", Long.toString(deadline.toSeconds()));
    p.run("add", "Read everything", "-c", "ok", "--id", "long");
    Path file = Files.writeString(dir.resolve("notes.txt"), "a file to read\n");
    DisciplinedWorker reader =
        new DisciplinedWorker()
            .readsBetweenCheckpoints(500, file)
            .thinkTime(Duration.ofMillis(300));
    try (ScriptedModel model = ScriptedModel.start(reader);
        ClaudeRun run = p.runner(model, "reads").start("work the queue");
        TaskStore s = p.store(lease)) {
      await("the claim", () -> contains(p, " CLAIMED: long "));
      long claimed = System.nanoTime();

      // Well past two leases with no checkpoint: the Read calls' heartbeats keep it.
      while (System.nanoTime() - claimed < lease.multipliedBy(2).plusSeconds(2).toNanos()) {
        TaskDetail d = s.get("long");
        assertThat(d.claimEnded()).as("claim while the session reads").isNull();
        assertThat(d.task().attempt()).isEqualTo(1);
        Thread.sleep(500);
      }
      assertThat(model.messageRequests().stream().filter(r -> lastToolIsRead(r)).count())
          .as("Read calls so far")
          .isGreaterThan(5);

      // No checkpoint for the progress deadline: the claim ends although the session works.
      await("the progress deadline", () -> s.get("long").claimEnded() != null);
      Task ended = s.get("long").task();
      assertThat(ended.lease().until()).isEqualTo(ended.lease().progressAt().plus(deadline));
      ClaimResult next = s.claimNext(new Holder("worker-2", "elsewhere.test", 42, 42), null);
      assertThat(((ClaimResult.Claimed) next).claim().attempt()).isEqualTo(2);
      assertThat(p.log()).contains(" EXPIRED: long attempt 1/3 (lease ran out)");
      assertThat(model.brainErrors()).isEmpty();
    }
  }

  @Test
  void a_session_that_stops_calling_tools_loses_its_claim_after_the_lease() throws Exception {
    Duration lease = Duration.ofSeconds(6);
    HookedProject p =
        new HookedProject(dir).with("TASKQ_LEASE_SECONDS", Long.toString(lease.toSeconds()));
    p.run("add", "Then stall", "-c", "ok", "--id", "stall");
    try (ScriptedModel model =
            ScriptedModel.start(
                new DisciplinedWorker().stallAfterCheckpoint(Duration.ofMinutes(2)));
        ClaudeRun run = p.runner(model, "stall").start("work the queue");
        TaskStore s = p.store(lease)) {
      await("checkpoint #1", () -> contains(p, " CHECKPOINT: stall #1 "));
      long quiet = System.nanoTime();

      await("the lease to run out", () -> s.get("stall").claimEnded() != null);

      assertThat(s.get("stall").claimEnded()).isEqualTo("lease expired");
      assertThat(Duration.ofNanos(System.nanoTime() - quiet))
          .as("ended by the lease, not the 45-minute deadline")
          .isLessThan(Duration.ofSeconds(60));
      assertThat(run.process().isAlive()).as("claude still runs").isTrue();
    }
  }

  @Test
  void without_taskq_installed_or_with_an_older_taskq_the_hooks_stay_out_of_the_way()
      throws Exception {
    HookedProject p = new HookedProject(dir);
    Path old = Files.createDirectories(dir.resolve("old-bin"));
    Path oldTaskq = old.resolve("taskq");
    // What taskq 0.2.0 answers to a verb it does not know: a usage error, exit 2.
    Files.writeString(
        oldTaskq,
        "#!/bin/sh\necho \"taskq: Unmatched argument at index 0: 'hook'\" >&2\n"
            + "echo 'Usage: taskq [--dir=DIR] COMMAND' >&2\nexit 2\n");
    oldTaskq.toFile().setExecutable(true);
    String noTaskq = dev.taskq.project.InstalledTaskq.at(dir.resolve("nobody")).env().get("PATH");
    for (String path : List.of(noTaskq, old + ":" + noTaskq)) {
      try (ScriptedModel model = ScriptedModel.start(c -> Reply.text("fine"));
          ClaudeRun run =
              p.runner(model, path.startsWith(old.toString()) ? "old" : "none")
                  .env("PATH", path)
                  .start("hello")) {
        assertThat(run.awaitExit(Duration.ofMinutes(2))).as(run.stderr()).isZero();
        assertThat(run.result().orElseThrow().path("result").asString()).isEqualTo("fine");
        assertThat(model.messageRequests()).hasSize(1);
        assertThat(model.messageRequests().get(0).conversation().lastUserText()).contains("hello");
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private static boolean contains(HookedProject p, String text) {
    try {
      return p.log().contains(text);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** What Claude Code logged of its taskq servers (connections, each tool call), for a failure. */
  private static String mcpLogs(HookedProject p) {
    StringBuilder sb = new StringBuilder();
    try (var all = Files.walk(p.home.resolve(".cache"))) {
      for (Path f : all.filter(f -> f.toString().contains("mcp-logs-taskq")).sorted().toList()) {
        if (Files.isRegularFile(f)) {
          sb.append("== ").append(f.getFileName()).append('\n').append(Files.readString(f));
        }
      }
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      sb.append("(cannot read: ").append(e).append(')');
    }
    return sb.toString();
  }

  /** Claude Code's transcript of a session (under HOME/.claude/projects/) contains the text. */
  private static boolean transcriptHas(HookedProject p, String session, String text) {
    try (var all = Files.walk(p.home.resolve(".claude/projects"))) {
      for (Path f :
          all.filter(f -> f.getFileName().toString().equals(session + ".jsonl")).toList()) {
        if (Files.readString(f).contains(text)) {
          return true;
        }
      }
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      // not written yet
    }
    return false;
  }

  private static boolean lastToolIsRead(RecordedRequest r) {
    return r.conversation().lastToolCall().map(t -> t.name().equals("Read")).orElse(false);
  }

  private static long sessionFolders(HookedProject p) {
    Path root = SessionFiles.root(p.queue);
    try (var s = Files.list(root)) {
      return s.count();
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private static String news(HookedProject p) {
    Path root = SessionFiles.root(p.queue);
    try (var s = Files.list(root)) {
      for (Path d : s.toList()) {
        String n = new SessionFiles(d).read(SessionFiles.NEWS);
        if (n != null) {
          return n;
        }
      }
    } catch (java.io.IOException e) {
      // not there yet
    }
    return "";
  }

  private static List<ProcessHandle> servers(ClaudeRun run) {
    return run.process()
        .descendants()
        .filter(h -> h.info().commandLine().orElse("").contains(" serve"))
        .toList();
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime() < deadline).as("within 90 s: " + what).isTrue();
      Thread.sleep(100);
    }
  }
}

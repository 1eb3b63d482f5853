package dev.taskq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.CheckpointRequest;
import dev.taskq.core.Claim;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.Limits;
import dev.taskq.core.Outcome;
import dev.taskq.core.Progress;
import dev.taskq.core.TaskState;
import dev.taskq.core.TaskqException;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** add, show, log, requeue, release and the error conventions, through picocli's execute(). */
class TaskCommandsTest {
  @TempDir Path tmp;
  CliRun cli;

  @BeforeEach
  void setUp() throws IOException {
    cli = new CliRun(Files.createDirectories(tmp.resolve("proj")));
    cli.initQueue();
  }

  private TaskStore store() {
    return StoreFactory.open(new StoreConfig(cli.queue(), Duration.ofMinutes(15), cli.clock));
  }

  private Claim claim() {
    try (TaskStore s = store()) {
      return ((ClaimResult.Claimed) s.claimNext(ProcessIdentity.current("s1"), null)).claim();
    }
  }

  @Test
  void add_puts_a_task_in_pending_with_every_option() throws IOException {
    assertThat(cli.run("add", "Audit", "users", "-c", "users listed", "--id", "users-audit").code())
        .isZero();

    CliRun.Result r =
        cli.run(
            "add",
            "Audit N+1 queries",
            "--criterion",
            "every query listed",
            "--lane",
            "db",
            "--priority",
            "7",
            "--after",
            "users-audit",
            "--id",
            "db-audit",
            "--max-attempts",
            "5",
            "-i",
            "Start with src/db.");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("added db-audit: Audit N+1 queries (after users-audit)\n");
    try (TaskStore s = store()) {
      var t = s.get("db-audit").task();
      assertThat(t.state()).isEqualTo(TaskState.PENDING);
      assertThat(t.lane()).isEqualTo("db");
      assertThat(t.priority()).isEqualTo(7);
      assertThat(t.maxAttempts()).isEqualTo(5);
      assertThat(t.after()).containsExactly("users-audit");
      assertThat(t.instructions()).contains("Start with src/db.");
      assertThat(s.get("users-audit").task().title()).isEqualTo("Audit users");
    }
    assertThat(cli.queue().resolve("pending/db-audit.md")).isRegularFile();
  }

  @Test
  void add_without_a_criterion_is_a_usage_error_and_adds_nothing() {
    CliRun.Result r = cli.run("add", "Something");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo(
            "taskq add: Missing required option: '--criterion=TEXT' (see `taskq add --help`)");
    assertThat(cli.queue().resolve("pending")).isEmptyDirectory();
  }

  @Test
  void add_with_a_bad_field_names_it_and_exits_1() {
    CliRun.Result r = cli.run("add", "T", "-c", "c", "--id", "Bad Id");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err())
        .startsWith(
            "taskq: INVALID_ARGUMENT: id: may hold only lower-case letters a-z, digits, '.', '_'"
                + " and '-': 'B' (character 1 of 6, counting from 1) is not one; try 'bad-id'; fix it"
                + " and run the command again; nothing was changed");
  }

  @Test
  void add_after_an_unknown_task_is_refused() {
    CliRun.Result r = cli.run("add", "T", "-c", "c", "--after", "ghost");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("taskq: INVALID_ARGUMENT: --after: 'ghost' is not in the queue")
        .doesNotContain("tasks[0]");
  }

  @Test
  void show_prints_the_task_its_checkpoints_and_its_result() {
    cli.run("add", "Audit N+1 queries", "-c", "every query listed", "--id", "db-audit");
    Claim c = claim();
    try (TaskStore s = store()) {
      s.writeCheckpoint(
          new CheckpointRequest(
              "db-audit",
              c.token(),
              "first 60 files\nmore detail",
              new Progress(60, 180),
              "3 N+1 in orders.js",
              "payment.js"));
      s.complete("db-audit", c.token(), Outcome.DONE, "14 queries listed in report.md");
    }

    CliRun.Result r = cli.run("show", "db-audit");

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .startsWith("db-audit  Audit N+1 queries\n")
        .contains("  state      completed, attempts used 1/3")
        .contains("  criterion  every query listed")
        .contains("60/180")
        .contains("  #1  2026-11-24T13:00:00Z  attempt 1  60/180  first 60 files\n")
        .contains("Latest findings\n  3 N+1 in orders.js")
        .contains("Next\n  payment.js")
        .contains("Result\n  14 queries listed in report.md")
        .contains(cli.queue().resolve("completed/db-audit.md").toString());
  }

  @Test
  void show_of_a_claimed_task_says_who_holds_it_and_for_how_long() {
    cli.run("add", "Audit", "-c", "c", "--id", "a");
    claim();
    cli.clock.advance(Duration.ofMinutes(3));

    assertThat(cli.run("show", "a").out())
        .contains(
            "in-progress, attempt 1/3, held by "
                + ProcessIdentity.current("s1").label()
                + ", lease 12m00s left");
  }

  @Test
  void an_unknown_id_is_one_line_on_stderr_and_exit_1_with_the_trace_only_when_verbose() {
    cli.run("add", "Audit", "-c", "c", "--id", "a");

    CliRun.Result quiet = cli.run("show", "nope");
    CliRun.Result verbose = cli.run("show", "nope", "--verbose");

    assertThat(quiet.code()).isEqualTo(1);
    assertThat(quiet.out()).isEmpty();
    assertThat(quiet.err().lines()).hasSize(1);
    assertThat(quiet.err()).startsWith("taskq: NOT_FOUND: no task with id 'nope'");
    assertThat(verbose.code()).isEqualTo(1);
    assertThat(verbose.err().lines().count()).isGreaterThan(3);
    assertThat(verbose.err()).contains(TaskqException.class.getName(), "\tat ");
  }

  @Test
  void log_prints_the_last_n_lines() {
    for (int i = 1; i <= 5; i++) {
      cli.run("add", "Task " + i, "-c", "c", "--id", "t" + i);
    }

    CliRun.Result r = cli.run("log", "-n", "2");

    assertThat(r.code()).isZero();
    assertThat(r.out().lines()).hasSize(2);
    assertThat(r.out()).contains("ENQUEUED: t4 — Task 4", "ENQUEUED: t5 — Task 5");
  }

  @Test
  void requeue_puts_a_failed_task_back_with_fresh_attempts() {
    cli.run("add", "Flaky", "-c", "c", "--id", "flaky");
    Claim c = claim();
    try (TaskStore s = store()) {
      s.complete("flaky", c.token(), Outcome.FAILED, "gave up");
    }

    CliRun.Result r = cli.run("requeue", "flaky");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("requeued flaky: pending again with 3 attempts\n");
    assertThat(cli.queue().resolve("pending/flaky.md")).isRegularFile();
    assertThat(cli.queue().resolve("failed/flaky.md")).doesNotExist();
  }

  @Test
  void requeue_of_a_completed_task_is_a_conflict() {
    cli.run("add", "Done", "-c", "c", "--id", "d");
    Claim c = claim();
    try (TaskStore s = store()) {
      s.complete("d", c.token(), Outcome.DONE, "ok");
    }

    CliRun.Result r = cli.run("requeue", "d");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("taskq: CONFLICT:");
    assertThat(cli.queue().resolve("completed/d.md")).isRegularFile();
  }

  @Test
  void release_ends_a_claim_and_fences_its_holder() {
    cli.run("add", "Stuck", "-c", "c", "--id", "stuck");
    Claim c = claim();

    CliRun.Result r = cli.run("release", "stuck");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("released stuck: back in pending");
    assertThat(cli.queue().resolve("pending/stuck.md")).isRegularFile();
    try (TaskStore s = store()) {
      assertThat(
              org.assertj.core.api.Assertions.catchThrowableOfType(
                  TaskqException.class, () -> s.complete("stuck", c.token(), Outcome.DONE, "late")))
          .extracting(TaskqException::code)
          .isEqualTo(dev.taskq.core.ErrorCode.FENCED);
    }
  }

  @Test
  void release_of_an_unclaimed_task_is_a_conflict() {
    cli.run("add", "Idle", "-c", "c", "--id", "idle");

    CliRun.Result r = cli.run("release", "idle");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("taskq: CONFLICT:");
  }

  @Test
  void no_command_and_unknown_commands_are_usage_errors() {
    CliRun.Result none = cli.run();
    CliRun.Result unknown = cli.run("frobnicate");
    CliRun.Result typo = cli.run("stauts");

    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).startsWith("taskq: missing command: one of ");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("frobnicate");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err().lines()).hasSize(1);
    assertThat(typo.err()).contains("did you mean status?");
  }

  @Test
  void help_and_version_go_to_stdout_with_exit_0() {
    CliRun.Result help = cli.run("--help");
    CliRun.Result subHelp = cli.run("status", "--help");
    CliRun.Result version = cli.run("--version");

    assertThat(help.code()).isZero();
    assertThat(help.out())
        .contains(
            "Usage: taskq",
            "init",
            "status",
            "doctor",
            "Exit codes: 0 success, 1 failure, 2 usage error.");
    assertThat(subHelp.code()).isZero();
    assertThat(subHelp.out()).contains("--watch", "--json");
    assertThat(version.code()).isZero();
    assertThat(version.out()).startsWith("taskq ");
  }

  @Test
  void the_queue_is_dir_then_taskq_dir_then_the_nearest_one_above_the_working_folder()
      throws IOException {
    Path a = tmp.resolve("a");
    Path other = Files.createDirectories(tmp.resolve("other"));
    // A session's CLAUDE_PROJECT_DIR does not move a command: it works where it is run.
    cli.env.put("CLAUDE_PROJECT_DIR", other.toString());
    cli.run("add", "In proj", "-c", "c", "--id", "in-proj");
    cli.env.put("TASKQ_DIR", a.toString());
    cli.run("add", "In a", "-c", "c", "--id", "in-a");
    cli.run("add", "By dir", "-c", "c", "--id", "by-dir", "--dir", cli.queue().toString());

    assertThat(cli.queue().resolve("pending/in-proj.md")).isRegularFile();
    assertThat(a.resolve("pending/in-a.md")).isRegularFile();
    assertThat(cli.queue().resolve("pending/by-dir.md")).isRegularFile();
    assertThat(other.resolve("tasks")).doesNotExist();
  }

  @Test
  void cancel_ends_a_task_in_failed_says_so_and_logs_who_cancelled_it() {
    cli.env.put("USER", "alice");
    cli.run("add", "Write the report", "-c", "c", "--id", "report");
    Claim c = claim();

    CliRun.Result r = cli.run("cancel", "report", "--reason", "superseded");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "cancelled report: in failed, never claimed again; its holder's next call gets"
                + " FENCED\n");
    try (TaskStore s = store()) {
      assertThat(s.get("report").task().outcome()).isEqualTo(Outcome.CANCELLED);
      assertThat(s.tailLog(5))
          .anyMatch(l -> l.contains("CANCELLED: report") && l.contains("by alice: superseded"));
      TaskqException e =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              TaskqException.class, () -> s.complete("report", c.token(), Outcome.DONE, "late"));
      assertThat(e.code()).isEqualTo(dev.taskq.core.ErrorCode.FENCED);
    }
    assertThat(cli.run("show", "report").out()).contains("cancelled by alice: superseded");
  }

  @Test
  void cancel_is_its_own_verb_and_an_unknown_id_says_where_to_look() {
    CliRun.Result r = cli.run("cancel", "nope");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("NOT_FOUND").doesNotContain("did you mean");
  }

  @Test
  void priority_changes_the_claim_order_including_to_a_negative_number() {
    cli.run("add", "First", "-c", "c", "--id", "first", "-p", "5");
    cli.run("add", "Second", "-c", "c", "--id", "second", "-p", "1");

    CliRun.Result up = cli.run("priority", "second", "50");
    CliRun.Result down = cli.run("priority", "first", "-5");

    assertThat(up.code()).as(up.err()).isZero();
    assertThat(up.out()).isEqualTo("priority of second: 1 → 50\n");
    assertThat(down.code()).as(down.err()).isZero();
    assertThat(down.out()).isEqualTo("priority of first: 5 → -5\n");
    assertThat(claim().task().id()).isEqualTo("second");
    assertThat(cli.run("priority", "second", "2000").err()).contains("priority");
  }

  @Test
  void errors_tell_a_person_which_command_to_run_never_a_uri_or_to_call_again() throws IOException {
    cli.run("add", "Audit", "-c", "c", "--id", "audit");

    CliRun.Result pending = cli.run("requeue", "audit");
    CliRun.Result unknown = cli.run("show", "audti");
    CliRun.Result duplicate = cli.run("add", "Again", "-c", "c", "--id", "audit");

    assertThat(pending.err().strip())
        .isEqualTo(
            "taskq: CONFLICT: audit is already pending; see `taskq show audit` for its current"
                + " state and decide again; nothing was changed");
    assertThat(unknown.err().strip())
        .isEqualTo(
            "taskq: NOT_FOUND: no task with id 'audti' in this queue; check the id with `taskq"
                + " status`");
    assertThat(duplicate.err()).contains("see `taskq show audit`");
    for (CliRun.Result r : List.of(pending, unknown, duplicate)) {
      assertThat(r.err()).doesNotContain("taskq://", "call again", "{id}", "claim_next");
    }
  }

  @Test
  void a_lane_no_worker_could_ask_for_is_refused_naming_the_character_and_a_fix() {
    CliRun.Result r = cli.run("add", "T", "-c", "c", "--lane", "Data Base");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("taskq: INVALID_ARGUMENT: lane: ")
        .contains("'D' (character 1 of 9, counting from 1) is not one; try 'data-base'");
    assertThat(cli.queue().resolve("pending")).isEmptyDirectory();
  }

  @Test
  void instructions_come_from_a_file_or_standard_input() throws IOException {
    Path file = cli.project.resolve("notes/brief.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "# Audit\n\nLook at every handler in src/api.\n");

    assertThat(
            cli.run(
                    "add",
                    "From file",
                    "-c",
                    "c",
                    "--id",
                    "f",
                    "--instructions-file",
                    "notes/brief.md")
                .code())
        .isZero();
    cli.stdin = "Piped in.\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(
            cli.run("add", "From stdin", "-c", "c", "--id", "s", "--instructions-file", "-").code())
        .isZero();

    try (var s =
        StoreFactory.open(new StoreConfig(cli.queue(), Duration.ofMinutes(15), cli.clock))) {
      assertThat(s.get("f").task().instructions())
          .isEqualTo("# Audit\n\nLook at every handler in src/api.");
      assertThat(s.get("s").task().instructions()).isEqualTo("Piped in.");
    }
  }

  @Test
  void a_bad_instructions_file_is_one_line_naming_it_and_adds_nothing() throws IOException {
    Files.write(cli.project.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9});
    Files.writeString(cli.project.resolve("huge.txt"), "x".repeat(Limits.INSTRUCTIONS_MAX + 1));

    CliRun.Result missing = cli.run("add", "T", "-c", "c", "--instructions-file", "nope.md");
    CliRun.Result notText = cli.run("add", "T", "-c", "c", "--instructions-file", "latin1.txt");
    CliRun.Result tooLong = cli.run("add", "T", "-c", "c", "--instructions-file", "huge.txt");
    CliRun.Result both =
        cli.run("add", "T", "-c", "c", "-i", "x", "--instructions-file", "latin1.txt");

    assertThat(missing.err())
        .startsWith("taskq: INVALID_ARGUMENT: --instructions-file: no file nope.md (relative to ");
    assertThat(notText.err())
        .startsWith("taskq: INVALID_ARGUMENT: --instructions-file: latin1.txt is not UTF-8 text");
    assertThat(tooLong.err())
        .startsWith(
            "taskq: INVALID_ARGUMENT: instructions: is 64001 characters; the limit is 64000");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("give --instructions or --instructions-file, not both");
    for (CliRun.Result r : List.of(missing, notText, tooLong)) {
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err().lines()).hasSize(1);
    }
    assertThat(cli.queue().resolve("pending")).isEmptyDirectory();
  }

  @Test
  void show_of_a_corrupt_file_says_why_it_cannot_be_read() throws IOException {
    Files.writeString(cli.queue().resolve("pending/broken.md"), "---\nid: [oops\n---\n");
    cli.run("status");

    CliRun.Result r = cli.run("show", "broken");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains("STORE_ERROR: task broken cannot be read: pending/broken.md: ")
        .contains("fix or move " + cli.queue().resolve("pending/broken.md"))
        .doesNotContain("NOT_FOUND");
  }
}

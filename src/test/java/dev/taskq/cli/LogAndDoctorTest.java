package dev.taskq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.ClaimResult;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `taskq log -f` against a log another process appends to, and `taskq doctor`'s findings. */
class LogAndDoctorTest {
  @TempDir Path tmp;
  CliRun cli;

  @BeforeEach
  void setUp() throws IOException {
    cli = new CliRun(Files.createDirectories(tmp.resolve("proj")));
    cli.installed(tmp.resolve("home"));
    assertThat(cli.run("init").code()).isZero();
  }

  @Test
  void log_follow_prints_the_tail_then_each_new_line_once() throws Exception {
    for (int i = 1; i <= 3; i++) {
      cli.run("add", "Task " + i, "-c", "c", "--id", "t" + i);
    }
    StringWriter out = new StringWriter();
    Thread t =
        new Thread(() -> Cli.run(cli.context(out, new StringWriter()), "log", "-n", "2", "-f"));
    t.start();
    waitFor(out, "ENQUEUED: t3");
    cli.run("add", "Task 4", "-c", "c", "--id", "t4");
    cli.run("add", "Task 5", "-c", "c", "--id", "t5");
    waitFor(out, "ENQUEUED: t5");
    t.interrupt();
    t.join(10_000);

    assertThat(t.isAlive()).isFalse();
    assertThat(out.toString().lines().map(l -> l.replaceFirst("^\\S+ ", "")))
        .containsExactly(
            "ENQUEUED: t2 — Task 2",
            "ENQUEUED: t3 — Task 3",
            "ENQUEUED: t4 — Task 4",
            "ENQUEUED: t5 — Task 5");
  }

  @Test
  void log_follow_prints_only_whole_lines() throws Exception {
    Path log = cli.queue().resolve("log.txt");
    Files.writeString(log, "2026-11-24T13:00:00Z LOG: - one\n");
    StringWriter out = new StringWriter();
    Thread t = new Thread(() -> Cli.run(cli.context(out, new StringWriter()), "log", "-f"));
    t.start();
    waitFor(out, "one");
    Files.writeString(
        log, "2026-11-24T13:00:01Z LOG: - tw", java.nio.file.StandardOpenOption.APPEND);
    Thread.sleep(600);
    String partial = out.toString();
    Files.writeString(log, "o\n", java.nio.file.StandardOpenOption.APPEND);
    waitFor(out, "two");
    t.interrupt();
    t.join(10_000);

    assertThat(partial).doesNotContain("tw");
    assertThat(out.toString()).endsWith("LOG: - one\n2026-11-24T13:00:01Z LOG: - two\n");
  }

  @Test
  void doctor_on_a_healthy_queue_exits_0() throws IOException {
    CliRun.Result r = cli.run("doctor");

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("  ok    Java " + Runtime.version().feature())
        .contains("  info  queue " + cli.queue() + "\n")
        .contains("  ok    queue " + cli.queue() + " is writable")
        .contains("  ok    filesystem ")
        .contains("  ok    0 live claim(s), none stale")
        .contains("  ok    no corrupt task files")
        .contains(
            "  ok    `taskq` on PATH is ~/.local/bin/taskq: taskq "
                + dev.taskq.project.TaskqVersion.current()
                + " installed in ~/.local/share/taskq/")
        .contains("  ok    " + cli.project.resolve(".mcp.json") + " starts `taskq serve`")
        .contains("0 problem(s)");
    try (var files = Files.list(cli.queue())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".doctor-"));
    }
  }

  @Test
  void doctor_warns_about_expired_leases_dead_holders_and_corrupt_files() throws Exception {
    cli.run("add", "Expires", "-c", "c", "--id", "expires", "-p", "9");
    cli.run("add", "Orphan", "-c", "c", "--id", "orphan");
    Process dead = new ProcessBuilder("sleep", "30").start();
    try (TaskStore s =
        StoreFactory.open(new StoreConfig(cli.queue(), Duration.ofMinutes(15), cli.clock))) {
      claimed(s.claimNext(ProcessIdentity.current("alive"), null));
      claimed(s.claimNext(ProcessIdentity.of(dead.toHandle(), "gone"), null));
    }
    dead.destroy();
    dead.waitFor();

    CliRun.Result gone = cli.run("doctor");

    assertThat(gone.code()).isZero();
    assertThat(gone.out())
        .contains("  warn  1 claim(s) whose session process is gone: orphan")
        .doesNotContain("past their lease");

    cli.clock.advance(Duration.ofMinutes(16));
    Files.writeString(cli.queue().resolve("pending/broken.md"), "---\nid: [oops\n---\n");

    CliRun.Result expired = cli.run("doctor");

    assertThat(expired.code()).isZero();
    assertThat(expired.out())
        .contains(
            "  warn  2 claim(s) past their lease: expires, orphan (their holders can still finish")
        .contains("warn  corrupt pending/broken.md: ")
        // the stand-in install has no archive
        .contains("warn  start-up archive ~/.cache/taskq/")
        .contains("0 problem(s), 3 warning(s)");
    // the doctor only looks: the claims are still there for their holders (or the next claim)
    assertThat(cli.run("doctor").out()).contains("2 claim(s) past their lease: expires, orphan");
    assertThat(cli.run("status").out()).contains("2 in progress");
  }

  @Test
  void doctor_without_a_queue_fails_with_what_to_do() throws IOException {
    CliRun.Result r = cli.run("doctor", "--dir", tmp.resolve("none").toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("  fail  no queue at " + tmp.resolve("none") + ": run `taskq init`");
    assertThat(tmp.resolve("none")).doesNotExist();
  }

  @Test
  void doctor_fails_when_the_registered_taskq_is_not_on_path() throws IOException {
    cli.env.put("PATH", "/usr/bin:/bin");

    CliRun.Result r = cli.run("doctor");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "  fail  no `taskq` on PATH, and that is what .mcp.json starts: run `./taskq install`"
                + " in a taskq clone, and make sure ~/.local/bin is on PATH");
  }

  @Test
  void doctor_warns_about_a_0_1_0_registration_with_this_machines_paths() throws IOException {
    Files.writeString(
        cli.project.resolve(".mcp.json"),
        """
        {"mcpServers": {"taskq": {"type": "stdio", "command": "/usr/lib/jvm/java-17/bin/java",
          "args": ["-XX:SharedArchiveFile=/p/tasks/.taskq/server.jsa", "-jar", "/src/taskq/target/taskq.jar", "serve"],
          "env": {"TASKQ_DIR": "${CLAUDE_PROJECT_DIR:-.}/tasks"}}}}
        """);
    Path sub = Files.createDirectories(cli.project.resolve("src"));

    CliRun.Result r = new CliRun(sub, cli.jar).withEnv(cli.env).run("doctor");

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains(
            "  warn  "
                + cli.project.resolve(".mcp.json")
                + " starts taskq the 0.1.0 way, with this machine's java and jar paths: a"
                + " teammate's clone cannot start it and a rebuild of that jar breaks it, and its"
                + " TASKQ_DIR gives a session started in a subfolder or a worktree a queue of its"
                + " own; run `taskq init` to register `taskq serve`");
  }

  private static void claimed(ClaimResult r) {
    assertThat(r).isInstanceOf(ClaimResult.Claimed.class);
  }

  private static void waitFor(StringWriter out, String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!out.toString().contains(text) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(out.toString()).contains(text);
  }

  @Test
  void doctor_warns_about_a_task_stuck_behind_a_missing_one() throws Exception {
    Files.writeString(
        cli.queue().resolve("pending/report.md"),
        "---\ntitle: Write the report\nafter: [audit]\n---\n");

    CliRun.Result r = cli.run("doctor");

    assertThat(r.out())
        .contains(
            "  warn  stuck report: waits for audit, which does not exist: add it, or cancel"
                + " report");
  }
}

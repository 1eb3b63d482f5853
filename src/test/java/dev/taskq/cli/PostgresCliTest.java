package dev.taskq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.CheckpointRequest;
import dev.taskq.core.Claim;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.core.Progress;
import dev.taskq.core.QueueQuery;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import dev.taskq.store.postgres.PostgresQueues;
import java.io.IOException;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on a queue in PostgreSQL: init registers the database without its secret, every command
 * works, a machine without TASKQ_DATABASE_URL is told what to set, and the password appears in no
 * output and no file.
 */
class PostgresCliTest {
  private static PostgresQueues queues;

  @TempDir Path tmp;
  private CliRun cli;
  private String queue;

  @BeforeAll
  static void database() {
    queues = PostgresQueues.onSharedServer();
  }

  @BeforeEach
  void setUp() throws IOException {
    cli = new CliRun(Files.createDirectories(tmp.resolve("proj")));
    cli.installed(tmp.resolve("home"));
    queue = queues.fresh();
  }

  @Test
  void init_with_a_database_url_writes_the_settings_and_a_reference_never_the_password()
      throws Exception {
    CliRun.Result r = cli.run("init", "--database-url", queues.url(), "--queue", queue);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(cli.queue().resolve("queue.json")))
        .contains("\"store\": \"postgresql\"")
        .contains("\"queue\": \"" + queue + "\"")
        .contains("\"schema\": \"taskq\"");
    assertThat(Files.readString(cli.project.resolve(".mcp.json")))
        .contains("\"TASKQ_DATABASE_URL\": \"${TASKQ_DATABASE_URL:-}\"");
    assertThat(r.out())
        .contains("connected")
        .contains("reachable, schema ready, 0 task(s)")
        .contains("export TASKQ_DATABASE_URL='postgresql://taskq_app@127.0.0.1:")
        .contains("wrote the password you gave nowhere");
    assertThat(cli.queue().resolve("pending")).doesNotExist();
    assertNoPassword(r.out() + r.err());
    assertNoPasswordInFiles(cli.project);
  }

  @Test
  void a_local_registration_line_carries_no_database_url_the_server_inherits_it() throws Exception {
    CliRun.Result r =
        cli.run("init", "--scope", "local", "--database-url", queues.url(), "--queue", queue);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("claude mcp add taskq --scope local -- taskq serve")
        .doesNotContain("TASKQ_DATABASE_URL=$");
    assertThat(cli.project.resolve(".mcp.json")).doesNotExist();
    assertThat(cli.queue().resolve("queue.json")).exists();
  }

  @Test
  void every_command_works_on_the_database_and_no_output_shows_the_password() throws Exception {
    assertThat(cli.run("init", "--database-url", queues.url(), "--queue", queue).code()).isZero();
    cli.env.put("TASKQ_DATABASE_URL", queues.url());

    List<CliRun.Result> results =
        List.of(
            cli.run("add", "Audit users", "-c", "all listed", "--id", "audit"),
            cli.run("add", "Report", "-c", "written", "--id", "report", "--after", "audit"),
            cli.run("status"),
            cli.run("status", "--json"),
            cli.run("show", "report"),
            cli.run("show", "audit", "--json"),
            cli.run("priority", "audit", "5"),
            cli.run("log", "-n", "5"),
            cli.run("cancel", "report", "--reason", "not needed"),
            cli.run("requeue", "report"),
            cli.run("doctor"));

    for (CliRun.Result r : results) {
      assertThat(r.code()).as(r.out() + r.err()).isZero();
      assertNoPassword(r.out() + r.err());
    }
    assertThat(results.get(2).out()).contains("audit").contains("report");
    assertThat(results.get(3).out()).contains("\"pending\"");
    assertThat(results.get(4).out()).contains("still waiting for audit").doesNotContain(".md");
    assertThat(results.get(5).out()).contains("\"id\": \"audit\"").doesNotContain("\"file\"");
    assertThat(results.get(7).out()).contains("ENQUEUED: audit — Audit users");
    assertThat(results.get(10).out())
        .contains("queue kept in PostgreSQL postgresql://taskq_app:***@127.0.0.1:")
        .contains("database reachable, schema ready; 2 task(s) in the queue");
  }

  @Test
  void without_the_variable_a_database_project_says_what_to_set_and_never_uses_files()
      throws Exception {
    assertThat(cli.run("init", "--database-url", queues.url(), "--queue", queue).code()).isZero();

    CliRun.Result status = cli.run("status");
    CliRun.Result add = cli.run("add", "Task", "-c", "c");
    CliRun.Result doctor = cli.run("doctor");

    assertThat(status.code()).isEqualTo(1);
    assertThat(status.err().strip().lines()).hasSize(1);
    assertThat(status.err()).contains("TASKQ_DATABASE_URL is not set");
    assertThat(add.code()).isEqualTo(1);
    assertThat(cli.queue().resolve("pending")).doesNotExist();
    assertThat(doctor.code()).isEqualTo(1);
    assertThat(doctor.out()).contains("fail").contains("TASKQ_DATABASE_URL");
  }

  @Test
  void an_unreachable_database_fails_init_and_writes_nothing() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    CliRun.Result r =
        cli.run("init", "--database-url", "postgresql://ann:s3cret@127.0.0.1:" + closed + "/app");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("database unreachable").doesNotContain("s3cret");
    assertThat(cli.project.resolve(".mcp.json")).doesNotExist();
    assertThat(cli.queue().resolve("queue.json")).doesNotExist();
  }

  @Test
  void log_follow_prints_each_new_line_once_from_the_database() throws Exception {
    assertThat(cli.run("init", "--database-url", queues.url(), "--queue", queue).code()).isZero();
    cli.env.put("TASKQ_DATABASE_URL", queues.url());
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
  void doctor_warns_when_mcp_json_holds_a_database_password() throws Exception {
    assertThat(cli.run("init", "--database-url", queues.url(), "--queue", queue).code()).isZero();
    cli.env.put("TASKQ_DATABASE_URL", queues.url());
    Path mcp = cli.project.resolve(".mcp.json");
    Files.writeString(
        mcp,
        Files.readString(mcp)
            .replace("${TASKQ_DATABASE_URL:-}", "postgresql://ann:hunter2@db.example/work"));

    CliRun.Result r = cli.run("doctor");

    assertThat(r.out())
        .contains("warn")
        .contains(".mcp.json holds a database URL with a password")
        .doesNotContain("hunter2");
  }

  @Test
  void import_moves_a_file_queue_in_all_or_nothing_and_export_writes_one_the_file_store_opens()
      throws Exception {
    Path files = Files.createDirectories(tmp.resolve("old/tasks"));
    String doneToken;
    try (TaskStore old = StoreFactory.open(StoreConfig.of(files))) {
      old.enqueue(
          List.of(
              NewTask.of("Audit users", "all listed"),
              new NewTask(
                  "report", "Report", "written", "Use the audit.", null, 2, null, 3, null)));
      Claim c = ((ClaimResult.Claimed) old.claimNext(ProcessIdentity.current("old"), null)).claim();
      doneToken = c.token();
      old.writeCheckpoint(
          new CheckpointRequest(c.task().id(), c.token(), "half", new Progress(1, 2), "f", "n"));
      old.complete(c.task().id(), c.token(), Outcome.DONE, "the result");
    }
    assertThat(cli.run("init", "--database-url", queues.url(), "--queue", queue).code()).isZero();
    cli.env.put("TASKQ_DATABASE_URL", queues.url());

    CliRun.Result imported = cli.run("import", files.toString());
    CliRun.Result again = cli.run("import", files.toString());
    CliRun.Result shown = cli.run("show", "report", "--json");
    CliRun.Result log = cli.run("log", "-n", "20");
    CliRun.Result exported = cli.run("export", tmp.resolve("out").toString());
    CliRun.Result refused = cli.run("export", tmp.resolve("out").toString());

    assertThat(imported.code()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("imported 2 task(s), 1 checkpoint(s)");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("already holds 2 task(s)");
    assertThat(shown.out()).contains("\"state\": \"completed\"").contains("the result");
    assertThat(log.out()).contains("DONE: report").contains("IMPORTED: -");
    assertThat(exported.code()).as(exported.err()).isZero();
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("not empty");
    try (TaskStore back = StoreFactory.open(StoreConfig.of(tmp.resolve("out")));
        TaskStore old = StoreFactory.open(StoreConfig.of(files))) {
      assertThat(back.get("report")).isEqualTo(old.get("report"));
      assertThat(back.list(QueueQuery.firstPage(10)).total()).isEqualTo(2);
      assertThat(back.tailLog(100)).containsAll(old.tailLog(100));
    }
    assertThat(doneToken).isNotBlank();
  }

  private static void waitFor(StringWriter out, String text) throws InterruptedException {
    long end = System.nanoTime() + 30_000_000_000L;
    while (!out.toString().contains(text)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("no \"" + text + "\" in 30 s; printed: " + out);
      }
      Thread.sleep(20);
    }
  }

  private void assertNoPassword(String text) {
    assertThat(text).doesNotContain(queues.server().appPassword());
  }

  private void assertNoPasswordInFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f))
            .as(f.toString())
            .doesNotContain(queues.server().appPassword());
      }
    }
  }
}

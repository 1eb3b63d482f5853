package dev.taskq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.CheckpointRequest;
import dev.taskq.core.Claim;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.Holder;
import dev.taskq.core.Limits;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.core.Progress;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** `taskq status` on a real queue holding every state, a blocked task and a corrupt file. */
class StatusCommandTest {
  @TempDir Path tmp;
  CliRun cli;
  Holder holder = ProcessIdentity.current("session-one");

  @BeforeEach
  void fillQueue() throws IOException {
    cli = new CliRun(Files.createDirectories(tmp.resolve("proj")));
    try (TaskStore store =
        StoreFactory.open(new StoreConfig(cli.queue(), Duration.ofMinutes(15), cli.clock))) {
      store.enqueue(
          List.of(
              task("db-audit", "Audit N+1 queries", 5, List.of()),
              task("api-audit", "Audit the API handlers", 4, List.of()),
              task("done-one", "Rename the config keys", 3, List.of()),
              task("doomed", "Port the legacy importer", 2, List.of()),
              task("users-audit", "Audit users table", 0, List.of()),
              task("report", "Write the audit report", 0, List.of("db-audit", "api-audit"))));
      Claim db = claim(store);
      store.writeCheckpoint(
          new CheckpointRequest(
              db.task().id(),
              db.token(),
              "60 files done",
              new Progress(60, 180),
              null,
              "payment.js"));
      Claim api = claim(store);
      Claim done = claim(store);
      store.complete(done.task().id(), done.token(), Outcome.DONE, "renamed 14 keys");
      Claim doomed = claim(store);
      store.complete(doomed.task().id(), doomed.token(), Outcome.FAILED, "the importer needs a DB");
      assertThat(List.of(db, api).stream().map(c -> c.task().id()))
          .containsExactly("db-audit", "api-audit");
    }
    Files.writeString(
        cli.queue().resolve("pending/broken.md"), "---\nid: [not closed\n---\nbody\n");
    cli.clock.advance(Duration.ofMinutes(5));
  }

  private static NewTask task(String id, String title, int priority, List<String> after) {
    return new NewTask(
        id,
        title,
        "criterion of " + id,
        null,
        null,
        priority,
        after,
        Limits.DEFAULT_MAX_ATTEMPTS,
        null);
  }

  private Claim claim(TaskStore store) {
    return ((ClaimResult.Claimed) store.claimNext(holder, null)).claim();
  }

  /** An in-progress task's two lines (id and title, then the details under the title) as one. */
  private static String claimed(String out, String id) {
    List<String> lines = out.lines().toList();
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (lines.get(i).startsWith("  " + id + " ")) {
        return lines.get(i) + "\n" + lines.get(i + 1);
      }
    }
    return "<no line for " + id + ">";
  }

  private static String line(String out, String id) {
    return out.lines()
        .filter(l -> l.startsWith("  " + id + " "))
        .findFirst()
        .orElse("<no line for " + id + ">");
  }

  @Test
  void a_usage_limit_of_a_session_holding_a_task_is_shown_until_the_task_progresses() {
    try (TaskStore store =
        StoreFactory.open(new StoreConfig(cli.queue(), Duration.ofMinutes(15), cli.clock))) {
      store.noteUsageLimit("api-audit", "You've hit your 5-hour limit · resets 6:24am (UTC)");
      cli.clock.advance(Duration.ofMinutes(3));

      CliRun.Result r = cli.run("status");
      CliRun.Result json = cli.run("status", "--json");

      String limit =
          "LIMIT: "
              + holder.label()
              + " hit a usage limit while holding api-audit (You've hit your 5-hour limit ·"
              + " resets 6:24am (UTC)), 3m00s ago";
      List<String> lines = r.out().lines().toList();
      int api = lines.indexOf(claimed(r.out(), "api-audit").lines().findFirst().orElseThrow());
      assertThat(limit).startsWith(lines.get(api + 2).strip().replace("…", ""));
      assertThat(r.out()).containsOnlyOnce("LIMIT:");
      JsonNode row =
          JsonText.MAPPER
              .readTree(json.out())
              .path("in_progress")
              .valueStream()
              .filter(n -> n.path("id").asString().equals("api-audit"))
              .findFirst()
              .orElseThrow();
      assertThat(row.path("usage_limit").asString()).isEqualTo(limit.substring(7));

      String token = store.get("api-audit").task().lease().token();
      store.writeCheckpoint(
          new CheckpointRequest("api-audit", token, "back at it", null, null, null));
      assertThat(cli.run("status").out()).doesNotContain("LIMIT:");
    }
  }

  @Test
  void status_shows_counts_progress_lease_blockers_failures_and_corrupt_files() {
    CliRun.Result r = cli.run("status");

    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    String out = r.out();
    assertThat(out.lines().findFirst().orElseThrow())
        .isEqualTo("taskq  " + cli.queue() + "  2026-11-24 13:05:00 UTC");
    assertThat(out)
        .contains("2 in progress · 2 pending (1 blocked) · 1 completed · 1 failed · 1 corrupt");
    // 60/180 is a third: 5 of 16 cells filled; the lease had 15 minutes and 5 have passed.
    String db = claimed(out, "db-audit");
    assertThat(db.lines().findFirst().orElseThrow()).matches("  db-audit +Audit N\\+1 queries");
    int titleColumn = db.indexOf("Audit N+1");
    assertThat(db.lines().skip(1).findFirst().orElseThrow())
        .isEqualTo(
            " ".repeat(titleColumn)
                + "█████░░░░░░░░░░░  33% 60/180  attempt 1/3  lease 10m00s  "
                + holder.label());
    assertThat(claimed(out, "api-audit"))
        .contains("no checkpoint yet", "attempt 1/3", "lease 10m00s");
    assertThat(line(out, "users-audit")).endsWith("Audit users table");
    assertThat(line(out, "report")).contains("waits for db-audit, api-audit");
    assertThat(line(out, "doomed"))
        .contains(
            "attempt 1/3",
            "Port the legacy importer — failed by its holder: the importer needs a DB");
    assertThat(line(out, "pending/broken.md")).isNotEqualTo("<no line for pending/broken.md>");
    assertThat(line(out, "done-one")).endsWith("Rename the config keys");
    assertThat(out.indexOf("In progress")).isLessThan(out.indexOf("Pending"));
    assertThat(out.indexOf("Blocked")).isLessThan(out.indexOf("Failed"));
    assertThat(out).doesNotContain("\u001b[");
  }

  @Test
  void status_json_carries_the_same_facts_for_scripts() {
    CliRun.Result r = cli.run("status", "--json");

    assertThat(r.code()).isZero();
    JsonNode j = JsonText.MAPPER.readTree(r.out());
    assertThat(j.path("counts").path("in_progress").asInt()).isEqualTo(2);
    assertThat(j.path("counts").has("in-progress")).as("one name per state").isFalse();
    assertThat(j.path("in_progress").get(0).path("state").asText()).isEqualTo("in_progress");
    assertThat(j.path("counts").path("pending").asInt()).isEqualTo(2);
    assertThat(j.path("counts").path("blocked").asInt()).isEqualTo(1);
    assertThat(j.path("counts").path("completed").asInt()).isEqualTo(1);
    assertThat(j.path("counts").path("failed").asInt()).isEqualTo(1);
    JsonNode db =
        j.path("in_progress")
            .valueStream()
            .filter(n -> n.path("id").asString().equals("db-audit"))
            .findFirst()
            .orElseThrow();
    assertThat(db.path("progress").path("done").asLong()).isEqualTo(60);
    assertThat(db.path("progress").path("total").asLong()).isEqualTo(180);
    assertThat(db.path("lease_left_seconds").asLong()).isEqualTo(600);
    assertThat(db.path("holder").asString()).isEqualTo(holder.label());
    assertThat(j.path("blocked").get(0).path("blocked_by").toString())
        .isEqualTo("[\"db-audit\",\"api-audit\"]");
    assertThat(j.path("failed").get(0).path("reason").asString())
        .isEqualTo("failed by its holder: the importer needs a DB");
    assertThat(j.path("corrupt").get(0).path("path").asString()).isEqualTo("pending/broken.md");
    assertThat(j.path("corrupt").get(0).path("reason").asString()).isNotBlank();
  }

  @Test
  void an_expired_lease_shows_as_lease_expired_and_status_leaves_the_claim_alone()
      throws IOException {
    cli.clock.advance(Duration.ofMinutes(11));

    CliRun.Result r = cli.run("status");

    assertThat(r.out()).contains("2 in progress · 2 pending (1 blocked)");
    assertThat(r.out()).contains("lease expired");
    assertThat(cli.run("status").out()).contains("2 in progress · 2 pending (1 blocked)");
    assertThat(cli.run("status", "--json").out()).contains("\"claim_ended\" : \"lease expired\"");
  }

  @Test
  void colour_only_on_a_terminal_and_never_with_no_color() {
    cli.tty = true;
    assertThat(cli.run("status").out()).contains("\u001b[1mIn progress\u001b[0m");

    cli.env.put("NO_COLOR", "1");
    assertThat(cli.run("status").out()).doesNotContain("\u001b[");
  }

  @Test
  void limit_cuts_each_section_and_says_how_many_more() {
    CliRun.Result r = cli.run("status", "--limit", "1");

    String inProgress =
        r.out().substring(r.out().indexOf("In progress"), r.out().indexOf("Pending"));
    assertThat(inProgress.lines().filter(l -> l.contains("attempt 1/3"))).hasSize(1);
    assertThat(inProgress).contains("  … and 1 more");
  }

  @Test
  void watch_redraws_until_interrupted() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int[] code = {-1};
    Thread t =
        new Thread(
            () -> code[0] = Cli.run(cli.context(out, err), "status", "--watch", "--interval", "1"));
    t.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (count(out, "in progress ·") < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    t.interrupt();
    t.join(10_000);

    assertThat(t.isAlive()).isFalse();
    assertThat(code[0]).isZero();
    assertThat(count(out, "in progress ·")).isGreaterThanOrEqualTo(2);
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void watch_on_a_terminal_redraws_in_place() throws Exception {
    cli.tty = true;
    cli.env.put("NO_COLOR", "1");
    StringWriter out = new StringWriter();
    Thread t =
        new Thread(
            () -> Cli.run(cli.context(out, new StringWriter()), "status", "-w", "--interval", "1"));
    t.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (count(out, "\u001b[H") < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    t.interrupt();
    t.join(10_000);

    assertThat(out.toString())
        .startsWith("\u001b[2J\u001b[H")
        .contains("\u001b[K\n")
        .contains("\u001b[J");
  }

  @Test
  void status_without_a_queue_is_one_clear_error() throws IOException {
    CliRun.Result r = cli.run("status", "--dir", tmp.resolve("nowhere").toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip())
        .isEqualTo(
            "taskq: NOT_FOUND: no queue at "
                + tmp.resolve("nowhere")
                + " (named by --dir); run `taskq init` in your project, or fix --dir");
    assertThat(tmp.resolve("nowhere")).doesNotExist();
  }

  private static int count(StringWriter w, String needle) {
    String s;
    synchronized (w.getBuffer()) {
      s = w.toString();
    }
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void a_task_stuck_behind_a_failed_one_is_shown_as_stuck_with_what_to_do() throws IOException {
    try (TaskStore store =
        StoreFactory.open(new StoreConfig(cli.queue(), Duration.ofMinutes(15), cli.clock))) {
      store.enqueue(task("import-report", "Report on the import", 0, List.of("doomed")));
    }

    CliRun.Result r = cli.run("status");

    assertThat(line(r.out(), "import-report"))
        .contains("STUCK: waits for doomed, which failed: requeue doomed or cancel import-report");
    assertThat(cli.run("status", "--json").out())
        .contains(
            "\"stuck\" : \"waits for doomed, which failed: requeue doomed or cancel"
                + " import-report\"");
    assertThat(cli.run("show", "import-report").out()).contains("STUCK: waits for doomed");
  }
}

package dev.taskq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.CheckpointRequest;
import dev.taskq.core.Claim;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.Progress;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code taskq show --json} and {@code taskq status --lane}. */
class ShowJsonTest {
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

  @Test
  void show_json_gives_a_claimed_task_with_its_checkpoints_and_never_the_token() {
    cli.run("add", "Audit users", "-c", "every user listed", "--id", "users", "--lane", "db");
    cli.run("add", "Report", "-c", "written", "--id", "report", "--after", "users");
    String token;
    try (TaskStore s = store()) {
      Claim c = ((ClaimResult.Claimed) s.claimNext(ProcessIdentity.current("w1"), "db")).claim();
      token = c.token();
      s.writeCheckpoint(
          new CheckpointRequest(
              "users", token, "scanned a-m", new Progress(13, 26), "2 admins", "n-z"));
    }

    CliRun.Result r = cli.run("show", "users", "--json");
    CliRun.Result blocked = cli.run("show", "report", "--json");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).doesNotContain(token);
    JsonNode j = JsonText.MAPPER.readTree(r.out());
    assertThat(j.path("id").asString()).isEqualTo("users");
    assertThat(j.path("state").asString()).isEqualTo("in_progress");
    assertThat(j.path("lane").asString()).isEqualTo("db");
    assertThat(j.path("attempt").asInt()).isEqualTo(1);
    assertThat(j.path("holder").asString()).startsWith("w1@");
    assertThat(j.path("lease_left_seconds").asLong()).isEqualTo(900);
    assertThat(j.path("progress").path("percent").asInt()).isEqualTo(50);
    assertThat(j.path("file").asString())
        .isEqualTo(cli.queue().resolve("in-progress/users.md").toAbsolutePath().toString());
    JsonNode cp = j.path("checkpoints").get(0);
    assertThat(cp.path("n").asInt()).isEqualTo(1);
    assertThat(cp.path("summary").asString()).isEqualTo("scanned a-m");
    assertThat(cp.path("findings").asString()).isEqualTo("2 admins");
    assertThat(cp.path("next").asString()).isEqualTo("n-z");
    JsonNode b = JsonText.MAPPER.readTree(blocked.out());
    assertThat(b.path("state").asString()).isEqualTo("pending");
    assertThat(b.path("blocked_by").get(0).asString()).isEqualTo("users");
  }

  @Test
  void status_lane_shows_and_counts_only_that_lanes_tasks() {
    cli.run("add", "Audit users", "-c", "c", "--id", "db-1", "--lane", "db");
    cli.run("add", "Audit orders", "-c", "c", "--id", "db-2", "--lane", "db", "--after", "db-1");
    cli.run("add", "Fix CSS", "-c", "c", "--id", "ui-1", "--lane", "ui");

    CliRun.Result text = cli.run("status", "--lane", "db");
    CliRun.Result json = cli.run("status", "--lane", "db", "--json");
    CliRun.Result none = cli.run("status", "--lane", "api");

    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out().lines().findFirst().orElseThrow()).contains("lane db");
    assertThat(text.out())
        .contains("0 in progress · 2 pending (1 blocked) · 0 completed · 0 failed")
        .contains("db-1")
        .contains("db-2")
        .doesNotContain("ui-1");
    JsonNode j = JsonText.MAPPER.readTree(json.out());
    assertThat(j.path("lane").asString()).isEqualTo("db");
    assertThat(j.path("counts").path("pending").asInt()).isEqualTo(2);
    assertThat(j.path("counts").path("blocked").asInt()).isEqualTo(1);
    assertThat(j.path("pending").get(0).path("id").asString()).isEqualTo("db-1");
    assertThat(j.path("blocked").get(0).path("id").asString()).isEqualTo("db-2");
    assertThat(none.out()).contains("No tasks in lane api.");
  }
}

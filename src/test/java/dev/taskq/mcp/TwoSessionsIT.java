package dev.taskq.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two spawned servers on one queue, as two Claude Code sessions would run them. */
class TwoSessionsIT {
  static final int TASKS = 40;

  @TempDir Path dir;

  @Test
  void two_servers_claiming_at_once_never_get_the_same_task() throws Exception {
    Path queue = dir.resolve("tasks");
    try (WireClient a = WireClient.spawn(env(queue, "session-a"), dir);
        WireClient b = WireClient.spawn(env(queue, "session-b"), dir)) {
      a.initialize();
      b.initialize();
      List<Map<String, Object>> tasks = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) {
        tasks.add(ToolsTest.task(String.format("t%02d", i), "Task " + i));
      }
      assertThat(a.tool("enqueue_task", Map.of("tasks", tasks))).startsWith("Enqueued " + TASKS);
      b.tool("append_log", Map.of("message", "session-b opens the queue before the race"));

      CompletableFuture<List<String>> byA = CompletableFuture.supplyAsync(() -> drain(a));
      CompletableFuture<List<String>> byB = CompletableFuture.supplyAsync(() -> drain(b));
      List<String> all = new ArrayList<>(byA.get());
      all.addAll(byB.get());
      Collections.sort(all);
      assertThat(all).hasSize(TASKS).doesNotHaveDuplicates();
      System.out.println("claims: a=" + byA.get().size() + " b=" + byB.get().size());
      assertThat(a.closeInput()).isZero();
      assertThat(b.closeInput()).isZero();
    }
    List<String> log = Files.readAllLines(queue.resolve("log.txt"));
    assertThat(log.stream().filter(l -> l.contains(" DONE: "))).hasSize(TASKS);
    assertThat(log.stream().filter(l -> l.contains(" CLAIMED: "))).hasSize(TASKS);
  }

  @Test
  void a_claim_of_a_server_whose_stdin_closes_goes_back_to_pending() throws Exception {
    handsItsClaimBackWhenStopped(a -> assertThat(a.closeInput()).isZero());
  }

  @Test
  void a_claim_of_a_server_stopped_by_sigterm_goes_back_to_pending_without_using_an_attempt()
      throws Exception {
    handsItsClaimBackWhenStopped(
        a -> {
          a.process().destroy(); // SIGTERM, as when a session is ended from outside
          assertThat(a.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
        });
  }

  interface Stop {
    void stop(WireClient server) throws Exception;
  }

  /**
   * Session a claims the only task and is stopped; session b then gets it at attempt 1 again: the
   * claim was handed back, not left to expire.
   */
  private void handsItsClaimBackWhenStopped(Stop stop) throws Exception {
    Path queue = dir.resolve("tasks");
    try (WireClient a = WireClient.spawn(env(queue, "session-a"), dir);
        WireClient b = WireClient.spawn(env(queue, "session-b"), dir)) {
      a.initialize();
      b.initialize();
      a.tool("enqueue_task", Map.of("tasks", List.of(ToolsTest.task("only", "Only task"))));
      assertThat(a.tool("claim_next", Map.of())).startsWith("Claimed task only (attempt 1 of 3)");
      assertThat(b.tool("claim_next", Map.of())).startsWith("Nothing to claim: 1 in progress");

      stop.stop(a);

      assertThat(b.tool("claim_next", Map.of())).startsWith("Claimed task only (attempt 1 of 3)");
    }
    assertThat(Files.readString(queue.resolve("log.txt"))).contains("RELEASED: only");
  }

  static Map<String, String> env(Path queue, String session) {
    return Map.of("TASKQ_DIR", queue.toString(), "CLAUDE_CODE_SESSION_ID", session);
  }

  static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static List<String> drain(WireClient c) {
    List<String> mine = new ArrayList<>();
    while (true) {
      String packet = c.tool("claim_next", Map.of());
      if (packet.startsWith("Nothing to claim")) {
        if (packet.contains("in progress")) {
          pause(); // the other session still works; its tasks cannot come back to us
          continue;
        }
        return mine;
      }
      String id = packet.substring("Claimed task ".length(), packet.indexOf(" (attempt"));
      mine.add(id);
      String done =
          c.tool(
              "complete_task",
              Map.of(
                  "id", id, "token", ToolsTest.token(packet), "outcome", "done", "result", "ok"));
      assertThat(done).startsWith("Completed " + id);
    }
  }
}

package dev.taskq.mcp;

import static dev.taskq.mcp.ToolsTest.task;
import static dev.taskq.mcp.ToolsTest.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.Task;
import dev.taskq.core.TaskState;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShutdownTest {
  @TempDir Path dir;

  @Test
  void claims_held_when_stdin_ends_go_back_to_pending_without_using_an_attempt() throws Exception {
    Path queue = dir.resolve("tasks");
    WireClient client =
        WireClient.start(Map.of("TASKQ_DIR", queue.toString()), dir, Clock.systemUTC());
    client.initialize();
    client.tool("enqueue_task", Map.of("tasks", List.of(task("a", "A"), task("b", "B"))));
    token(client.tool("claim_next", Map.of()));
    token(client.tool("claim_next", Map.of()));
    assertThat(client.closeInput()).isZero();

    try (TaskStore store = StoreFactory.open(StoreConfig.of(queue))) {
      for (String id : List.of("a", "b")) {
        Task t = store.get(id).task();
        assertThat(t.state()).as(id).isEqualTo(TaskState.PENDING);
        assertThat(t.attempt()).as(id).isZero();
      }
    }
    assertThat(Files.readString(queue.resolve("log.txt"))).contains("RELEASED: a", "RELEASED: b");
  }

  @Test
  void a_session_that_never_touched_the_queue_creates_no_queue_folder() throws Exception {
    Path queue = dir.resolve("tasks");
    try (WireClient client =
        WireClient.start(Map.of("TASKQ_DIR", queue.toString()), dir, Clock.systemUTC())) {
      client.initialize();
      client.result("tools/list", null);
      assertThat(client.closeInput()).isZero();
    }
    assertThat(queue).doesNotExist();
  }
}

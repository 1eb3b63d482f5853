package dev.taskq.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.bench.McpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server over stdio ({@code java -jar taskq.jar serve}) with TASKQ_DATABASE_URL: it
 * answers initialize without touching the network, and a session's every reply and resource reads
 * the same as on the file store (instants, tokens and pids aside). Its stderr never shows the
 * password.
 */
class PostgresServeIT {
  @TempDir Path root;

  @Test
  void a_session_reads_the_same_on_postgresql_as_on_files_and_connects_only_after_initialize()
      throws Exception {
    PostgresQueues queues = PostgresQueues.onSharedServer();
    String queue = queues.fresh();
    Path pgTasks = Files.createDirectories(root.resolve("pg/tasks"));
    Path fileTasks = Files.createDirectories(root.resolve("files/tasks"));
    Map<String, String> pgEnv = new HashMap<>(base(pgTasks));
    pgEnv.put("TASKQ_DATABASE_URL", queues.url());
    pgEnv.put("TASKQ_QUEUE", queue);

    List<String> onFiles;
    try (McpClient c = McpClient.spawn(command(), base(fileTasks), root.resolve("files.err"))) {
      c.initialize();
      onFiles = session(c);
    }
    List<String> onPostgres;
    int connectionsAfterInitialize;
    int connectionsAfterSession;
    try (McpClient c = McpClient.spawn(command(), pgEnv, root.resolve("pg.err"))) {
      c.initialize();
      connectionsAfterInitialize = connections(queues, c.pid());
      onPostgres = session(c);
      connectionsAfterSession = connections(queues, c.pid());
    }

    assertThat(connectionsAfterInitialize).as("connections before the first tool call").isZero();
    assertThat(connectionsAfterSession).as("connections of one server").isBetween(1, 5);
    assertThat(normalized(onPostgres)).isEqualTo(normalized(onFiles));
    assertThat(Files.readString(root.resolve("pg.err")))
        .doesNotContain(queues.server().appPassword());
    System.out.println("one server's connections after a session: " + connectionsAfterSession);
  }

  /** A session's calls; returns every reply and resource text, in order. */
  private static List<String> session(McpClient c) throws Exception {
    List<String> out = new ArrayList<>();
    out.add(
        c.tool(
            "enqueue_task",
            Map.of(
                "tasks",
                List.of(
                    Map.of(
                        "id", "audit",
                        "title", "Audit the users table",
                        "criterion", "every column listed",
                        "instructions", "Read db/schema.sql; list columns.",
                        "lane", "db"),
                    Map.of(
                        "id",
                        "report",
                        "title",
                        "Write the report",
                        "criterion",
                        "a page",
                        "after",
                        List.of("audit"))))));
    out.add(c.readResource("taskq://queue"));
    String claim = c.tool("claim_next", Map.of());
    out.add(claim);
    String[] it = McpClient.idAndToken(claim);
    out.add(
        c.tool(
            "write_checkpoint",
            Map.of(
                "id",
                it[0],
                "token",
                it[1],
                "summary",
                "Read 3 of 9 tables",
                "progress",
                Map.of("done", 3, "total", 9),
                "findings",
                "users.email not unique",
                "next",
                "orders next")));
    out.add(c.tool("append_log", Map.of("message", "halfway", "id", it[0], "token", it[1])));
    out.add(c.readResource("taskq://tasks/audit"));
    out.add(c.tool("claim_next", Map.of()));
    out.add(
        c.tool(
            "complete_task",
            Map.of("id", it[0], "token", it[1], "outcome", "done", "result", "9 tables listed")));
    out.add(c.readResource("taskq://tasks/audit"));
    out.add(c.readResource("taskq://tasks/report"));
    out.add(c.readResource("taskq://log"));
    return out;
  }

  /** Without what differs by nature: instants, tokens, pids, the temp folders, durations. */
  private static List<String> normalized(List<String> texts) {
    List<String> out = new ArrayList<>();
    for (String t : texts) {
      out.add(
          t.replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", "<instant>")
              .replaceAll("(?m)^token: \\S+$", "token: <token>")
              .replaceAll("\"[a-z2-9]{16}\"", "<token>")
              .replaceAll("#\\d+", "#<pid>")
              .replaceAll("/tmp/\\S*?/(pg|files)/tasks", "<queue>")
              .replaceAll("\\d+m ?\\d*s?|\\d+s", "<duration>"));
    }
    return out;
  }

  private static int connections(PostgresQueues queues, long pid) throws Exception {
    try (Connection c = queues.server().admin("postgres");
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE ?")) {
      ps.setString(1, "taskq " + pid + "%");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static Map<String, String> base(Path tasks) {
    return Map.of("TASKQ_DIR", tasks.toString(), "CLAUDE_CODE_SESSION_ID", "serve-it-session");
  }

  private static List<String> command() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar",
        System.getProperty("taskq.jar", "target/taskq.jar"),
        "serve");
  }
}

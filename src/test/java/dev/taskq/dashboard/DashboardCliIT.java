package dev.taskq.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code taskq dashboard} from the built jar: what it prints, and what it refuses. */
class DashboardCliIT {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  Run taskq(String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(DashboardProcess.java(), "-jar", DashboardProcess.jar().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().remove("TASKQ_DIR");
    pb.environment().remove("CLAUDE_PROJECT_DIR");
    pb.environment().put("HOME", dir.toString());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, err);
  }

  Path queue() {
    Path q = dir.resolve("tasks");
    try (TaskStore s = StoreFactory.open(StoreConfig.of(q))) {
      return q;
    }
  }

  @Test
  void it_prints_a_loopback_url_with_a_long_random_secret_and_keeps_it_out_of_stderr()
      throws IOException {
    Path q = queue();
    try (DashboardProcess a = DashboardProcess.start(q, dir);
        DashboardProcess b = DashboardProcess.start(q, dir)) {
      assertThat(a.stdout.get(0)).isEqualTo("taskq dashboard for " + q);
      assertThat(a.url).matches("http://127\\.0\\.0\\.1:\\d+/\\?token=[A-Za-z0-9_-]{43}");
      assertThat(b.port()).isNotEqualTo(a.port());
      assertThat(b.token()).isNotEqualTo(a.token());
      assertThat(a.stderr()).doesNotContain(a.token());
    }
  }

  @Test
  void without_a_queue_it_says_so_and_starts_nothing() throws Exception {
    Run r = taskq("dashboard", "--no-open", "--dir", dir.resolve("nope").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("taskq: NOT_FOUND: no queue at ");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void a_port_in_use_is_a_clear_error_naming_the_option() throws Exception {
    Path q = queue();
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      Run r =
          taskq(
              "dashboard",
              "--no-open",
              "--dir",
              q.toString(),
              "--port",
              String.valueOf(taken.getLocalPort()));
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err())
          .startsWith("taskq: INVALID_ARGUMENT: --port: cannot listen on 127.0.0.1:")
          .contains("leave --port out for a free port");
    }
  }

  @Test
  void bind_is_the_only_way_off_loopback_and_prints_a_warning() throws IOException {
    Path q = queue();
    // 0.0.0.0 only listens; this test sends nothing to any address but 127.0.0.1.
    try (DashboardProcess d = DashboardProcess.start(q, dir, "--bind", "0.0.0.0")) {
      String err = waitForStderr(d, "WARNING");
      assertThat(err)
          .contains("taskq dashboard: WARNING: listening on 0.0.0.0 port " + d.port())
          .contains("not only on this machine")
          .doesNotContain(d.token());
      RawHttp.Response r =
          RawHttp.send(
              d.port(),
              "GET",
              "/api/board?token=" + d.token(),
              java.util.Map.of("Host", "127.0.0.1:" + d.port()),
              null);
      assertThat(r.status()).isEqualTo(200);
    }
  }

  @Test
  void serve_never_loads_the_dashboard_or_an_http_server() throws Exception {
    Path q = queue();
    Path classes = dir.resolve("classes.log");
    try (dev.taskq.bench.McpClient session =
        dev.taskq.bench.McpClient.spawn(
            List.of(
                DashboardProcess.java(),
                "-Xlog:class+load=info:file=" + classes,
                "-jar",
                DashboardProcess.jar().toString(),
                "serve"),
            java.util.Map.of("TASKQ_DIR", q.toString(), "HOME", dir.toString()),
            dir.resolve("serve.stderr"))) {
      session.initialize();
      session.tool("claim_next", java.util.Map.of());
    }
    String loaded = java.nio.file.Files.readString(classes);
    assertThat(loaded).contains("dev.taskq.mcp.TaskqServer");
    assertThat(loaded)
        .doesNotContain("dev.taskq.dashboard")
        .doesNotContain("com.sun.net.httpserver");
  }

  private static String waitForStderr(DashboardProcess d, String text) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String err = d.stderr();
    while (!err.contains(text) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      err = d.stderr();
    }
    return err;
  }
}

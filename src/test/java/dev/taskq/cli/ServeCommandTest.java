package dev.taskq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.store.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** `taskq serve` reached through picocli (with options) hands stdin/stdout to the MCP server. */
class ServeCommandTest {
  @TempDir Path tmp;

  @Test
  void serve_with_dir_answers_json_rpc_on_stdout_and_exits_0_at_end_of_input() throws IOException {
    Path project = Files.createDirectories(tmp.resolve("proj"));
    Path queue = tmp.resolve("elsewhere");
    String requests =
        """
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}
        {"jsonrpc":"2.0","method":"notifications/initialized"}
        {"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":"taskq://queue"}}
        """;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    StringWriter text = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext ctx =
        new CliContext(
            java.util.Map.of(),
            project,
            new ByteArrayInputStream(requests.getBytes(StandardCharsets.UTF_8)),
            stdout,
            new PrintWriter(text),
            new PrintWriter(err),
            new MutableClock(CliRun.T0),
            false,
            project.resolve("taskq.jar"),
            Path.of("/opt/java/bin/java"));

    int code = Cli.run(ctx, "serve", "--dir", queue.toString());

    assertThat(code).isZero();
    assertThat(text.toString()).isEmpty();
    var replies =
        stdout.toString(StandardCharsets.UTF_8).lines().map(JsonText.MAPPER::readTree).toList();
    assertThat(replies).extracting(r -> r.path("id").asInt()).contains(1, 2);
    JsonNode init =
        replies.stream().filter(r -> r.path("id").asInt() == 1).findFirst().orElseThrow();
    assertThat(init.path("result").path("serverInfo").path("name").asString()).isEqualTo("taskq");
    // --dir reached the server: the queue was opened there, not under the project.
    assertThat(queue.resolve("pending")).isDirectory();
    assertThat(project.resolve("tasks")).doesNotExist();
  }
}

package dev.taskq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a server command as Claude Code would, sends `initialize`, and closes its stdin. */
final class InitializeProbe {
  private static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
          + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}\n";

  /** The server's first stdout line and its exit code after stdin closed. */
  record Reply(String firstLine, int exitCode) {}

  private InitializeProbe() {}

  /** {@code queueDir} becomes TASKQ_DIR; null leaves the server to find the queue itself. */
  static Reply run(List<String> command, Path cwd, String queueDir) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().remove("TASKQ_DIR");
    pb.environment().remove("CLAUDE_PROJECT_DIR");
    if (queueDir != null) {
      pb.environment().put("TASKQ_DIR", queueDir);
    }
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process server = pb.start();
    String line;
    try (OutputStream in = server.getOutputStream();
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
      in.write(INITIALIZE.getBytes(StandardCharsets.UTF_8));
      in.flush();
      line = out.readLine();
    } finally {
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    return new Reply(line, server.exitValue());
  }
}

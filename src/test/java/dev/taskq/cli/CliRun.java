package dev.taskq.cli;

import dev.taskq.store.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Runs the real picocli command line in-process against a real project folder. */
final class CliRun {
  static final Instant T0 = Instant.parse("2026-11-24T13:00:00Z");

  final Path project;
  final Path jar;
  final Map<String, String> env = new HashMap<>();
  final MutableClock clock = new MutableClock(T0);
  boolean tty;

  /** What one command printed and returned. */
  record Result(int code, String out, String err) {}

  CliRun(Path project) throws IOException {
    this.project = project;
    // A stand-in for the built jar: init only registers its path, it never runs it here.
    Path bin = Files.createDirectories(project.resolveSibling(project.getFileName() + "-bin"));
    this.jar = Files.write(bin.resolve("taskq.jar"), new byte[] {'P', 'K'});
  }

  Path queue() {
    return project.resolve("tasks");
  }

  CliContext context(StringWriter out, StringWriter err) {
    return new CliContext(
        env,
        project,
        new ByteArrayInputStream(new byte[0]),
        new ByteArrayOutputStream(),
        new PrintWriter(out),
        new PrintWriter(err),
        clock,
        tty,
        jar,
        Path.of("/opt/java/bin/java"));
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(context(out, err), args);
    return new Result(code, out.toString(), err.toString());
  }
}

package dev.taskq.cli;

import dev.taskq.project.QueueFinder;
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
    this(project, null);
    Path above = QueueFinder.walkUp(project);
    if (above != null) {
      // Every command walks up to the nearest queue: a stray one above the temp folder would be
      // found by tests that expect none (or that expect their own).
      throw new IllegalStateException(
          "a taskq queue at " + above + " lies above the test folder " + project + "; remove it");
    }
  }

  /** A run in {@code project} that registers {@code jar} (a fresh stand-in when null). */
  CliRun(Path project, Path jar) throws IOException {
    this.project = project;
    if (jar == null) {
      // A stand-in for the built jar: init only registers its path, it never runs it here.
      Path bin = Files.createDirectories(project.resolveSibling(project.getFileName() + "-bin"));
      jar = Files.write(bin.resolve("taskq.jar"), new byte[] {'P', 'K'});
    }
    this.jar = jar;
  }

  Path queue() {
    return project.resolve("tasks");
  }

  /** Sets the project's queue up as {@code taskq init} does, without registering anything. */
  Path initQueue() throws IOException {
    for (String folder : ProjectInit.FOLDERS) {
      Files.createDirectories(queue().resolve(folder));
    }
    Files.writeString(queue().resolve(".gitignore"), ProjectInit.GITIGNORE);
    return queue();
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

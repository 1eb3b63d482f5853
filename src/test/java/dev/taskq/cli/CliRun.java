package dev.taskq.cli;

import dev.taskq.project.InstallPaths;
import dev.taskq.project.Launcher;
import dev.taskq.project.QueueFinder;
import dev.taskq.project.StartupArchive;
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
  byte[] stdin = new byte[0];

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

  /**
   * Makes this run's user one who installed taskq: a launcher like {@code taskq install} writes
   * (for the stand-in jar and this JVM's java, no archive yet) linked from {@code
   * <home>/.local/bin/taskq}, with HOME and PATH set to find it.
   */
  Path installed(Path home) throws IOException {
    String version = dev.taskq.project.TaskqVersion.current();
    InstallPaths paths = InstallPaths.of(Map.of("HOME", home.toString()));
    Path launcher = paths.launcher(version);
    Files.createDirectories(launcher.getParent());
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Files.writeString(
        launcher,
        new Launcher(version, jar, java, paths.archive(version, StartupArchive.javaKey()))
            .render());
    launcher.toFile().setExecutable(true);
    Files.createDirectories(paths.bin());
    Files.deleteIfExists(paths.command());
    Files.createSymbolicLink(paths.command(), launcher);
    env.put("HOME", home.toString());
    env.put("PATH", paths.bin() + ":/usr/bin:/bin");
    return paths.command();
  }

  /** The same environment as {@code other}'s (HOME, PATH, ...). */
  CliRun withEnv(Map<String, String> other) {
    env.putAll(other);
    return this;
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
        new ByteArrayInputStream(stdin),
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

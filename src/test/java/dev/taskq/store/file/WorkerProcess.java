package dev.taskq.store.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link QueueWorker} in its own JVM, with its stdout and stderr in files. */
final class WorkerProcess {
  final String name;
  final Process process;
  private final Path out;
  private final Path err;

  private WorkerProcess(String name, Process process, Path out, Path err) {
    this.name = name;
    this.process = process;
    this.out = out;
    this.err = err;
  }

  static WorkerProcess start(Path logs, String name, String... args) throws IOException {
    Files.createDirectories(logs);
    Path out = logs.resolve(name + ".out");
    Path err = logs.resolve(name + ".err");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    cmd.addAll(List.of("-cp", classPath(), QueueWorker.class.getName()));
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    return new WorkerProcess(name, p, out, err);
  }

  /** Surefire and failsafe may run tests from a manifest-only jar; they name the real path here. */
  private static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
  }

  List<String> lines() throws IOException {
    return Files.readAllLines(out, StandardCharsets.UTF_8);
  }

  /** Ids after "PREFIX " on each line, in order. */
  List<String> ids(String prefix) throws IOException {
    return lines().stream()
        .filter(l -> l.startsWith(prefix + " "))
        .map(l -> l.substring(prefix.length() + 1))
        .toList();
  }

  void awaitLine(String line, Duration timeout) throws Exception {
    awaitLinePrefix(line, timeout, true);
  }

  void awaitLinePrefix(String prefix, Duration timeout) throws Exception {
    awaitLinePrefix(prefix, timeout, false);
  }

  private void awaitLinePrefix(String line, Duration timeout, boolean whole) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (lines().stream().anyMatch(l -> whole ? l.equals(line) : l.startsWith(line))) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited before " + line + ": " + stderr());
      }
      Thread.sleep(20);
    }
    throw new AssertionError(name + " did not print " + line + " in " + timeout + ": " + stderr());
  }

  int awaitExit(Duration timeout) throws Exception {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(name + " still running after " + timeout + ": " + stderr());
    }
    return process.exitValue();
  }

  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  String stderr() throws IOException {
    String s = Files.readString(err, StandardCharsets.UTF_8);
    return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
  }
}

package dev.taskq.store.postgres;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PgWorker} in its own JVM: the database URL (with its password) reaches it in the
 * environment, never on the command line; stdout and stderr go to files.
 */
final class PgWorkerProcess {
  final String name;
  final Process process;
  private final Path out;
  private final Path err;

  private PgWorkerProcess(String name, Process process, Path out, Path err) {
    this.name = name;
    this.process = process;
    this.out = out;
    this.err = err;
  }

  static PgWorkerProcess start(Path logs, String name, Map<String, String> env, String... args)
      throws IOException {
    Files.createDirectories(logs);
    Path out = logs.resolve(name + ".out");
    Path err = logs.resolve(name + ".err");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    cmd.addAll(List.of("-cp", classPath(), PgWorker.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("TASKQ_"));
    pb.environment().putAll(env);
    return new PgWorkerProcess(name, pb.start(), out, err);
  }

  /** Surefire and failsafe may run tests from a manifest-only jar; they name the real path here. */
  private static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
  }

  long pid() {
    return process.pid();
  }

  List<String> lines() throws IOException {
    return Files.readAllLines(out, StandardCharsets.UTF_8);
  }

  /** What follows "PREFIX " on each line, in order. */
  List<String> after(String prefix) throws IOException {
    return lines().stream()
        .filter(l -> l.startsWith(prefix + " "))
        .map(l -> l.substring(prefix.length() + 1))
        .toList();
  }

  /** The first line starting with {@code prefix}, waiting for it. */
  String awaitLine(String prefix, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      for (String l : lines()) {
        if (l.startsWith(prefix)) {
          return l;
        }
      }
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited before printing " + prefix + ": " + stderr());
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        name + " did not print " + prefix + " in " + timeout + "; printed " + lines() + stderr());
  }

  void send(String line) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
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

  /** {@code call}'s answer, an IOException as unchecked (for assertions in lambdas). */
  static <T> T unchecked(IoCall<T> call) {
    try {
      return call.get();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  interface IoCall<T> {
    T get() throws IOException;
  }

  String stderr() throws IOException {
    String s = Files.readString(err, StandardCharsets.UTF_8);
    return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
  }
}

package dev.taskq.dashboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code java -jar taskq.jar dashboard --no-open} as a person starts it: a separate process whose
 * printed URL the test reads. {@link #close} stops it the way Ctrl-C does (a signal, then the
 * shutdown hook) and kills it if it lingers.
 */
public final class DashboardProcess implements AutoCloseable {
  final Process process;
  public final String url;
  final List<String> stdout;
  final Path stderr;

  private DashboardProcess(Process p, String url, List<String> stdout, Path stderr) {
    this.process = p;
    this.url = url;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  static Path jar() {
    String p = System.getProperty("taskq.jar");
    if (p == null || !Files.isRegularFile(Path.of(p))) {
      throw new IllegalStateException(
          "system property taskq.jar must name the built jar (run with mvn verify): " + p);
    }
    return Path.of(p).toAbsolutePath();
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Starts the dashboard of {@code queue} with {@code args} added; waits for its URL line. */
  static DashboardProcess start(Path queue, Path workDir, String... args) throws IOException {
    return start(jar(), queue, workDir, args);
  }

  /** The same with the jar given (bench/run measures the jar it was pointed at). */
  public static DashboardProcess start(Path jar, Path queue, Path workDir, String... args)
      throws IOException {
    return start(jar, queue, workDir, Map.of(), args);
  }

  /** The same with {@code env} added (e.g. TASKQ_DATABASE_URL, never on the command line). */
  static DashboardProcess start(
      Path jar, Path queue, Path workDir, Map<String, String> env, String... args)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(List.of(java(), "-jar", jar.toString(), "dashboard", "--no-open"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.environment().remove("CLAUDE_PROJECT_DIR");
    pb.environment().remove("BROWSER");
    pb.environment().put("TASKQ_DIR", queue.toString());
    pb.environment().put("HOME", workDir.toString()); // never the real home
    pb.environment().putAll(env);
    Path err = Files.createTempFile(workDir, "dashboard", ".stderr");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    CompletableFuture<String> url =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  lines.add(line);
                  if (line.trim().startsWith("http://")) {
                    return line.trim();
                  }
                }
                return null;
              } catch (IOException e) {
                return null;
              }
            });
    try {
      String u = url.get(60, TimeUnit.SECONDS);
      if (u == null) {
        p.waitFor(10, TimeUnit.SECONDS);
        throw new IOException(
            "taskq dashboard printed no URL; stdout "
                + lines
                + ", stderr: "
                + Files.readString(err)
                + (p.isAlive() ? "" : ", exit " + p.exitValue()));
      }
      return new DashboardProcess(p, u, lines, err);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      p.destroyForcibly();
      throw new IOException("taskq dashboard did not print its URL within 60 s: " + e, e);
    }
  }

  /** The dashboard's address without the secret, e.g. http://127.0.0.1:41234 */
  public String base() {
    return url.substring(0, url.indexOf("/?token="));
  }

  public String token() {
    return url.substring(url.indexOf("token=") + "token=".length());
  }

  public int port() {
    String b = base();
    return Integer.parseInt(b.substring(b.lastIndexOf(':') + 1));
  }

  String stderr() throws IOException {
    return Files.readString(stderr);
  }

  @Override
  public void close() throws IOException {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy(); // SIGTERM: the shutdown hook closes the server
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

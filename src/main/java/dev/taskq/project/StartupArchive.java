package dev.taskq.project;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A version's class-data-sharing archive for one Java ({@code
 * ~/.cache/taskq/<version>/<java>.jsa}): the classes a session's first requests load, pre-parsed,
 * so a server answers {@code initialize} in about half the time. Java 17 can only make one by
 * running the server ({@code -XX:ArchiveClassesAtExit}), so {@code taskq install} runs one short
 * session against a scratch queue. An archive fits one Java build and one jar (path, size, time);
 * the JVM ignores one that does not fit, so a mismatch costs speed, never correctness.
 */
public final class StartupArchive {
  private static final long TIMEOUT_SECONDS = 120;
  private static final Pattern TOKEN = Pattern.compile("(?m)^token: (\\S+)$");
  private static final Pattern ID = Pattern.compile("(?m)^id: (\\S+)$");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private StartupArchive() {}

  /**
   * Names the Java running this process: its exact build and a digest of its folder, e.g. {@code
   * java-17.0.15+6-Debian-1deb12u1-3f2a9c1e}. An upgraded or different Java gets its own archive.
   */
  public static String javaKey() {
    String home = System.getProperty("java.home", "");
    String build = Runtime.version().toString().replaceAll("[^A-Za-z0-9.+_-]", "_");
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(home.getBytes(StandardCharsets.UTF_8));
      return "java-" + build + "-" + HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      return "java-" + build;
    }
  }

  /** True when {@code java} maps {@code archive} for this exact {@code jar}. */
  public static boolean fits(Path java, Path archive, Path jar) {
    if (!Files.isRegularFile(archive)) {
      return false;
    }
    try {
      Process p =
          new ProcessBuilder(
                  java.toString(),
                  "-Xshare:on",
                  ServerFlags.archive(archive),
                  "-Xlog:disable",
                  "-cp",
                  jar.toString(),
                  "-version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Makes {@code archive} for {@code java} and {@code jar} by running one short session, then
   * renames it into place, so a server never maps a half-written archive.
   *
   * @return how long it took, in milliseconds
   */
  public static long make(Path java, Path jar, Path archive)
      throws IOException, InterruptedException {
    Files.createDirectories(archive.getParent());
    long pid = ProcessHandle.current().pid();
    Path scratch = archive.resolveSibling("warmup-" + pid);
    Path dump = archive.resolveSibling(archive.getFileName() + "." + pid + ".tmp");
    try {
      long t0 = System.nanoTime();
      train(java, jar, dump, scratch);
      Files.move(
          dump, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return (System.nanoTime() - t0) / 1_000_000;
    } finally {
      deleteQuietly(scratch);
      deleteQuietly(dump);
    }
  }

  private static List<String> trainingCommand(Path java, Path jar, Path dump) {
    List<String> c = new ArrayList<>();
    c.add(java.toString());
    c.add("-XX:ArchiveClassesAtExit=" + dump);
    c.addAll(ServerFlags.FLAGS);
    c.addAll(List.of("-jar", jar.toString(), "serve"));
    return c;
  }

  /**
   * Runs the server once, through what a worker session does, on a scratch queue; the JVM writes
   * the archive when it exits after stdin closes.
   */
  private static void train(Path java, Path jar, Path dump, Path scratch)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(trainingCommand(java, jar, dump));
    pb.environment().remove("CLAUDE_PROJECT_DIR");
    pb.environment().put("TASKQ_DIR", scratch.toString());
    pb.environment().put("CLAUDE_CODE_SESSION_ID", "taskq-install-warmup");
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    Thread watchdog =
        new Thread(
            () -> {
              try {
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                  p.destroyForcibly();
                }
              } catch (InterruptedException e) {
                p.destroyForcibly();
              }
            });
    watchdog.setDaemon(true);
    watchdog.start();
    try (OutputStream in = p.getOutputStream();
        BufferedReader out =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      Session s = new Session(in, out);
      s.call(
          "initialize",
          Map.of(
              "protocolVersion", "2025-06-18",
              "capabilities", Map.of(),
              "clientInfo", Map.of("name", "taskq-install", "version", "1")));
      s.notify("notifications/initialized");
      s.call("tools/list", Map.of());
      s.call("resources/list", Map.of());
      s.call("resources/templates/list", Map.of());
      s.call("prompts/list", Map.of());
      s.call("prompts/get", Map.of("name", "work", "arguments", Map.of()));
      s.tool(
          "enqueue_task",
          Map.of(
              "tasks",
              List.of(
                  Map.of("title", "warm up", "criterion", "none", "lane", "warmup"),
                  Map.of("title", "warm up 2", "criterion", "none"))));
      String claim = s.tool("claim_next", Map.of("lane", "warmup"));
      Matcher id = ID.matcher(claim);
      Matcher token = TOKEN.matcher(claim);
      if (id.find() && token.find()) {
        Map<String, Object> held = Map.of("id", id.group(1), "token", token.group(1));
        s.tool(
            "write_checkpoint",
            with(held, "summary", "half way", "progress", Map.of("done", 1, "total", 2)));
        s.tool("append_log", with(held, "message", "warming up"));
        s.tool("complete_task", with(held, "outcome", "done", "result", "warmed up"));
        s.call("resources/read", Map.of("uri", "taskq://tasks/" + id.group(1)));
      }
      s.tool(
          "complete_task",
          Map.of("id", "warmup-x", "token", "x", "outcome", "done", "result", "x"));
      s.call("resources/read", Map.of("uri", "taskq://queue"));
      s.call("resources/read", Map.of("uri", "taskq://log"));
    }
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("the warm-up server did not exit");
    }
    watchdog.interrupt();
    if (p.exitValue() != 0 || !Files.isRegularFile(dump) || Files.size(dump) == 0) {
      throw new IOException("the warm-up server exited with " + p.exitValue() + " and no archive");
    }
  }

  private static Map<String, Object> with(Map<String, Object> base, Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>(base);
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Requests one at a time over the warm-up server's stdio. */
  private static final class Session {
    private final OutputStream in;
    private final BufferedReader out;
    private int nextId = 1;

    Session(OutputStream in, BufferedReader out) {
      this.in = in;
      this.out = out;
    }

    JsonNode call(String method, Object params) throws IOException {
      int id = nextId++;
      send(Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", params));
      while (true) {
        String line = out.readLine();
        if (line == null) {
          throw new IOException("the warm-up server stopped during " + method);
        }
        JsonNode msg = JSON.readTree(line);
        if (msg.path("id").asInt(-1) == id && !msg.has("method")) {
          return msg;
        }
      }
    }

    String tool(String name, Map<String, Object> args) throws IOException {
      JsonNode r = call("tools/call", Map.of("name", name, "arguments", args));
      StringBuilder sb = new StringBuilder();
      r.path("result").path("content").forEach(c -> sb.append(c.path("text").asString("")));
      return sb.toString();
    }

    void notify(String method) throws IOException {
      send(Map.of("jsonrpc", "2.0", "method", method, "params", Map.of()));
    }

    private void send(Map<String, Object> message) throws IOException {
      in.write(JSON.writeValueAsBytes(message));
      in.write('\n');
      in.flush();
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      if (!Files.exists(p)) {
        return;
      }
      Files.walkFileTree(
          p,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
              Files.delete(f);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException ignored) {
      // a leftover scratch queue inside .taskq is harmless: nothing reads it
    }
  }
}

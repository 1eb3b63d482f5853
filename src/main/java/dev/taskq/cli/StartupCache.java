package dev.taskq.cli;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The server's class-data-sharing archive ({@code <queue>/.taskq/server.jsa}): the classes a
 * session's first requests load, pre-parsed, so a server answers {@code initialize} in about half
 * the time. Java 17 can only make one by running the server ({@code -XX:ArchiveClassesAtExit}), so
 * {@code init} runs one short session against a scratch queue inside .taskq. The archive fits one
 * java and one jar (path, size, time); the JVM ignores one that does not fit, so a rebuilt jar only
 * costs speed until init runs again.
 */
final class StartupCache {
  static final String FILE = "server.jsa";
  private static final long TIMEOUT_SECONDS = 60;
  private static final Pattern TOKEN = Pattern.compile("(?m)^token: (\\S+)$");
  private static final Pattern ID = Pattern.compile("(?m)^id: (\\S+)$");

  /** One line of init's report. */
  record Step(String what, String detail) {}

  private StartupCache() {}

  static Path archiveFor(Path queueDir) {
    return queueDir.toAbsolutePath().normalize().resolve(".taskq").resolve(FILE);
  }

  /** Keeps a fitting archive, else makes one; never fails init (the server runs without one). */
  static Step refresh(ServerLaunch launch, Path queueDir) {
    Path archive = launch.archive();
    String shown = queueDir.toAbsolutePath().normalize().relativize(archive).toString();
    if (Files.isRegularFile(archive) && fits(launch)) {
      return new Step("unchanged", "start-up cache " + shown + " fits this java and jar");
    }
    Path scratch = archive.resolveSibling("warmup-" + ProcessHandle.current().pid());
    Path dump = archive.resolveSibling(FILE + "." + ProcessHandle.current().pid() + ".tmp");
    try {
      Files.createDirectories(archive.getParent());
      long t0 = System.nanoTime();
      train(launch, dump, scratch);
      Files.move(
          dump, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      return new Step("made", "start-up cache " + shown + " (" + ms + " ms; servers start faster)");
    } catch (IOException | RuntimeException e) {
      return new Step(
          "skipped",
          "start-up cache: " + e.getMessage() + " (the server works without it, only slower)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Step("skipped", "start-up cache: interrupted");
    } finally {
      deleteQuietly(scratch);
      deleteQuietly(dump);
    }
  }

  /** True when this java maps the archive for this exact jar. */
  static boolean fits(ServerLaunch launch) {
    try {
      Process p =
          new ProcessBuilder(launch.archiveCheckCommand())
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
   * Runs the registered server once, through what a worker session does, on a scratch queue; the
   * JVM writes the archive when it exits after stdin closes.
   */
  private static void train(ServerLaunch launch, Path dump, Path scratch)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(launch.trainingCommand(dump));
    pb.environment().put("TASKQ_DIR", scratch.toString());
    pb.environment().put("CLAUDE_CODE_SESSION_ID", "taskq-init-warmup");
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
              "clientInfo", Map.of("name", "taskq-init", "version", "1")));
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
        JsonNode msg = JsonText.MAPPER.readTree(line);
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
      in.write(JsonText.MAPPER.writeValueAsBytes(message));
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

package dev.taskq.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.json.JsonMapper;

/**
 * The built jar's {@code serve} as a child process, spoken to the way Claude Code does: one
 * JSON-RPC message per line on stdin, replies read from stdout. Raw lines can be sent too, to be
 * hostile.
 */
final class StdioServer implements AutoCloseable {
  static final JsonMapper JSON = JsonMapper.builder().build();

  final Process process;
  private final OutputStream stdin;
  private final BlockingQueue<Map<String, Object>> replies = new LinkedBlockingQueue<>();
  private final List<String> nonJson = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong(100);
  private volatile boolean ended;

  private StdioServer(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread reader = new Thread(this::readReplies, "stdio-server-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code java -jar taskq.jar serve} in {@code cwd} with exactly {@code env} (plus PATH),
   * stderr to {@code stderrFile}, and runs the MCP handshake.
   */
  static StdioServer start(
      Path jar, Path cwd, Map<String, String> env, Path stderrFile, String... jvmArgs)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvmArgs));
    cmd.addAll(List.of("-jar", jar.toString(), "serve"));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
    String path = pb.environment().get("PATH");
    pb.environment().clear();
    pb.environment().put("PATH", path == null ? "/usr/bin:/bin" : path);
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.appendTo(stderrFile.toFile()));
    StdioServer s = new StdioServer(pb.start());
    s.request(
        "initialize",
        Map.of(
            "protocolVersion", "2025-06-18",
            "capabilities", Map.of(),
            "clientInfo", Map.of("name", "taskq-reliability", "version", "1")));
    s.send(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
    return s;
  }

  static Path jar() {
    String p = System.getProperty("taskq.jar");
    if (p == null || !java.nio.file.Files.isRegularFile(Path.of(p))) {
      throw new IllegalStateException("system property taskq.jar must name the built jar: " + p);
    }
    return Path.of(p).toAbsolutePath();
  }

  /** Sends a request and returns its reply (the whole JSON-RPC response). */
  Map<String, Object> request(String method, Object params) throws IOException {
    long id = ids.incrementAndGet();
    send(Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", params));
    return reply(id, 30);
  }

  /** Calls a tool; returns the CallToolResult ("content", "isError"). */
  @SuppressWarnings("unchecked")
  Map<String, Object> callTool(String name, Object arguments) throws IOException {
    Map<String, Object> r = request("tools/call", Map.of("name", name, "arguments", arguments));
    if (r.get("result") == null) {
      throw new AssertionError("tools/call " + name + " got a JSON-RPC error: " + r);
    }
    return (Map<String, Object>) r.get("result");
  }

  @SuppressWarnings("unchecked")
  static String text(Map<String, Object> toolResult) {
    List<Map<String, Object>> content = (List<Map<String, Object>>) toolResult.get("content");
    return content.isEmpty() ? "" : String.valueOf(content.get(0).get("text"));
  }

  static boolean isError(Map<String, Object> toolResult) {
    return Boolean.TRUE.equals(toolResult.get("isError"));
  }

  void send(Object message) throws IOException {
    sendRaw(JSON.writeValueAsString(message));
  }

  synchronized void sendRaw(String line) throws IOException {
    try {
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new ServerGone("cannot write to the server: " + e.getMessage());
    }
  }

  /** The reply with this id, skipping notifications; fails after {@code seconds}. */
  Map<String, Object> reply(Object id, int seconds) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Map<String, Object>> others = new ArrayList<>();
    try {
      while (true) {
        Map<String, Object> m = replies.poll(50, TimeUnit.MILLISECONDS);
        if (m == null) {
          if (ended && replies.isEmpty()) {
            throw new ServerGone("the server's stdout ended before it answered " + id);
          }
          if (System.nanoTime() > deadline) {
            throw new AssertionError(
                "no reply with id " + id + " within " + seconds + " s; other messages: " + others);
          }
          continue;
        }
        if (m.containsKey("id") && String.valueOf(m.get("id")).equals(String.valueOf(id))) {
          return m;
        }
        if (m.containsKey("id") || m.containsKey("error")) {
          others.add(m);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** True when the server still answers ping. */
  boolean answersPing() throws IOException {
    return request("ping", Map.of()).containsKey("result");
  }

  List<String> nonJsonLines() {
    synchronized (nonJson) {
      return List.copyOf(nonJson);
    }
  }

  @SuppressWarnings("unchecked")
  private void readReplies() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        try {
          replies.add(JSON.readValue(line, Map.class));
        } catch (RuntimeException e) {
          synchronized (nonJson) {
            nonJson.add(line.length() > 200 ? line.substring(0, 200) : line);
          }
        }
      }
    } catch (IOException e) {
      // the process ended
    } finally {
      ended = true;
    }
  }

  /** The server process went away (it was killed) before answering. */
  static final class ServerGone extends IOException {
    private static final long serialVersionUID = 1L;

    ServerGone(String message) {
      super(message);
    }
  }

  @Override
  public void close() throws IOException {
    stdin.close();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}

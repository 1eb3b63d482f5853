package dev.taskq.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives {@link TaskqServer#serve} in this JVM over real OS pipes with raw JSON-RPC lines, so tests
 * see exactly what a client would read on stdout.
 */
final class WireClient implements AutoCloseable {
  static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

  private final OutputStream toServer;
  private final Future<Integer> exit;
  private final Process process;
  private final BlockingQueue<Map<String, Object>> replies = new LinkedBlockingQueue<>();
  private final List<Map<String, Object>> notifications = new CopyOnWriteArrayList<>();
  private final List<String> rawLines = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();

  private WireClient(
      OutputStream toServer, InputStream fromServer, Future<Integer> exit, Process process) {
    this.toServer = toServer;
    this.exit = exit;
    this.process = process;
    Thread reader = new Thread(() -> readAll(fromServer), "wire-reader");
    reader.setDaemon(true);
    reader.start();
  }

  static WireClient start(Map<String, String> env, Path cwd, Clock clock) throws IOException {
    return start(env, cwd, clock, LineTransport.MAX_LINE_BYTES);
  }

  /** Runs serve() in this JVM on OS pipes. */
  static WireClient start(Map<String, String> env, Path cwd, Clock clock, int maxLine)
      throws IOException {
    Pipe in = Pipe.open();
    Pipe out = Pipe.open();
    InputStream serverIn = Channels.newInputStream(in.source());
    OutputStream serverOut = Channels.newOutputStream(out.sink());
    Future<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> {
              try (serverOut) {
                return TaskqServer.serve(env, cwd, serverIn, serverOut, clock, maxLine);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    return new WireClient(
        Channels.newOutputStream(in.sink()), Channels.newInputStream(out.source()), exit, null);
  }

  /** Spawns the built jar (system property taskq.jar) as `java -jar taskq.jar serve`. */
  static WireClient spawn(Map<String, String> env, Path cwd) throws IOException {
    return spawn(Jar.serveCommand(), env, cwd);
  }

  static WireClient spawn(List<String> command, Map<String, String> env, Path cwd)
      throws IOException {
    Process p = Jar.launch(command, env, cwd).start();
    return new WireClient(
        p.getOutputStream(), p.getInputStream(), p.onExit().thenApply(Process::exitValue), p);
  }

  Process process() {
    return process;
  }

  /** Sends initialize and notifications/initialized; returns the initialize result. */
  Map<String, Object> initialize() {
    Map<String, Object> r =
        result(
            "initialize",
            Map.of(
                "protocolVersion",
                "2025-06-18",
                "capabilities",
                Map.of(),
                "clientInfo",
                Map.of("name", "wire-test", "version", "1")));
    send(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
    return r;
  }

  void sendRaw(String line) {
    try {
      toServer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      toServer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void send(Map<String, Object> message) {
    try {
      sendRaw(JSON.writeValueAsString(message));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends a request and returns the whole response. */
  Map<String, Object> request(String method, Map<String, Object> params) {
    int id = ids.incrementAndGet() + 1000;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jsonrpc", "2.0");
    m.put("id", id);
    m.put("method", method);
    if (params != null) {
      m.put("params", params);
    }
    send(m);
    return awaitReply(id);
  }

  /** Sends a request and returns its result, failing on a JSON-RPC error. */
  @SuppressWarnings("unchecked")
  Map<String, Object> result(String method, Map<String, Object> params) {
    Map<String, Object> r = request(method, params);
    if (!r.containsKey("result")) {
      throw new AssertionError(method + " answered " + r);
    }
    return (Map<String, Object>) r.get("result");
  }

  /** Calls a tool; returns its text, prefixed with "ERROR " when isError is true. */
  @SuppressWarnings("unchecked")
  String tool(String name, Map<String, Object> arguments) {
    Map<String, Object> r = result("tools/call", Map.of("name", name, "arguments", arguments));
    List<Map<String, Object>> content = (List<Map<String, Object>>) r.get("content");
    if (r.containsKey("structuredContent")) {
      throw new AssertionError("unexpected structuredContent: " + r);
    }
    StringBuilder sb = new StringBuilder();
    content.forEach(c -> sb.append(c.get("text")));
    return Boolean.TRUE.equals(r.get("isError")) ? "ERROR " + sb : sb.toString();
  }

  @SuppressWarnings("unchecked")
  String readResource(String uri) {
    Map<String, Object> r = result("resources/read", Map.of("uri", uri));
    return (String) ((List<Map<String, Object>>) r.get("contents")).get(0).get("text");
  }

  /** The next reply (a message with an id and a result or error), in arrival order. */
  Map<String, Object> nextReply() {
    try {
      Map<String, Object> r = replies.poll(20, TimeUnit.SECONDS);
      if (r == null) {
        throw new AssertionError("no reply within 20 s; lines so far: " + rawLines);
      }
      return r;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  Map<String, Object> awaitReply(Object id) {
    List<Map<String, Object>> others = new ArrayList<>();
    try {
      while (true) {
        Map<String, Object> r = nextReply();
        if (id.equals(r.get("id"))) {
          return r;
        }
        others.add(r);
      }
    } finally {
      replies.addAll(others);
    }
  }

  List<Map<String, Object>> notifications() {
    return notifications;
  }

  List<String> rawLines() {
    return rawLines;
  }

  /** Closes the server's stdin and waits for serve() to return its exit code. */
  int closeInput() {
    try {
      toServer.close();
      return exit.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("serve() did not return after stdin closed", e);
    }
  }

  @Override
  public void close() {
    if (!exit.isDone()) {
      closeInput();
    }
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @SuppressWarnings("unchecked")
  private void readAll(InputStream in) {
    LineReader lines = new LineReader(in, Integer.MAX_VALUE);
    try {
      for (LineReader.Line l = lines.next(); l != null; l = lines.next()) {
        rawLines.add(l.text());
        Map<String, Object> m = new HashMap<>(JSON.readValue(l.text(), Map.class));
        if (m.containsKey("method") && !m.containsKey("id")) {
          notifications.add(m);
        } else {
          replies.add(m);
        }
      }
    } catch (IOException e) {
      rawLines.add("READ FAILED: " + e);
    }
  }
}

package dev.taskq.bench;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A deliberately plain MCP client over a spawned server's stdio: one request at a time, written as
 * one JSON line, answered by reading stdout lines until the reply with the same id. No SDK and no
 * threads in between, so a measured round trip is the server's time plus two pipe hops. Any stdout
 * line that is not JSON-RPC fails the call: stdout must carry the protocol only. The dashboard
 * tests use it as "another session" changing the queue.
 */
public final class McpClient implements Closeable {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern ID = Pattern.compile("(?m)^id: (\\S+)$");
  private static final Pattern TOKEN = Pattern.compile("(?m)^token: (\\S+)$");

  private final Process process;
  private final OutputStream in;
  private final BufferedReader out;
  private final long spawnedAt;
  private long nextId = 1;
  private int lastReplyBytes;

  private McpClient(Process process, long spawnedAt) {
    this.process = process;
    this.spawnedAt = spawnedAt;
    this.in = process.getOutputStream();
    this.out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
  }

  /** Starts {@code command} with {@code env} added; stderr goes to {@code stderrFile}. */
  public static McpClient spawn(List<String> command, Map<String, String> env, Path stderrFile)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    Files.createDirectories(stderrFile.getParent());
    pb.redirectError(ProcessBuilder.Redirect.appendTo(stderrFile.toFile()));
    long t0 = System.nanoTime();
    return new McpClient(pb.start(), t0);
  }

  /** Sends initialize and the initialized notification; returns nanos from spawn to the answer. */
  public long initialize() throws IOException {
    request(
        "initialize",
        Map.of(
            "protocolVersion",
            "2025-06-18",
            "capabilities",
            Map.of(),
            "clientInfo",
            Map.of("name", "taskq-bench", "version", "1")));
    long answered = System.nanoTime();
    notify("notifications/initialized", Map.of());
    return answered - spawnedAt;
  }

  /** tools/list right after {@link #initialize}; returns nanos from spawn to its answer. */
  long toolsListSinceSpawn() throws IOException {
    request("tools/list", Map.of());
    return System.nanoTime() - spawnedAt;
  }

  /** One request; returns its {@code result}, or throws with the JSON-RPC error. */
  JsonNode request(String method, Object params) throws IOException {
    long id = nextId++;
    send(Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", params));
    while (true) {
      String line = out.readLine();
      if (line == null) {
        throw new IOException(
            method + ": the server closed stdout (exit " + exitCodeOrRunning() + ")");
      }
      JsonNode msg;
      try {
        msg = JSON.readTree(line);
      } catch (RuntimeException e) {
        throw new IOException("stdout carried a line that is not JSON: " + abbreviate(line));
      }
      if (!msg.isObject() || !"2.0".equals(msg.path("jsonrpc").asString(""))) {
        throw new IOException("stdout carried something that is not JSON-RPC: " + abbreviate(line));
      }
      if (msg.has("id") && msg.get("id").asLong() == id && !msg.has("method")) {
        if (msg.has("error")) {
          throw new IOException(method + " failed: " + msg.get("error"));
        }
        lastReplyBytes = line.getBytes(StandardCharsets.UTF_8).length;
        return msg.get("result");
      }
      // a notification or a server→client request: not ours, skip it
    }
  }

  void notify(String method, Object params) throws IOException {
    send(Map.of("jsonrpc", "2.0", "method", method, "params", params));
  }

  /** tools/call; a result with isError fails, since the benchmark only makes valid calls. */
  public String tool(String name, Map<String, Object> args) throws IOException {
    JsonNode r = request("tools/call", Map.of("name", name, "arguments", args));
    String text = text(r);
    if (r.path("isError").asBoolean(false)) {
      throw new IOException(name + " answered an error: " + abbreviate(text));
    }
    return text;
  }

  public String readResource(String uri) throws IOException {
    JsonNode r = request("resources/read", Map.of("uri", uri));
    StringBuilder sb = new StringBuilder();
    for (JsonNode c : r.path("contents")) {
      sb.append(c.path("text").asString(""));
    }
    return sb.toString();
  }

  /** Size in bytes of the last reply line, as it crossed the pipe. */
  int lastReplyBytes() {
    return lastReplyBytes;
  }

  public long pid() {
    return process.pid();
  }

  /** Resident memory of the server process in MB, from /proc (Linux). */
  double rssMegabytes() throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    throw new IOException("no VmRSS for pid " + process.pid());
  }

  /**
   * CPU time (user + system) the server process has used so far, in ms, from /proc (Linux, 10 ms
   * ticks). On a shared machine it moves far less with the neighbours' load than wall time does.
   */
  double cpuMillis() throws IOException {
    String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0;
  }

  /** The claim's id and token from a claim_next answer, or null when nothing was claimed. */
  public static String[] idAndToken(String claimText) {
    Matcher id = ID.matcher(claimText);
    Matcher token = TOKEN.matcher(claimText);
    if (!id.find() || !token.find()) {
      return null;
    }
    return new String[] {id.group(1), token.group(1)};
  }

  /** Closes stdin (the server then releases its claims and exits) and waits for the exit code. */
  int shutdown() throws IOException {
    in.close();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("the server did not exit within 20 s of stdin closing");
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException ignored) {
      // the process is ended below in any case
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void send(Map<String, Object> message) throws IOException {
    byte[] line = JSON.writeValueAsBytes(message);
    in.write(line);
    in.write('\n');
    in.flush();
  }

  private static String text(JsonNode result) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode c : result.path("content")) {
      if ("text".equals(c.path("type").asString(""))) {
        sb.append(c.path("text").asString(""));
      }
    }
    if (sb.length() == 0 && result.has("structuredContent")) {
      sb.append(result.get("structuredContent"));
    }
    return sb.toString();
  }

  private String exitCodeOrRunning() {
    return process.isAlive() ? "still running" : String.valueOf(process.exitValue());
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}

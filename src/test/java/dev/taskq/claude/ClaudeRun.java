package dev.taskq.claude;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * A running {@code claude -p} process: its stream-json events as they arrive (also written to
 * {@code stream.jsonl} in the log folder), its stderr file, and the processes it started. {@link
 * #close()} kills the whole tree (the claude process and every descendant seen), so a test leaves
 * nothing running.
 */
public final class ClaudeRun implements AutoCloseable {
  private final Process process;
  private final Path logs;
  private final Instant started = Instant.now();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
  private final Thread reader;

  ClaudeRun(Process process, Path logs) throws IOException {
    this(process, logs, false);
  }

  /** {@code keepInput}: stdin stays open for {@link #send} (stream-json input). */
  ClaudeRun(Process process, Path logs, boolean keepInput) throws IOException {
    this.process = process;
    this.logs = logs;
    if (!keepInput) {
      process.getOutputStream().close();
    }
    Writer transcript = Files.newBufferedWriter(logs.resolve("stream.jsonl"));
    this.reader =
        new Thread(
            () -> {
              try (transcript;
                  BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(
                              process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  transcript.write(line);
                  transcript.write('\n');
                  transcript.flush();
                  remember();
                  try {
                    events.add(ScriptedModel.JSON.readTree(line));
                  } catch (RuntimeException e) {
                    events.add(ScriptedModel.JSON.createObjectNode().put("unparsed", line));
                  }
                }
              } catch (IOException e) {
                // The process was killed; what was read stays in events.
              }
            },
            "claude-stream-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  public Process process() {
    return process;
  }

  public long pid() {
    return process.pid();
  }

  public Path logDir() {
    return logs;
  }

  /** Waits for claude to exit and for its stream to be read; returns the exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "claude did not exit within "
              + timeout
              + "; last events: "
              + tail(5)
              + "; stderr: "
              + stderr());
    }
    reader.join(TimeUnit.SECONDS.toMillis(30));
    return process.exitValue();
  }

  /** Waits until an event matches; fails naming the last events seen. */
  public JsonNode awaitEvent(Predicate<JsonNode> match, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int from = 0;
    while (true) {
      List<JsonNode> now = events();
      for (int i = from; i < now.size(); i++) {
        if (match.test(now.get(i))) {
          return now.get(i);
        }
      }
      from = now.size();
      if (System.nanoTime() > deadline || (!process.isAlive() && !reader.isAlive())) {
        throw new AssertionError(
            "no matching stream-json event within "
                + timeout
                + " (claude alive: "
                + process.isAlive()
                + "); last events: "
                + tail(5)
                + "; stderr: "
                + stderr());
      }
      Thread.sleep(50);
    }
  }

  public List<JsonNode> events() {
    return List.copyOf(events);
  }

  /** Events of one type (and subtype when given), e.g. ("system", "api_retry"). */
  public List<JsonNode> events(String type, String subtype) {
    return events.stream()
        .filter(e -> type.equals(e.path("type").asString("")))
        .filter(e -> subtype == null || subtype.equals(e.path("subtype").asString("")))
        .toList();
  }

  /** The final {@code result} event, once claude wrote it. */
  public Optional<JsonNode> result() {
    List<JsonNode> r = events("result", null);
    return r.isEmpty() ? Optional.empty() : Optional.of(r.get(r.size() - 1));
  }

  /** The session id from the init event. */
  public String sessionId() {
    return events("system", "init").stream()
        .findFirst()
        .map(e -> e.path("session_id").asString(""))
        .orElse("");
  }

  public String stderr() {
    try {
      return Files.readString(logs.resolve("stderr.txt"));
    } catch (IOException e) {
      return "(no stderr: " + e.getMessage() + ")";
    }
  }

  public Duration elapsed() {
    return Duration.between(started, Instant.now());
  }

  /** Descendants seen while claude ran (MCP servers, hooks, Bash commands) still alive now. */
  public List<ProcessHandle> leftovers() {
    remember();
    return seen.stream().filter(ProcessHandle::isAlive).toList();
  }

  /**
   * One more prompt, as a person's next turn ({@link ClaudeRunner#streamInput} runs only): a
   * stream-json user message on claude's stdin.
   */
  public void send(String prompt) throws IOException {
    tools.jackson.databind.node.ObjectNode m = ScriptedModel.JSON.createObjectNode();
    m.put("type", "user");
    tools.jackson.databind.node.ObjectNode message = m.putObject("message");
    message.put("role", "user");
    message.putArray("content").addObject().put("type", "text").put("text", prompt);
    var in = process.getOutputStream();
    in.write((ScriptedModel.JSON.writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** No more prompts: claude ends after answering the last one. */
  public void endInput() throws IOException {
    process.getOutputStream().close();
  }

  /** Sends SIGTERM to claude alone (as a supervisor would), not to its children. */
  public void terminate() {
    remember();
    process.destroy();
  }

  /** Kills claude and every descendant seen; waits briefly for them to go. */
  @Override
  public void close() {
    remember();
    List<ProcessHandle> tree = new ArrayList<>(seen);
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle h : tree) {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Reported by leftovers(); nothing more to do here.
      }
    }
    try {
      reader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void remember() {
    if (process.isAlive()) {
      process.descendants().forEach(seen::add);
    }
  }

  private String tail(int n) {
    List<JsonNode> all = events();
    return all.subList(Math.max(0, all.size() - n), all.size()).stream()
        .map(e -> abbreviate(e.toString()))
        .collect(Collectors.joining("\n  ", "\n  ", ""));
  }

  private static String abbreviate(String s) {
    return s.length() > 400 ? s.substring(0, 400) + "…" : s;
  }
}

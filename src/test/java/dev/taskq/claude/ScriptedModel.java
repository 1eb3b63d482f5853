package dev.taskq.claude;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Messages API on 127.0.0.1 that plays the model for a real Claude Code: {@code POST
 * /v1/messages} (streaming SSE or plain JSON) answered by a {@link Brain}, {@code
 * /v1/messages/count_tokens} answered with a size estimate, anything else 404. Every request is
 * recorded. Faults (429, usage limits, 529, 401) can be switched on while it runs.
 *
 * <p>Point a {@code claude} process at it with {@link #clientEnv(Path)}.
 */
public final class ScriptedModel implements AutoCloseable {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpServer server;
  private final ExecutorService threads;
  private final Clock clock;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final List<Throwable> brainErrors = new CopyOnWriteArrayList<>();
  private final List<FaultRule> faults = new ArrayList<>();
  private volatile Brain brain;

  private ScriptedModel(Brain brain, Clock clock) throws IOException {
    this.brain = brain;
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "scripted-model");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  public static ScriptedModel start(Brain brain) throws IOException {
    return new ScriptedModel(brain, Clock.systemUTC());
  }

  public static ScriptedModel start(Brain brain, Clock clock) throws IOException {
    return new ScriptedModel(brain, clock);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * The environment a {@code claude} child needs to talk to this model and nothing else: the base
   * URL, a dummy API key, the given (empty, temporary) HOME, no non-essential traffic, and TMPDIR
   * inside that HOME (claude keeps sockets and per-session folders under $TMPDIR, /tmp otherwise).
   */
  public Map<String, String> clientEnv(Path home) {
    Path tmp = home.toAbsolutePath().resolve("tmp");
    try {
      Files.createDirectories(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ANTHROPIC_BASE_URL", baseUrl());
    env.put("ANTHROPIC_API_KEY", "sk-ant-scripted-model-dummy");
    env.put("HOME", home.toAbsolutePath().toString());
    env.put("TMPDIR", tmp.toString());
    env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
    return env;
  }

  /**
   * Like {@link #clientEnv(Path)} but logged in as a subscriber ({@code CLAUDE_CODE_OAUTH_TOKEN}
   * instead of an API key): only then does Claude Code read the unified rate-limit headers, emit
   * {@code rate_limit_event}s (with {@code resetsAt} on a rejection) and give up at once on a usage
   * limit, as a Pro/Max user's worker does.
   */
  public Map<String, String> subscriberEnv(Path home) {
    Map<String, String> env = clientEnv(home);
    env.remove("ANTHROPIC_API_KEY");
    env.put("CLAUDE_CODE_OAUTH_TOKEN", "sk-ant-oat01-scripted-model-dummy");
    return env;
  }

  public void brain(Brain brain) {
    this.brain = brain;
  }

  /** Every request so far, in arrival order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** The {@code /v1/messages} requests so far (what the model was asked), in arrival order. */
  public List<RecordedRequest> messageRequests() {
    return requests.stream().filter(RecordedRequest::isMessages).toList();
  }

  /** Exceptions the brain threw; each was answered with a text naming it, ending the turn. */
  public List<Throwable> brainErrors() {
    return List.copyOf(brainErrors);
  }

  /** Answer the next {@code count} message requests with the fault. */
  public void failNext(int count, Fault fault) {
    addRule(new FaultRule(c -> true, count, null, fault));
  }

  /** Answer every message request with the fault until the instant. */
  public void failUntil(Instant until, Fault fault) {
    addRule(new FaultRule(c -> true, -1, until, fault));
  }

  /**
   * Answer the next {@code count} message requests whose conversation matches with the fault, e.g.
   * "after the claim": {@code c -> c.lastToolCall().map(t -> t.name().endsWith("claim_next"))}.
   */
  public void failWhen(Predicate<Conversation> when, int count, Fault fault) {
    addRule(new FaultRule(when, count, null, fault));
  }

  /**
   * Answer message requests with a fault for {@code window}, starting at the first request that
   * arrives after this call (not now: claude may take seconds to start on a busy machine). The
   * fault is made for the window's end, e.g. {@code reset -> Fault.usageLimit(reset)}.
   */
  public void failFor(Duration window, Function<Instant, Fault> faultUntil) {
    failFor(c -> true, window, faultUntil);
  }

  /**
   * Like {@link #failFor(Duration, Function)}, but the window opens at the first request whose
   * conversation matches, e.g. a usage limit that hits mid-task, 90 s long, for every session:
   * {@code failFor(c -> c.lastToolCall().filter(t -> t.name().endsWith("write_checkpoint"))
   * .isPresent(), Duration.ofSeconds(90), Fault::usageLimit)}.
   */
  public void failFor(
      Predicate<Conversation> from, Duration window, Function<Instant, Fault> faultUntil) {
    addRule(new FaultRule(from, window, faultUntil));
  }

  /** Drop every fault rule. */
  public void stopFailing() {
    synchronized (faults) {
      faults.clear();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void addRule(FaultRule rule) {
    synchronized (faults) {
      faults.add(rule);
    }
  }

  private Fault faultFor(Conversation c) {
    Instant now = clock.instant();
    synchronized (faults) {
      for (Iterator<FaultRule> it = faults.iterator(); it.hasNext(); ) {
        FaultRule r = it.next();
        if (r.until != null && !now.isBefore(r.until)) {
          it.remove();
          continue;
        }
        if (r.remaining == 0) {
          it.remove();
          continue;
        }
        if (r.window != null) {
          if (r.until == null) {
            if (!r.when.test(c)) {
              continue;
            }
            r.until = now.plus(r.window);
            r.fault = r.faultUntil.apply(r.until);
          }
          return r.fault;
        }
        if (r.when.test(c)) {
          if (r.remaining > 0 && --r.remaining == 0) {
            it.remove();
          }
          return r.fault;
        }
      }
    }
    return null;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] raw = ex.getRequestBody().readAllBytes();
      JsonNode body = parse(raw);
      String path = ex.getRequestURI().toString();
      Map<String, List<String>> headers = new LinkedHashMap<>(ex.getRequestHeaders());
      RecordedRequest seen =
          new RecordedRequest(clock.instant(), ex.getRequestMethod(), path, headers, body, 0);
      Answer answer;
      if (seen.isMessages()) {
        answer = messages(seen.conversation());
      } else if (path.startsWith("/v1/messages/count_tokens")) {
        answer = Answer.json(200, "{\"input_tokens\":" + raw.length / 4 + "}");
      } else {
        answer =
            Answer.json(
                404,
                "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":"
                    + "\"the scripted model does not serve "
                    + ex.getRequestMethod()
                    + " "
                    + path.replace("\"", "'")
                    + "\"}}");
      }
      // Recorded before the answer leaves: a claude that exits on it must find it in requests().
      requests.add(
          new RecordedRequest(seen.at(), seen.method(), path, headers, body, answer.status()));
      send(ex, answer);
    }
  }

  /** What to send back: status, content type, extra headers, body. */
  private record Answer(int status, String type, Map<String, String> headers, String body) {
    static Answer json(int status, String body) {
      return new Answer(status, "application/json", Map.of(), body);
    }
  }

  private Answer messages(Conversation c) {
    Fault fault = faultFor(c);
    if (fault != null) {
      return new Answer(
          fault.status(), "application/json", fault.headersAt(clock.instant()), fault.body());
    }
    Reply reply;
    try {
      reply = brain.next(c);
    } catch (RuntimeException | Error e) {
      brainErrors.add(e);
      reply = Reply.text("scripted model error: " + e);
    }
    String model = c.model().isEmpty() ? "claude-scripted" : c.model();
    String messageId = "msg_scripted_" + requests.size();
    if (c.streaming()) {
      return new Answer(200, "text/event-stream", Map.of(), sse(messageId, model, reply));
    }
    return Answer.json(200, JSON.writeValueAsString(message(messageId, model, reply, true)));
  }

  private static JsonNode parse(byte[] raw) {
    if (raw.length == 0) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(raw);
    } catch (RuntimeException e) {
      return MissingNode.getInstance();
    }
  }

  /** The message object; with {@code whole}, content and stop reason filled (non-streaming). */
  private static ObjectNode message(String id, String model, Reply reply, boolean whole) {
    ObjectNode m = JSON.createObjectNode();
    m.put("id", id);
    m.put("type", "message");
    m.put("role", "assistant");
    m.put("model", model);
    var content = m.putArray("content");
    if (whole) {
      for (Reply.Block b : reply.blocks()) {
        content.add(block(b, true));
      }
      m.put("stop_reason", reply.stopReason());
    } else {
      m.putNull("stop_reason");
    }
    m.putNull("stop_sequence");
    ObjectNode usage = m.putObject("usage");
    usage.put("input_tokens", 100);
    usage.put("cache_creation_input_tokens", 0);
    usage.put("cache_read_input_tokens", 0);
    usage.put("output_tokens", whole ? 20 : 1);
    return m;
  }

  private static ObjectNode block(Reply.Block b, boolean whole) {
    ObjectNode o = JSON.createObjectNode();
    if (b instanceof Reply.Text t) {
      o.put("type", "text");
      o.put("text", whole ? t.text() : "");
    } else if (b instanceof Reply.ToolUse u) {
      o.put("type", "tool_use");
      o.put("id", u.id());
      o.put("name", u.name());
      o.set("input", whole ? JSON.valueToTree(u.input()) : JSON.createObjectNode());
    }
    return o;
  }

  /** The reply as the API streams it: start, one start/delta/stop per block, delta, stop. */
  static String sse(String id, String model, Reply reply) {
    StringBuilder sb = new StringBuilder();
    ObjectNode start = JSON.createObjectNode();
    start.put("type", "message_start");
    start.set("message", message(id, model, reply, false));
    event(sb, start);
    int index = 0;
    for (Reply.Block b : reply.blocks()) {
      ObjectNode bs = JSON.createObjectNode();
      bs.put("type", "content_block_start");
      bs.put("index", index);
      bs.set("content_block", block(b, false));
      event(sb, bs);
      ObjectNode delta = JSON.createObjectNode();
      delta.put("type", "content_block_delta");
      delta.put("index", index);
      ObjectNode d = delta.putObject("delta");
      if (b instanceof Reply.Text t) {
        d.put("type", "text_delta");
        d.put("text", t.text());
      } else if (b instanceof Reply.ToolUse u) {
        d.put("type", "input_json_delta");
        d.put("partial_json", JSON.writeValueAsString(u.input()));
      }
      event(sb, delta);
      ObjectNode stop = JSON.createObjectNode();
      stop.put("type", "content_block_stop");
      stop.put("index", index);
      event(sb, stop);
      index++;
    }
    ObjectNode md = JSON.createObjectNode();
    md.put("type", "message_delta");
    ObjectNode mdd = md.putObject("delta");
    mdd.put("stop_reason", reply.stopReason());
    mdd.putNull("stop_sequence");
    md.putObject("usage").put("output_tokens", 20);
    event(sb, md);
    ObjectNode stop = JSON.createObjectNode();
    stop.put("type", "message_stop");
    event(sb, stop);
    return sb.toString();
  }

  private static void event(StringBuilder sb, ObjectNode data) {
    sb.append("event: ").append(data.path("type").asString()).append('\n');
    sb.append("data: ").append(JSON.writeValueAsString(data)).append("\n\n");
  }

  private static void send(HttpExchange ex, Answer answer) {
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    try {
      answer.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      ex.getResponseHeaders().set("content-type", answer.type());
      ex.getResponseHeaders().set("request-id", "req_scripted");
      ex.sendResponseHeaders(answer.status(), bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      // The client went away (killed mid-request); it was recorded with the status meant.
    }
  }

  /** A fault switched on: for requests matching {@code when}, {@code remaining} times (-1: any). */
  private static final class FaultRule {
    final Predicate<Conversation> when;
    int remaining;
    Instant until;
    Fault fault;
    final Duration window;
    final Function<Instant, Fault> faultUntil;

    FaultRule(Predicate<Conversation> when, int remaining, Instant until, Fault fault) {
      this.when = when;
      this.remaining = remaining;
      this.until = until;
      this.fault = fault;
      this.window = null;
      this.faultUntil = null;
    }

    /** A window that opens at the first request that matches {@code from}, then takes all. */
    FaultRule(Predicate<Conversation> from, Duration window, Function<Instant, Fault> faultUntil) {
      this.when = from;
      this.remaining = -1;
      this.until = null;
      this.fault = null;
      this.window = window;
      this.faultUntil = faultUntil;
    }
  }
}

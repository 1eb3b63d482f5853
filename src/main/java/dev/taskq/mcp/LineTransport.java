package dev.taskq.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Newline-delimited JSON-RPC over a pair of streams, for one session. Unlike the SDK's stdio
 * transport it answers bad lines (-32700 not JSON, -32600 batch or not a message or too long) and
 * keeps reading, and at end of input it waits for the requests already read to be answered before
 * returning, so a client that closes stdin right after its last request still gets the reply.
 */
final class LineTransport implements McpServerTransportProvider {
  /** Large enough for a batch of 100 tasks with long instructions. */
  static final int MAX_LINE_BYTES = 8 * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(LineTransport.class);

  private final McpJsonMapper json;
  private final InputStream in;
  private final int maxLineBytes;
  private final LineWriter writer;
  private final Object flightLock = new Object();
  private int inFlight;
  private volatile McpServerSession session;

  LineTransport(McpJsonMapper json, InputStream in, OutputStream out, int maxLineBytes) {
    this.json = json;
    this.in = in;
    this.maxLineBytes = maxLineBytes;
    this.writer = new LineWriter(out);
  }

  @Override
  public void setSessionFactory(McpServerSession.Factory factory) {
    session = factory.create(new SessionTransport());
  }

  @Override
  public Mono<Void> notifyClients(String method, Object params) {
    McpServerSession s = session;
    return s == null ? Mono.empty() : s.sendNotification(method, params);
  }

  /** Resource subscriptions notify one session; stdio has exactly one. */
  @Override
  public Mono<Void> notifyClient(String sessionId, String method, Object params) {
    McpServerSession s = session;
    return s == null || !s.getId().equals(sessionId)
        ? Mono.empty()
        : s.sendNotification(method, params);
  }

  @Override
  public Mono<Void> closeGracefully() {
    McpServerSession s = session;
    return s == null ? Mono.empty() : s.closeGracefully();
  }

  /**
   * Serves until end of input, then waits up to {@code drain} for the requests already read.
   *
   * @return false when reading failed with an I/O error rather than a clean end of input
   */
  boolean run(Duration drain) {
    writer.start();
    LineReader reader = new LineReader(in, maxLineBytes);
    boolean clean = true;
    try {
      for (LineReader.Line line = reader.next(); line != null; line = reader.next()) {
        accept(line);
      }
    } catch (IOException e) {
      log.warn("reading stdin failed; shutting down: {}", e.toString());
      clean = false;
    }
    awaitInFlight(drain);
    writer.finish();
    return clean;
  }

  private void accept(LineReader.Line line) {
    if (line.tooLong()) {
      reject(
          line.id(),
          ErrorCodes.INVALID_REQUEST,
          "Invalid Request: line of "
              + line.length()
              + " bytes is over the limit of "
              + maxLineBytes
              + "; send smaller requests");
      return;
    }
    if (line.text().isBlank()) {
      return;
    }
    Inbound parsed = Inbound.parse(json, line.text());
    if (parsed instanceof Inbound.Rejected r) {
      reject(r.id(), r.code(), r.message());
      return;
    }
    dispatch(((Inbound.Message) parsed).message());
  }

  private void dispatch(JSONRPCMessage message) {
    McpServerSession s = session;
    boolean request = message instanceof JSONRPCRequest;
    if (request) {
      synchronized (flightLock) {
        inFlight++;
      }
    }
    s.handle(message)
        .doFinally(
            signal -> {
              if (request) {
                synchronized (flightLock) {
                  inFlight--;
                  flightLock.notifyAll();
                }
              }
            })
        .subscribe(null, e -> log.warn("handling a message failed: {}", e.toString()));
  }

  private void awaitInFlight(Duration drain) {
    long deadline = System.nanoTime() + drain.toNanos();
    synchronized (flightLock) {
      while (inFlight > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          log.warn("{} request(s) still running at shutdown; not waiting longer", inFlight);
          return;
        }
        try {
          flightLock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void reject(Object id, int code, String message) {
    try {
      String idJson = id == null ? "null" : json.writeValueAsString(id);
      writer.send(
          "{\"jsonrpc\":\"2.0\",\"id\":"
              + idJson
              + ",\"error\":{\"code\":"
              + code
              + ",\"message\":"
              + json.writeValueAsString(message)
              + "}}");
    } catch (IOException e) {
      log.warn("could not encode an error reply: {}", e.toString());
    }
  }

  private final class SessionTransport implements McpServerTransport {
    @Override
    public Mono<Void> sendMessage(JSONRPCMessage message) {
      return Mono.fromRunnable(
          () -> {
            try {
              writer.send(json.writeValueAsString(message));
            } catch (IOException e) {
              log.warn("could not encode a message: {}", e.toString());
            }
          });
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
      return json.convertValue(data, type);
    }

    @Override
    public Mono<Void> closeGracefully() {
      return Mono.empty();
    }
  }
}

package dev.taskq.dashboard;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.taskq.core.Limits;
import dev.taskq.core.TaskqException;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code taskq dashboard}: a local web page that shows the queue live and offers the CLI's actions.
 * Built on the JDK's own HTTP server (see README "Design decisions"). Every request passes {@link
 * RequestGuard} first; the page then reads JSON from {@code /api/…} and hears of changes on one
 * Server-Sent Events stream driven by the store's change signal.
 *
 * <pre>
 * GET  /                       the page (with ?token=: sets the cookie, redirects to /)
 * GET  /assets/NAME            its CSS, JavaScript and icon
 * GET  /api/board?lane=L&amp;pending=N&amp;…   columns with counts and the first N cards each
 * GET  /api/tasks/ID           one task in full
 * GET  /api/events             text/event-stream: "change" whenever the queue changed
 * GET  /api/workers            the worker pool: state, task, turns and cost of each worker
 * POST /api/tasks              add a task (JSON body)
 * POST /api/tasks/ID/requeue   requeue;  POST /api/tasks/ID/release   release the claim
 * POST /api/tasks/ID/cancel    {"reason"};  POST /api/tasks/ID/priority  {"priority": N}
 * </pre>
 */
public final class Dashboard implements AutoCloseable {
  /** Open event streams at most; each holds a thread of the server. */
  static final int MAX_STREAMS = 32;

  /** A comment line on idle streams, so both ends notice a connection that died quietly. */
  static final Duration HEARTBEAT = Duration.ofSeconds(10);

  /** The largest request body read (a task's text is at most about 70,000 characters). */
  static final int MAX_BODY = 1 << 20;

  /**
   * Defence in depth under the escaping the page does: no inline script or handler runs, nothing
   * loads from elsewhere, and with Trusted Types Chromium refuses any assignment of a string to
   * innerHTML and the like outright.
   */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none';"
          + " require-trusted-types-for 'script'; trusted-types 'none'";

  private final DashboardConfig config;
  private final TaskStore store;
  private final Secret secret;
  private final HttpServer server;
  private final ExecutorService threads;
  private final RequestGuard guard;
  private final ChangeFeed feed;
  private final Actions actions;
  private final LaneList lanes = new LaneList();
  private final StaticAssets assets = new StaticAssets();
  private final JsonMapper json = JsonMapper.builder().build();
  private final AtomicInteger streams = new AtomicInteger();
  private final URI base;
  private final PoolFile workers;
  private final String where;

  private Dashboard(DashboardConfig config, TaskStore store, Secret secret, HttpServer s) {
    this.config = config;
    this.store = store;
    this.secret = secret;
    this.server = s;
    int port = s.getAddress().getPort();
    this.guard = new RequestGuard(secret, hosts(config, port), port);
    this.workers = new PoolFile(config.queueDir());
    this.feed = new ChangeFeed(store, workers::stamp, config.log());
    this.actions = new Actions(store, json, config.person());
    this.where = store.describe(); // "filesystem ext4", "PostgreSQL postgresql://ann@db/app, …"

    this.base = URI.create("http://" + literal(urlAddress(config.bind())) + ":" + port + "/");
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "taskq-dashboard-http");
              t.setDaemon(true);
              return t;
            });
    s.setExecutor(threads);
    s.createContext("/", this::handle);
    s.start();
  }

  /** Starts a dashboard with a fresh random secret. */
  public static Dashboard start(DashboardConfig config, TaskStore store) {
    return start(config, store, Secret.random());
  }

  static Dashboard start(DashboardConfig config, TaskStore store, Secret secret) {
    if (config.port() < 0 || config.port() > 65_535) {
      throw TaskqException.invalid("--port", "must be between 0 (a free port) and 65535");
    }
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 64);
      Dashboard d = new Dashboard(config, store, secret, s);
      d.warmUp();
      return d;
    } catch (BindException e) {
      throw TaskqException.invalid(
          "--port",
          "cannot listen on "
              + literal(config.bind())
              + ":"
              + config.port()
              + " ("
              + e.getMessage()
              + "); leave --port out for a free port, or pick another");
    } catch (IOException e) {
      throw TaskqException.storeError("cannot start the dashboard's web server: " + e, e);
    }
  }

  /**
   * Reads the board once before anyone is told the URL: the store loads its index on the first read
   * (10,000 task files on the file store), and the first page should not wait for that. Measured on
   * a 10,000-task queue: the first board read took 2.7 s, the next 0.2 s.
   */
  private void warmUp() {
    try {
      Map<Column, Integer> shown = new EnumMap<>(Column.class);
      for (Column c : Column.values()) {
        shown.put(c, Column.DEFAULT_SHOWN);
      }
      BoardView.load(store, null, shown, feed.version());
      lanes.get(store, feed.version());
    } catch (TaskqException e) {
      // the page's own read will show what is wrong
    }
  }

  /** The URL to open, with the secret: print it for the person, never log it. */
  public URI url() {
    return base.resolve("/?token=" + secret.value());
  }

  /** The address without the secret, for messages. */
  public URI base() {
    return base;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    feed.close(); // ends the event streams, so stop() need not wait for them
    server.stop(0);
    threads.shutdownNow();
  }

  // ------------------------------------------------------------------ routing

  private void handle(HttpExchange ex) {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    try {
      Headers h = ex.getRequestHeaders();
      RequestGuard.Verdict v =
          guard.check(
              method,
              ex.getRequestURI().getRawQuery(),
              h.getFirst("Host"),
              h.getFirst("Origin"),
              h.getFirst("Sec-Fetch-Site"),
              String.join("; ", h.getOrDefault("Cookie", java.util.List.of())));
      if (!v.allowed()) {
        text(ex, v.status(), "403 Forbidden: " + v.reason() + "\n");
        return;
      }
      if (method.equals("GET")) {
        get(ex, path, v.tokenInQuery());
      } else if (method.equals("POST")) {
        post(ex, path);
      } else {
        ex.getResponseHeaders().set("Allow", "GET, POST");
        text(ex, 405, "405: only GET and POST\n");
      }
    } catch (TaskqException e) {
      reply(ex, actions.error(e));
    } catch (IOException e) {
      // the page went away mid-answer; nothing to tell it
    } catch (RuntimeException e) {
      // Never the query string: it may carry the secret.
      config.log().println("taskq dashboard: " + method + " " + path + " failed: " + e);
      reply(ex, actions.error(TaskqException.storeError("unexpected " + e, e)));
    } finally {
      ex.close();
    }
  }

  private void get(HttpExchange ex, String path, boolean tokenInQuery) throws IOException {
    if (path.equals("/")) {
      if (tokenInQuery) {
        // Trade the URL's secret for a cookie and drop it from the address bar and history.
        ex.getResponseHeaders().add("Set-Cookie", guard.cookieHeader());
        ex.getResponseHeaders().set("Location", "/");
        send(ex, 303, "text/plain; charset=utf-8", new byte[0]);
        return;
      }
      asset(ex, "index.html");
    } else if (path.startsWith("/assets/")) {
      asset(ex, path.substring("/assets/".length()));
    } else if (path.equals("/api/board")) {
      board(ex);
    } else if (path.equals("/api/events")) {
      events(ex);
    } else if (path.equals("/api/workers")) {
      reply(ex, new Actions.Reply(200, workers.read(json)));
    } else if (path.startsWith("/api/tasks/") && path.indexOf('/', "/api/tasks/".length()) < 0) {
      String id = path.substring("/api/tasks/".length());
      ObjectNode task =
          TaskJson.render(
              store.get(id), store.tailLog(TaskJson.LOG_SCAN), config.clock().instant(), json);
      task.put("version", feed.version());
      reply(ex, new Actions.Reply(200, task));
    } else {
      text(ex, 404, "404: no such page\n");
    }
  }

  private void post(HttpExchange ex, String path) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      text(ex, 415, "415: actions take a JSON body (Content-Type: application/json)\n");
      return;
    }
    byte[] body = body(ex);
    if (body == null) {
      text(ex, 413, "413: the request body is over " + MAX_BODY + " bytes\n");
      return;
    }
    if (path.equals("/api/tasks")) {
      reply(ex, actions.add(body));
      return;
    }
    String[] parts = path.split("/");
    // "", "api", "tasks", ID, VERB
    if (parts.length == 5 && parts[1].equals("api") && parts[2].equals("tasks")) {
      switch (parts[4]) {
        case "requeue" -> reply(ex, actions.requeue(parts[3]));
        case "release" -> reply(ex, actions.release(parts[3]));
        case "cancel" -> reply(ex, actions.cancel(parts[3], body));
        case "priority" -> reply(ex, actions.priority(parts[3], body));
        default -> text(ex, 404, "404: no such action\n");
      }
      return;
    }
    text(ex, 404, "404: no such action\n");
  }

  // ------------------------------------------------------------------ handlers

  private void asset(HttpExchange ex, String name) throws IOException {
    byte[] b = assets.get(name);
    if (b == null) {
      text(ex, 404, "404: no such file\n");
      return;
    }
    send(ex, 200, assets.type(name), b);
  }

  private void board(HttpExchange ex) throws IOException {
    String raw = ex.getRequestURI().getRawQuery();
    String lane = Limits.lane(RequestGuard.queryParam(raw, "lane"));
    Map<Column, Integer> shown = new EnumMap<>(Column.class);
    for (Column c : Column.values()) {
      shown.put(c, shown(RequestGuard.queryParam(raw, c.wire()), c.wire()));
    }
    long version = feed.version(); // before the reads: a change during them sends another event
    BoardView b = BoardView.load(store, lane, shown, version);
    ObjectNode root =
        BoardJson.render(b, config.queueDir().toString(), lanes.get(store, version), json);
    root.put("store", where);
    reply(ex, new Actions.Reply(200, root));
  }

  private static int shown(String value, String field) {
    if (value == null || value.isBlank()) {
      return Column.DEFAULT_SHOWN;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1 && n <= Column.MAX_SHOWN) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw TaskqException.invalid(field, "must be a number of cards from 1 to " + Column.MAX_SHOWN);
  }

  /** One Server-Sent Events stream: "hello", then "change" per change, comments while idle. */
  private void events(HttpExchange ex) throws IOException {
    if (streams.incrementAndGet() > MAX_STREAMS) {
      streams.decrementAndGet();
      text(ex, 503, "503: too many open dashboard pages; close some\n");
      return;
    }
    try {
      Headers out = ex.getResponseHeaders();
      security(out);
      out.set("Content-Type", "text/event-stream; charset=utf-8");
      ex.sendResponseHeaders(200, 0);
      OutputStream body = ex.getResponseBody();
      long seen = feed.version();
      event(body, "retry: 1000\nevent: hello\ndata: {\"version\":" + seen + "}\n\n");
      while (!feed.isClosed()) {
        long v = feed.awaitAfter(seen, HEARTBEAT);
        if (feed.isClosed()) {
          break;
        }
        if (v != seen) {
          seen = v;
          event(body, "event: change\ndata: {\"version\":" + v + "}\n\n");
        } else {
          event(body, ": idle\n\n");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      streams.decrementAndGet();
    }
  }

  private static void event(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  // ------------------------------------------------------------------ answers

  private byte[] body(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes(MAX_BODY + 1);
      return b.length > MAX_BODY ? null : b;
    }
  }

  private void reply(HttpExchange ex, Actions.Reply r) {
    try {
      send(ex, r.status(), "application/json", json.writeValueAsBytes(r.body()));
    } catch (IOException e) {
      // the page went away
    }
  }

  private static void text(HttpExchange ex, int status, String body) throws IOException {
    send(ex, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    Headers h = ex.getResponseHeaders();
    security(h);
    h.set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void security(Headers h) {
    h.set("Content-Security-Policy", CSP);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("X-Frame-Options", "DENY");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
    h.set("Cross-Origin-Resource-Policy", "same-origin");
    h.set("Cache-Control", "no-store");
  }

  // ------------------------------------------------------------------ addresses

  /** The Host values this server answers to: how a browser on this machine or the LAN names it. */
  static Set<String> hosts(DashboardConfig c, int port) {
    Set<String> names = new LinkedHashSet<>();
    InetAddress bind = c.bind();
    if (bind.isAnyLocalAddress()) {
      names.add("localhost");
      names.add("127.0.0.1");
      names.add("[::1]");
      try {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          for (InetAddress a : Collections.list(ni.getInetAddresses())) {
            names.add(literal(a));
          }
        }
      } catch (SocketException e) {
        // only the names above then
      }
    } else {
      names.add(literal(bind));
      if (bind.isLoopbackAddress()) {
        names.add("localhost");
      }
    }
    if (c.bindName() != null && !c.bindName().isBlank()) {
      names.add(c.bindName().trim());
    }
    Set<String> out = new LinkedHashSet<>();
    for (String n : names) {
      String lower = n.toLowerCase(Locale.ROOT);
      out.add(lower + ":" + port);
      if (port == 80) {
        out.add(lower); // browsers leave the default port out of Host
      }
    }
    return out;
  }

  private static InetAddress urlAddress(InetAddress bind) {
    return bind.isAnyLocalAddress() ? DashboardConfig.LOOPBACK : bind;
  }

  static String literal(InetAddress a) {
    String s = a.getHostAddress();
    if (a instanceof Inet6Address) {
      int zone = s.indexOf('%');
      return "[" + (zone < 0 ? s : s.substring(0, zone)) + "]";
    }
    return s;
  }
}

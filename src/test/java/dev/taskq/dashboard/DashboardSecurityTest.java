package dev.taskq.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.NewTask;
import dev.taskq.core.QueueQuery;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's refusals over real HTTP on a real socket, as an attacker's page would try. */
class DashboardSecurityTest {
  static final Secret SECRET = new Secret("s3cr3t-s3cr3t-s3cr3t-s3cr3t-0123");

  @TempDir Path dir;
  TaskStore store;
  Dashboard dashboard;
  StringWriter log = new StringWriter();
  int port;

  @BeforeEach
  void start() {
    Path queue = dir.resolve("tasks");
    store = StoreFactory.open(StoreConfig.of(queue));
    store.enqueue(NewTask.of("Audit the importer", "every path listed"));
    dashboard =
        Dashboard.start(
            DashboardConfig.loopback(queue, 0, Clock.systemUTC(), new PrintWriter(log, true)),
            store,
            SECRET);
    port = dashboard.port();
  }

  @AfterEach
  void stop() {
    dashboard.close();
    store.close();
    assertThat(log.toString()).doesNotContain(SECRET.value());
  }

  Map<String, String> headers(String... kv) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Host", "127.0.0.1:" + port);
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] == null) {
        h.remove(kv[i]);
      } else {
        h.put(kv[i], kv[i + 1]);
      }
    }
    return h;
  }

  String cookie() {
    return "taskq_dashboard_" + port + "=" + SECRET.value();
  }

  RawHttp.Response get(String target, String... kv) throws IOException {
    return RawHttp.send(port, "GET", target, headers(kv), null);
  }

  RawHttp.Response postTask(String... kv) throws IOException {
    List<String> all = new ArrayList<>(List.of("Content-Type", "application/json"));
    all.addAll(List.of(kv));
    return RawHttp.send(
        port,
        "POST",
        "/api/tasks",
        headers(all.toArray(String[]::new)),
        "{\"title\":\"Planted\",\"criterion\":\"an attacker planted it\"}");
  }

  int taskCount() {
    return store.list(QueueQuery.firstPage(100)).total();
  }

  @Test
  void a_request_without_the_secret_is_refused_with_403_and_told_where_to_find_it()
      throws IOException {
    for (String target : List.of("/", "/assets/app.js", "/api/board", "/api/events")) {
      RawHttp.Response r = get(target);
      assertThat(r.status()).as(target).isEqualTo(403);
      assertThat(r.body()).as(target).contains("open the URL that `taskq dashboard` printed");
    }
    assertThat(postTask().status()).isEqualTo(403);
    assertThat(taskCount()).isEqualTo(1);
  }

  @Test
  void a_wrong_secret_is_refused_in_the_url_and_in_the_cookie() throws IOException {
    assertThat(get("/api/board?token=" + SECRET.value() + "x").status()).isEqualTo(403);
    assertThat(get("/api/board", "Cookie", "taskq_dashboard_" + port + "=nope").status())
        .isEqualTo(403);
    // Another dashboard's cookie (another port) does not open this one.
    assertThat(
            get("/api/board", "Cookie", "taskq_dashboard_" + (port + 1) + "=" + SECRET.value())
                .status())
        .isEqualTo(403);
    assertThat(get("/api/board", "Cookie", cookie()).status()).isEqualTo(200);
  }

  @Test
  void a_foreign_host_header_is_refused_even_with_the_secret() throws IOException {
    // DNS rebinding: evil.example resolves to 127.0.0.1, and the browser says so in Host.
    RawHttp.Response r = get("/api/board", "Host", "evil.example:" + port, "Cookie", cookie());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("Host header");
    assertThat(get("/api/board", "Host", null, "Cookie", cookie()).status()).isEqualTo(403);
    assertThat(get("/api/board", "Host", "127.0.0.1:" + (port + 1), "Cookie", cookie()).status())
        .isEqualTo(403);

    assertThat(get("/api/board", "Host", "localhost:" + port, "Cookie", cookie()).status())
        .isEqualTo(200);
    assertThat(get("/api/board", "Host", "LOCALHOST:" + port, "Cookie", cookie()).status())
        .isEqualTo(200);
  }

  @Test
  void an_action_from_another_site_is_refused_and_changes_nothing() throws IOException {
    for (String origin : List.of("http://evil.example", "http://localhost:" + (port + 1), "null")) {
      RawHttp.Response r = postTask("Cookie", cookie(), "Origin", origin);
      assertThat(r.status()).as(origin).isEqualTo(403);
      assertThat(r.body()).as(origin).contains("Origin header");
    }
    RawHttp.Response fetchMeta = postTask("Cookie", cookie(), "Sec-Fetch-Site", "cross-site");
    assertThat(fetchMeta.status()).isEqualTo(403);
    assertThat(taskCount()).isEqualTo(1);

    RawHttp.Response own =
        postTask(
            "Cookie",
            cookie(),
            "Origin",
            "http://127.0.0.1:" + port,
            "Sec-Fetch-Site",
            "same-origin");
    assertThat(own.status()).as(own.body()).isEqualTo(201);
    assertThat(taskCount()).isEqualTo(2);
  }

  @Test
  void an_action_without_a_json_body_is_refused_so_a_plain_form_cannot_post_one()
      throws IOException {
    RawHttp.Response r =
        RawHttp.send(
            port,
            "POST",
            "/api/tasks",
            headers("Cookie", cookie(), "Content-Type", "application/x-www-form-urlencoded"),
            "title=Planted&criterion=x");
    assertThat(r.status()).isEqualTo(415);
    assertThat(taskCount()).isEqualTo(1);
  }

  @Test
  void the_secret_in_the_url_becomes_a_cookie_and_leaves_the_address_bar() throws IOException {
    RawHttp.Response r = get("/?token=" + SECRET.value());

    assertThat(r.status()).isEqualTo(303);
    assertThat(r.header("Location")).isEqualTo("/");
    assertThat(r.header("Set-Cookie"))
        .startsWith(cookie() + ";")
        .contains("HttpOnly")
        .contains("SameSite=Strict")
        .contains("Path=/");
  }

  @Test
  void every_answer_forbids_inline_script_framing_and_html_from_strings() throws IOException {
    RawHttp.Response page = get("/", "Cookie", cookie());
    RawHttp.Response refused = get("/");

    for (RawHttp.Response r : List.of(page, refused)) {
      assertThat(r.header("Content-Security-Policy"))
          .contains("script-src 'self'")
          .contains("frame-ancestors 'none'")
          .contains("require-trusted-types-for 'script'");
      assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
    }
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("<script type=\"module\" src=\"/assets/app.js\">");
  }

  @Test
  void the_page_scripts_never_hand_a_string_to_the_html_parser() throws IOException {
    // The browser tests show hostile text stays text; this keeps the dangerous sinks out of the
    // code for good (Trusted Types would also make them throw in Chromium).
    for (String name : List.of("app.js", "markdown.js")) {
      String js = new String(new StaticAssets().get(name), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(js)
          .as(name)
          .doesNotContain("innerHTML")
          .doesNotContain("outerHTML")
          .doesNotContain("insertAdjacentHTML")
          .doesNotContain("document.write")
          .doesNotContain("eval(")
          .doesNotContain("new Function");
    }
  }

  @Test
  void nothing_listens_on_a_non_loopback_address_by_default() throws IOException {
    Path tcp = Path.of("/proc/net/tcp");
    Assumptions.assumeTrue(Files.isReadable(tcp), "needs Linux /proc/net/tcp");
    String hexPort = String.format(Locale.ROOT, "%04X", port);
    List<InetAddress> listening = new ArrayList<>();
    for (Path table : List.of(tcp, Path.of("/proc/net/tcp6"))) {
      if (!Files.isReadable(table)) {
        continue;
      }
      for (String line : Files.readAllLines(table)) {
        String[] f = line.trim().split("\\s+");
        // f[1] = local address:port in hex, f[3] = state (0A = LISTEN)
        if (f.length > 3 && f[1].endsWith(":" + hexPort) && f[3].equals("0A")) {
          listening.add(procAddress(f[1].substring(0, f[1].indexOf(':'))));
        }
      }
    }
    // Java may listen on an IPv6 socket bound to ::ffff:127.0.0.1; either way, loopback only.
    assertThat(listening).hasSize(1);
    assertThat(listening.get(0).isLoopbackAddress()).as(listening.get(0).toString()).isTrue();
  }

  /** /proc/net/tcp* write an address as 32-bit words, each in little-endian hex. */
  static InetAddress procAddress(String hex) throws IOException {
    byte[] b = new byte[hex.length() / 2];
    for (int word = 0; word < b.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = (word * 4 + (3 - i)) * 2;
        b[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    return InetAddress.getByAddress(b);
  }

  @Test
  void actions_answer_with_the_clis_error_line_and_change_nothing() throws IOException {
    String id = store.list(QueueQuery.firstPage(1)).rows().get(0).id();
    RawHttp.Response r =
        RawHttp.send(
            port,
            "POST",
            "/api/tasks/" + id + "/requeue",
            headers("Cookie", cookie(), "Content-Type", "application/json"),
            "{}");

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.body())
        .contains("\"code\":\"CONFLICT\"")
        .contains("\"line\":\"taskq: CONFLICT: " + id + " is already pending; ")
        .contains("nothing was changed");

    RawHttp.Response bad =
        RawHttp.send(
            port,
            "POST",
            "/api/tasks",
            headers("Cookie", cookie(), "Content-Type", "application/json"),
            "{\"title\":\"No criterion\",\"criterion\":\"  \"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body())
        .contains("\"field\":\"criterion\"")
        .contains("taskq: INVALID_ARGUMENT: criterion: is required and must not be blank");
    assertThat(taskCount()).isEqualTo(1);
  }

  @Test
  void a_bad_board_parameter_names_the_field() throws IOException {
    RawHttp.Response r = get("/api/board?completed=0", "Cookie", cookie());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("\"field\":\"completed\"");
    RawHttp.Response lane = get("/api/board?lane=Data%20Base", "Cookie", cookie());
    assertThat(lane.status()).isEqualTo(400);
    assertThat(lane.body()).contains("\"field\":\"lane\"");
  }
}

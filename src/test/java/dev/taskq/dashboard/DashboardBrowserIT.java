package dev.taskq.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.bench.McpClient;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.Holder;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real headless Chromium, against the built jar's {@code taskq dashboard} and a
 * real queue that other processes change. One browser serves all the tests (each gets a fresh
 * page); screenshots go to target/dashboard/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserIT {
  static final Path SHOTS = Path.of("target", "dashboard");

  @TempDir static Path shared;
  Browser browser;

  @BeforeAll
  void startBrowser() throws IOException {
    if (Browser.missing() == null) {
      browser = Browser.start(shared);
    }
  }

  /** Per test, so Maven counts each one as skipped, with the reason, when there is no browser. */
  @org.junit.jupiter.api.BeforeEach
  void needsTheBrowser() {
    Browser.assumeInstalled();
  }

  @AfterAll
  void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  static TaskStore store(Path queue) {
    return StoreFactory.open(StoreConfig.of(queue));
  }

  @Test
  void the_board_shows_a_queue_with_every_state_and_its_screenshot_is_saved(@TempDir Path dir)
      throws IOException {
    Path queue = Files.createDirectories(dir.resolve("shop")).resolve("tasks");
    Holder a = ProcessIdentity.current("3f2a9c1e-aaa");
    Holder b = ProcessIdentity.current("7b1d04e2-bbb");
    try (TaskStore store = store(queue);
        DashboardProcess d = DashboardProcess.start(queue, dir)) {
      DemoQueue.build(store, queue, a, b);
      browser.open(d.url);

      browser.card("pending", "legacy-import");
      browser.card("pending", "i18n-strings");
      assertThat(browser.card("blocked", "report").getText())
          .contains("Write the audit report")
          .contains("waits for api-audit, db-audit"); // ui-audit is done
      WebElement db = browser.card("in_progress", "db-audit");
      assertThat(db.getText())
          .contains("Find every N+1 query in src/db")
          .contains("db")
          .contains("attempt 1/3")
          .contains("66% 120/180")
          .contains("3f2a9c1e-aaa@")
          .containsPattern("lease [45]m");
      assertThat(browser.card("in_progress", "api-audit").getText())
          .contains("priority 3")
          .contains("35% 14/40")
          .contains("7b1d04e2-bbb@");
      assertThat(browser.card("completed", "ui-audit").getText()).contains("100% 40/40");
      browser.card("failed", "css-cleanup");
      assertThat(columnText("corrupt")).contains("pending/notes.md").contains("not valid YAML");
      assertThat(count("pending")).isEqualTo("2");
      assertThat(count("blocked")).isEqualTo("1");
      assertThat(count("in_progress")).isEqualTo("2");
      assertThat(count("completed")).isEqualTo("1");
      assertThat(count("failed")).isEqualTo("1");
      assertThat(browser.driver.findElement(By.id("live")).getText()).isEqualTo("live");
      // The secret traded for a cookie left the address bar.
      assertThat(browser.driver.getCurrentUrl()).doesNotContain("token");

      browser.screenshot(SHOTS.resolve("board.png"));
      browser.open(d.base() + "/#task=db-audit");
      browser.until(
          "the task view of db-audit",
          // textContent: getText() shows headings upper-cased as the CSS draws them
          drv ->
              drv.findElement(By.id("task"))
                  .getAttribute("textContent")
                  .contains("Checkpoints (2)"));
      String task = browser.driver.findElement(By.id("task")).getText();
      assertThat(task)
          .contains("every query in src/db listed with file:line and a fix")
          .contains("list each query issued in a loop")
          .contains("scanned models/ and queries/")
          .contains("queries/report.py:41")
          .contains("CHECKPOINT: db-audit #2 120/180");
      // Markdown became elements: the bold text and the list, not asterisks.
      assertThat(browser.driver.findElements(By.cssSelector("#task .md strong")))
          .extracting(WebElement::getText)
          .contains("in a loop");
      browser.screenshot(SHOTS.resolve("task.png"));
      assertThat(errors()).isEmpty();
    }
  }

  @Test
  void a_task_completed_by_another_process_appears_without_a_reload(@TempDir Path dir)
      throws IOException {
    Path queue = dir.resolve("tasks");
    try (TaskStore store = store(queue);
        DashboardProcess d = DashboardProcess.start(queue, dir)) {
      store.enqueue(DemoQueue.task("port-importer", "Port the importer", "imports", null, null));
      browser.open(d.url);
      browser.card("pending", "port-importer");
      browser.js("window.__sameDocument = true;");

      long before;
      try (McpClient other =
          McpClient.spawn(
              List.of(DashboardProcess.java(), "-jar", DashboardProcess.jar().toString(), "serve"),
              Map.of("TASKQ_DIR", queue.toString(), "HOME", dir.toString()),
              dir.resolve("serve.stderr"))) {
        other.initialize();
        String[] claim = McpClient.idAndToken(other.tool("claim_next", Map.of()));
        browser.card("in_progress", "port-importer");
        before = System.currentTimeMillis();
        other.tool(
            "complete_task",
            Map.of("id", claim[0], "token", claim[1], "outcome", "done", "result", "ported"));
      }
      WebElement done = browser.card("completed", "port-importer");
      double shownAt = Double.parseDouble(done.getAttribute("data-shown-at"));
      assertThat(browser.js("return window.__sameDocument === true")).isEqualTo(true);
      assertThat(browser.driver.findElements(By.cssSelector("article[data-id='port-importer']")))
          .hasSize(1);
      System.out.printf(
          "completion shown %.0f ms after complete_task was sent%n", shownAt - before);
      assertThat(errors()).isEmpty();
    }
  }

  @Test
  void the_lane_filter_and_show_more_page_through_a_big_column(@TempDir Path dir)
      throws IOException {
    Path queue = dir.resolve("tasks");
    try (TaskStore store = store(queue);
        DashboardProcess d = DashboardProcess.start(queue, dir)) {
      List<NewTask> batch = new java.util.ArrayList<>();
      for (int i = 0; i < 130; i++) {
        batch.add(
            new NewTask(
                String.format("t%03d", i),
                "Task " + i,
                "x",
                null,
                i % 2 == 0 ? "even" : "odd",
                0,
                List.of(),
                3,
                null));
        if (batch.size() == 100 || i == 129) {
          store.enqueue(batch);
          batch.clear();
        }
      }
      browser.open(d.url);
      browser.card("pending", "t000");
      assertThat(cards("pending")).hasSize(50);
      assertThat(count("pending")).isEqualTo("130");
      WebElement more = column("pending").findElement(By.className("more"));
      assertThat(more.getText()).isEqualTo("Show 80 more (80 not shown)");
      more.click();
      browser.card("pending", "t129");
      assertThat(cards("pending")).hasSize(130);
      assertThat(more.isDisplayed()).isFalse();

      new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("lane")))
          .selectByValue("odd");
      browser.until("only odd cards", drv -> count("pending").equals("65"));
      assertThat(cards("pending"))
          .extracting(e -> e.getAttribute("data-id"))
          .allMatch(id -> Integer.parseInt(id.substring(1)) % 2 == 1);
      assertThat(browser.driver.getCurrentUrl()).endsWith("#lane=odd");
      assertThat(browser.driver.findElement(By.id("totals")).getText()).contains("in lane odd");
    }
  }

  @Test
  void the_markdown_subset_renders_as_elements_and_hostile_input_stays_cheap(@TempDir Path dir)
      throws IOException {
    Path queue = dir.resolve("tasks");
    try (TaskStore store = store(queue);
        DashboardProcess d = DashboardProcess.start(queue, dir)) {
      browser.open(d.url);
      browser.until(
          "the page",
          drv -> "true".equals(drv.findElement(By.tagName("body")).getAttribute("data-ready")));
      // The page's own renderer, run in the page: element structure in, outerHTML-free checks out.
      String text =
          "## Plan\n\nRead **every** file, *then* `grep`; keep snake_case_names as they are.\n"
              + "See https://example.org/a_b. and [docs](https://example.org/docs)\n\n"
              + "- one\n- two\n\n1. first\n2. second\n\n> quoted\n> > nested\n\n"
              + "```\n<b>code</b>\n```\n---\n[x](javascript:alert(1)) <i>raw</i>";
      @SuppressWarnings("unchecked")
      Map<String, Object> r =
          (Map<String, Object>)
              ((org.openqa.selenium.JavascriptExecutor) browser.driver)
                  .executeAsyncScript(
                      "const done = arguments[arguments.length - 1];"
                          + "import('/assets/markdown.js').then(m => {"
                          + "  const box = document.createElement('div');"
                          + "  box.append(m.renderMarkdown(arguments[0]));"
                          + "  const tags = [...box.querySelectorAll('*')].map(e => e.tagName.toLowerCase());"
                          + "  const t0 = performance.now();"
                          + "  const big = document.createElement('div');"
                          + "  big.append(m.renderMarkdown('*'.repeat(60000) + '\\n' + '*a '.repeat(20000)"
                          + "    + '\\n' + '`'.repeat(30000) + '\\n' + '>'.repeat(5000)));"
                          + "  done({tags, text: box.textContent, links: [...box.querySelectorAll('a')]"
                          + "    .map(a => a.href), ms: performance.now() - t0});"
                          + "});",
                      text);
      assertThat(strings(r.get("tags")))
          .contains("h4", "strong", "em", "code", "ul", "ol", "li", "blockquote", "pre", "hr", "a")
          .doesNotContain("b", "i", "script", "img");
      assertThat((String) r.get("text"))
          .contains("snake_case_names")
          .contains("<b>code</b>")
          .contains("[x](javascript:alert(1)) <i>raw</i>");
      assertThat(strings(r.get("links")))
          .containsExactly("https://example.org/a_b", "https://example.org/docs");
      assertThat(((Number) r.get("ms")).doubleValue())
          .as("ms for 140 KB of hostile marks")
          .isLessThan(2_000);
    }
  }

  @Test
  void the_workers_panel_shows_the_pool_and_its_pause_live(@TempDir Path dir) throws Exception {
    Path queue = dir.resolve("tasks");
    Path state = queue.resolve(".taskq/workers/state.json");
    Holder me = ProcessIdentity.current("supervisor");
    try (TaskStore store = store(queue);
        DashboardProcess d = DashboardProcess.start(queue, dir)) {
      Files.createDirectories(state.getParent());
      Files.writeString(state, poolState("paused", me.pid(), me.processStart()));
      browser.open(d.url);
      WebElement panel = browser.driver.findElement(By.id("workers"));
      browser.until("the workers panel", drv -> panel.isDisplayed());
      assertThat(browser.driver.findElement(By.id("pool-banner")).getText())
          .startsWith("PAUSED: usage limit; resuming at ");
      assertThat(panel.findElement(By.cssSelector("tr[data-worker='worker-1']")).getText())
          .contains("paused")
          .contains("db-audit")
          .contains("12")
          .contains("$0.42");

      // The supervisor writes its file again (by rename, as it does): the page follows.
      Path tmp = state.resolveSibling("state.json.tmp");
      Files.writeString(tmp, poolState("running", me.pid(), me.processStart()));
      Files.move(tmp, state, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      browser.until(
          "the pause banner to go", drv -> !drv.findElement(By.id("pool-banner")).isDisplayed());

      // A supervisor that was killed leaves a file saying "running": no live pool is shown.
      Files.writeString(tmp, poolState("running", me.pid(), me.processStart() + 1));
      Files.move(tmp, state, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      browser.until("the panel to hide", drv -> !panel.isDisplayed());
    }
  }

  /** A state.json as the workers' supervisor writes it (PoolState.toJson). */
  static String poolState(String state, long pid, long pidStart) {
    return "{\"version\": 1, \"state\": \""
        + state
        + "\", "
        + (state.equals("paused")
            ? "\"reason\": \"usage limit\", \"paused_until\": \"2026-11-24T14:05:00Z\", "
            : "")
        + "\"pid\": "
        + pid
        + ", \"pid_start\": "
        + pidStart
        + ", \"workers\": ["
        + "{\"name\": \"worker-1\", \"state\": \""
        + (state.equals("paused") ? "paused" : "working")
        + "\", \"pid\": 0, \"run\": 3, \"run_started\": \"2026-11-24T13:40:00Z\","
        + " \"task\": \"db-audit\", \"turns\": 12, \"cost_usd\": 0.42},"
        + "{\"name\": \"worker-2\", \"state\": \"idle\", \"pid\": 0, \"run\": 1,"
        + " \"turns\": 0, \"cost_usd\": 0.1}]}";
  }

  @Test
  void a_claim_whose_lease_ran_out_shows_as_such_and_the_page_ends_nothing(@TempDir Path dir)
      throws Exception {
    Path queue = dir.resolve("tasks");
    try (TaskStore store = store(queue);
        TaskStore shortLease =
            StoreFactory.open(
                new StoreConfig(queue, java.time.Duration.ofSeconds(1), Clock.systemUTC()));
        DashboardProcess d = DashboardProcess.start(queue, dir)) {
      store.enqueue(DemoQueue.task("slow", "A task whose holder went quiet", "x", null, null));
      ClaimResult.Claimed c =
          (ClaimResult.Claimed) shortLease.claimNext(ProcessIdentity.current("quiet"), null);
      Thread.sleep(1_500);
      browser.open(d.url);
      WebElement card = browser.card("in_progress", "slow");
      assertThat(card.getText()).contains("lease expired");
      // Reads never end a claim: the holder's token still works after the page looked.
      assertThat(queue.resolve("in-progress/slow.md")).exists();
      store.complete("slow", c.claim().token(), Outcome.DONE, "late but whole");
      browser.card("completed", "slow");
    }
  }

  @Test
  void adding_a_task_from_the_page_puts_it_in_pending_and_a_bad_one_gets_the_clis_error(
      @TempDir Path dir) throws IOException {
    Path queue = dir.resolve("tasks");
    try (TaskStore store = store(queue);
        DashboardProcess d = DashboardProcess.start(queue, dir)) {
      browser.open(d.url);
      browser.until(
          "the empty board", drv -> drv.findElement(By.id("live")).getText().equals("live"));

      browser.driver.findElement(By.id("add")).click();
      WebElement form = browser.driver.findElement(By.id("add-form"));
      form.findElement(By.name("title")).sendKeys("Audit the payment flow");
      form.findElement(By.name("criterion")).sendKeys("   ");
      form.findElement(By.cssSelector("button[type=submit]")).click();
      WebElement error = browser.driver.findElement(By.id("add-error"));
      browser.until("the add error", drv -> error.isDisplayed());
      String cli = cliError(dir, queue, "add", "Audit the payment flow", "-c", "   ");
      assertThat(error.getText()).isEqualTo(cli);
      assertThat(form.findElement(By.name("criterion")).getAttribute("class")).contains("invalid");
      assertThat(Files.list(queue.resolve("pending")).toList()).isEmpty();

      form.findElement(By.name("criterion")).clear();
      form.findElement(By.name("criterion")).sendKeys("every path through checkout reviewed");
      form.findElement(By.name("lane")).sendKeys("api");
      WebElement priority = form.findElement(By.name("priority"));
      priority.clear();
      priority.sendKeys("5");
      form.findElement(By.cssSelector("button[type=submit]")).click();

      String toast =
          browser.until(
              "the added message",
              drv -> {
                String t = drv.findElement(By.id("toast")).getText();
                return t.startsWith("added ") ? t : null;
              });
      String id = toast.substring("added ".length(), toast.indexOf(':'));
      Path file = queue.resolve("pending").resolve(id + ".md");
      assertThat(file).exists();
      assertThat(Files.readString(file))
          .contains("title: Audit the payment flow")
          .contains("lane: api")
          .contains("priority: 5");
      assertThat(browser.card("pending", id).getText()).contains("Audit the payment flow");
    }
  }

  @Test
  void hostile_task_text_renders_as_text(@TempDir Path dir) throws IOException {
    Path queue = dir.resolve("tasks");
    String title = "<img src=x onerror=\"window.__xss=1\"> <script>window.__xss=2</script> **x**";
    String instructions =
        "# Notes\n<img src=x onerror=\"window.__xss=3\">\n\n"
            + "- [click](javascript:window.__xss=4)\n"
            + "- [docs](https://example.org/guide)\n"
            + "- <a href=\"javascript:window.__xss=5\">link</a> and `<b>code</b>`";
    try (TaskStore store = store(queue);
        DashboardProcess d = DashboardProcess.start(queue, dir)) {
      store.enqueue(
          new NewTask(
              "hostile",
              title,
              "<svg onload=\"window.__xss=6\">",
              instructions,
              null,
              0,
              List.of(),
              3,
              null));
      browser.open(d.url);
      WebElement card = browser.card("pending", "hostile");
      assertThat(card.findElement(By.className("title")).getText()).isEqualTo(title);

      browser.open(d.base() + "/#task=hostile");
      browser.until(
          "the hostile task view",
          drv -> drv.findElement(By.id("task")).getText().contains("Notes"));
      WebElement task = browser.driver.findElement(By.id("task"));
      assertThat(task.findElement(By.tagName("h1")).getText()).isEqualTo(title);
      assertThat(task.getText())
          .contains("<img src=x onerror=\"window.__xss=3\">")
          .contains("<svg onload=\"window.__xss=6\">")
          .contains("[click](javascript:window.__xss=4)")
          .contains("<a href=\"javascript:window.__xss=5\">link</a>");
      for (String tag : List.of("img", "script", "svg", "b", "iframe")) {
        assertThat(browser.driver.findElements(By.cssSelector("#board " + tag + ", #task " + tag)))
            .as(tag)
            .isEmpty();
      }
      List<WebElement> links = task.findElements(By.tagName("a"));
      assertThat(links).hasSize(1);
      assertThat(links.get(0).getAttribute("href")).isEqualTo("https://example.org/guide");
      assertThat(links.get(0).getAttribute("rel")).contains("noopener").contains("noreferrer");
      assertThat(task.findElements(By.tagName("code")))
          .extracting(WebElement::getText)
          .contains("<b>code</b>");
      assertThat(browser.js("return window.__xss === undefined")).isEqualTo(true);
      assertThat(errors()).isEmpty();
    }
  }

  @Test
  void the_page_says_when_it_lost_the_connection_and_reconnects_by_itself(@TempDir Path dir)
      throws Exception {
    Path queue = dir.resolve("tasks");
    Secret secret = Secret.random();
    StringWriter log = new StringWriter();
    try (TaskStore store = store(queue)) {
      DashboardConfig first =
          DashboardConfig.loopback(queue, 0, Clock.systemUTC(), new PrintWriter(log, true));
      Dashboard d = Dashboard.start(first, store, secret);
      int port = d.port();
      browser.open(d.url().toString());
      WebElement live = browser.driver.findElement(By.id("live"));
      browser.until("the live indicator", drv -> live.getText().equals("live"));

      d.close();
      browser.until(
          "the lost-connection notice",
          drv -> live.getText().equals("connection lost — reconnecting…"));
      browser.screenshot(SHOTS.resolve("reconnecting.png"));
      store.enqueue(
          DemoQueue.task("while-away", "Added while the page was cut off", "x", null, null));

      Dashboard again =
          Dashboard.start(
              DashboardConfig.loopback(queue, port, Clock.systemUTC(), new PrintWriter(log, true)),
              store,
              secret);
      try {
        browser.until("the page to reconnect", drv -> live.getText().equals("live"));
        browser.card("pending", "while-away");
      } finally {
        again.close();
      }
    }
  }

  @Test
  void release_requeue_priority_and_cancel_from_the_task_view_do_what_the_cli_does(
      @TempDir Path dir) throws IOException {
    Path queue = dir.resolve("tasks");
    try (TaskStore store = store(queue);
        DashboardProcess d = DashboardProcess.start(queue, dir)) {
      DemoQueue.build(
          store, queue, ProcessIdentity.current("3f2a9c1e-aaa"), ProcessIdentity.current("b"));
      browser.open(d.url);
      browser.card("in_progress", "db-audit").click();
      browser.until(
          "the release button",
          drv -> !drv.findElements(By.cssSelector("#task button[data-action=release]")).isEmpty());
      browser.driver.findElement(By.cssSelector("#task button[data-action=release]")).click();
      browser.card("pending", "db-audit");
      // The board may hear of the change (event stream) before the action's own answer arrives.
      browser.until(
          "the release message",
          drv ->
              drv.findElement(By.id("toast"))
                  .getText()
                  .startsWith("released db-audit: back in pending"));
      assertThat(queue.resolve("pending/db-audit.md")).exists();

      browser.open(d.base() + "/#task=css-cleanup");
      browser.until(
          "the requeue button",
          drv -> !drv.findElements(By.cssSelector("#task button[data-action=requeue]")).isEmpty());
      browser.driver.findElement(By.cssSelector("#task button[data-action=requeue]")).click();
      browser.card("pending", "css-cleanup");
      assertThat(queue.resolve("pending/css-cleanup.md")).exists();

      browser.open(d.base() + "/#task=i18n-strings");
      WebElement priority =
          browser.until(
              "the priority field",
              drv ->
                  drv.findElements(By.cssSelector("#task input[name=priority]")).stream()
                      .findFirst()
                      .orElse(null));
      priority.clear();
      priority.sendKeys("9");
      browser.driver.findElement(By.cssSelector("#task button[data-action=priority]")).click();
      browser.until(
          "i18n-strings first in pending with priority 9",
          drv -> {
            List<WebElement> cards =
                drv.findElements(By.cssSelector("section[data-column='pending'] article"));
            return !cards.isEmpty()
                && cards.get(0).getAttribute("data-id").equals("i18n-strings")
                && cards.get(0).getText().contains("priority 9");
          });

      browser.open(d.base() + "/#task=legacy-import");
      browser.until(
          "the cancel button",
          drv -> !drv.findElements(By.cssSelector("#task button[data-action=cancel]")).isEmpty());
      browser.driver.findElement(By.cssSelector("#task button[data-action=cancel]")).click();
      WebElement form = browser.driver.findElement(By.id("cancel-form"));
      form.findElement(By.name("reason")).sendKeys("the importer is being dropped");
      form.findElement(By.cssSelector("button[type=submit]")).click();
      browser.card("failed", "legacy-import");
      assertThat(Files.readString(queue.resolve("log.txt")))
          .containsPattern(
              "CANCELLED: legacy-import .*via the dashboard.*the importer is being dropped");

      // A refused action answers with exactly the CLI's line for the same request.
      RawHttp.Response refused =
          RawHttp.send(
              d.port(),
              "POST",
              "/api/tasks/ui-audit/cancel?token=" + d.token(),
              Map.of("Host", "127.0.0.1:" + d.port(), "Content-Type", "application/json"),
              "{}");
      assertThat(refused.status()).isEqualTo(409);
      String cli = cliError(dir, queue, "cancel", "ui-audit");
      assertThat(cli).startsWith("taskq: CONFLICT: ");
      assertThat(refused.body()).contains("\"line\":" + JSON.writeValueAsString(cli));
    }
  }

  static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  /** The one error line the CLI prints for the same input. */
  static String cliError(Path dir, Path queue, String... args) throws IOException {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(DashboardProcess.java(), "-jar", DashboardProcess.jar().toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--dir", queue.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("HOME", dir.toString());
    Process p = pb.start();
    p.getOutputStream().close();
    String err =
        new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      p.waitFor(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return err.strip();
  }

  String columnText(String column) {
    return browser
        .driver
        .findElement(By.cssSelector("section[data-column='" + column + "']"))
        .getText();
  }

  static List<String> strings(Object list) {
    return ((List<?>) list).stream().map(String::valueOf).toList();
  }

  WebElement column(String column) {
    return browser.driver.findElement(By.cssSelector("section[data-column='" + column + "']"));
  }

  List<WebElement> cards(String column) {
    return column(column).findElements(By.cssSelector("article[data-id]"));
  }

  String count(String column) {
    return browser
        .driver
        .findElement(By.cssSelector("section[data-column='" + column + "'] h2 .count"))
        .getText();
  }

  /**
   * Script errors and Content-Security-Policy refusals the page logged since the last call. Failed
   * requests are left out: a stopped dashboard makes its page log those, by design.
   */
  List<String> errors() {
    return browser.console().stream().filter(m -> !m.contains("Failed to load resource")).toList();
  }

  @org.junit.jupiter.api.BeforeEach
  void forgetEarlierPagesConsole() {
    if (browser != null) {
      browser.console();
    }
  }
}

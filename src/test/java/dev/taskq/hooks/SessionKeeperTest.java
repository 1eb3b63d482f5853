package dev.taskq.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.Claim;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.Holder;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.store.MutableClock;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's side of the hooks, with a real file store: this test JVM is the server, its parent
 * stands in for Claude Code. The clock is the stores' and the keeper's; waits are bounded.
 */
class SessionKeeperTest {
  static final Duration LEASE = Duration.ofSeconds(5);
  static final String SESSION = "keeper-session";

  @TempDir Path dir;
  Path project;
  Path queue;
  MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  Holder server = ProcessIdentity.current(SESSION);
  Map<String, String> env = new HashMap<>();
  AtomicReference<TaskStore> serverStore = new AtomicReference<>();
  List<TaskStore> others = new ArrayList<>();
  SessionKeeper keeper;
  SessionFiles files;

  @BeforeEach
  void setUp() throws Exception {
    project = Files.createDirectories(dir.resolve("project"));
    queue = project.resolve("tasks");
    for (String f : List.of("pending", "in-progress", "completed", "failed", "checkpoints")) {
      Files.createDirectories(queue.resolve(f));
    }
    env.put("HOME", dir.toString());
    env.put("CLAUDE_PROJECT_DIR", project.toString());
    env.put("TASKQ_LEASE_SECONDS", Long.toString(LEASE.toSeconds()));
    files =
        SessionFiles.of(queue, SessionKey.of(ProcessHandle.current().parent().orElseThrow().pid()));
    keeper =
        new SessionKeeper(env, project, clock, server, this::openServerStore, serverStore::get);
  }

  @AfterEach
  void tearDown() {
    keeper.close();
    others.forEach(TaskStore::close);
    TaskStore s = serverStore.get();
    if (s != null) {
      s.close();
    }
  }

  private TaskStore openServerStore() {
    return serverStore.updateAndGet(s -> s != null ? s : open());
  }

  private TaskStore open() {
    return StoreFactory.open(new StoreConfig(queue, LEASE, clock));
  }

  private TaskStore another() {
    TaskStore s = open();
    others.add(s);
    return s;
  }

  private Claim claimAsServer() {
    return claimAsServer("held");
  }

  private Claim claimAsServer(String id) {
    TaskStore s = openServerStore();
    s.enqueue(new NewTask(id, "Held", "c", null, null, 0, List.of(), 3, null));
    return ((ClaimResult.Claimed) s.claimNext(server, null)).claim();
  }

  private Instant leaseUntil(String id) {
    return another().get(id).task().lease().until();
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime() < deadline).as("within 20 s: " + what).isTrue();
      Thread.sleep(50);
    }
  }

  @Test
  void the_server_keeps_a_folder_for_its_claude_code_process_and_removes_it_at_the_end()
      throws Exception {
    keeper.start();

    await("the session folder", () -> files.read(SessionFiles.SERVER) != null);
    assertThat(files.read(SessionFiles.SERVER))
        .isEqualTo(ProcessHandle.current().pid() + " " + server.label() + "\n");
    keeper.close();
    assertThat(files.exists()).isFalse();
  }

  @Test
  void without_tool_hooks_a_claude_code_sessions_claims_are_renewed_while_the_server_runs()
      throws Exception {
    env.put("CLAUDECODE", "1");
    keeper =
        new SessionKeeper(env, project, clock, server, this::openServerStore, serverStore::get);
    Claim c = claimAsServer();
    keeper.start();
    await("the session folder", () -> files.read(SessionFiles.SERVER) != null);

    clock.advance(Duration.ofSeconds(2));

    Instant renewed = c.leaseUntil().plusSeconds(2);
    await("a renewal to " + renewed, () -> leaseUntil("held").equals(renewed));
  }

  @Test
  void another_client_without_hooks_renews_its_claims_only_by_its_calls() throws Exception {
    Claim c = claimAsServer();
    keeper.start();
    await("the session folder", () -> files.read(SessionFiles.SERVER) != null);

    clock.advance(Duration.ofSeconds(2));
    Thread.sleep(2000); // a few of the keeper's looks: nothing to renew on
    assertThat(leaseUntil("held")).isEqualTo(c.leaseUntil());

    keeper.request();
    clock.advance(Duration.ofSeconds(2));
    Instant renewed = clock.instant().plus(LEASE);
    await("a renewal after a call", () -> leaseUntil("held").equals(renewed));
  }

  @Test
  void with_tool_hooks_the_claims_are_renewed_only_after_a_sign_of_work() throws Exception {
    env.put("CLAUDECODE", "1");
    keeper =
        new SessionKeeper(env, project, clock, server, this::openServerStore, serverStore::get);
    Claim c = claimAsServer();
    keeper.start();
    await("the session folder", () -> files.read(SessionFiles.SERVER) != null);
    files.writeIfPresent(SessionFiles.ACTIVITY, "0");
    Files.setLastModifiedTime(
        files.dir().resolve(SessionFiles.ACTIVITY),
        FileTime.from(clock.instant().minusSeconds(60)));

    clock.advance(Duration.ofSeconds(2));
    Thread.sleep(2000); // a few of the keeper's looks: nothing to renew on
    assertThat(leaseUntil("held")).isEqualTo(c.leaseUntil());

    files.writeIfPresent(SessionFiles.ACTIVITY, "1"); // a tool started (a long build)
    clock.advance(Duration.ofSeconds(2));
    Instant renewed = clock.instant().plus(LEASE);
    await("a renewal while a tool runs", () -> leaseUntil("held").equals(renewed));
  }

  @Test
  void the_server_keeps_its_claims_for_the_stop_and_session_start_hooks() throws Exception {
    keeper.start();
    await("the session folder", () -> files.read(SessionFiles.SERVER) != null);

    Claim c = claimAsServer();
    keeper.claimed(c);

    assertThat(files.read(SessionFiles.CLAIMS)).as("written before the reply leaves").isNotNull();
    List<HeldClaim> kept = HeldClaim.fromJson(files.read(SessionFiles.CLAIMS));
    assertThat(kept)
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.id()).isEqualTo("held");
              assertThat(h.token()).isEqualTo(c.token());
              assertThat(h.progressAt()).isEqualTo(clock.instant());
            });
    openServerStore().complete("held", c.token(), Outcome.DONE, "done");
    keeper.released("held");
    assertThat(files.read(SessionFiles.CLAIMS)).isNull();

    // A claim someone else ended (a person's release) drops out on the keeper's next look.
    Claim again = claimAsServer("again");
    keeper.claimed(again);
    another().forceRelease("again");
    await("claims.json after a release by a person", () -> files.read(SessionFiles.CLAIMS) == null);
  }

  @Test
  void tasks_finished_by_others_become_news_until_a_prompt_has_shown_them() throws Exception {
    keeper.start();
    await("the session folder", () -> files.read(SessionFiles.SERVER) != null);
    files.writeIfPresent(SessionFiles.PROMPT, "0"); // the session has the prompt hook
    TaskStore other = another();
    other.enqueue(new NewTask("db-audit", "Audit", "c", null, null, 0, List.of(), 3, null));
    Holder worker = new Holder("worker-2", "elsewhere.test", 42, 42);
    Claim w = ((ClaimResult.Claimed) other.claimNext(worker, null)).claim();

    other.complete("db-audit", w.token(), Outcome.DONE, "found 3");

    await(
        "the news",
        () ->
            "1\nDONE: db-audit — result in tasks/completed/db-audit.md\n"
                .equals(files.read(SessionFiles.NEWS)));
    files.writeIfPresent(SessionFiles.PROMPT, "1");
    await("the news shown and dropped", () -> files.read(SessionFiles.NEWS) == null);
  }

  @Test
  void a_resumed_session_has_its_interrupted_claim_taken_back_when_its_hook_asks()
      throws Exception {
    Process old = new ProcessBuilder("sleep", "30").start();
    Holder ghost = ProcessIdentity.of(old.toHandle(), SESSION);
    old.destroyForcibly();
    assertThat(old.waitFor(10, TimeUnit.SECONDS)).isTrue();
    TaskStore other = another();
    other.enqueue(NewTask.of("interrupted", "c"));
    Claim lost = ((ClaimResult.Claimed) other.claimNext(ghost, null)).claim();
    keeper.start();
    await("the session folder", () -> files.read(SessionFiles.SERVER) != null);

    files.replace(SessionFiles.RESUME, SESSION + "\n");

    await(
        "the claim taken back",
        () -> another().get(lost.task().id()).task().lease().holder().equals(server));
    assertThat(another().get(lost.task().id()).task().lease().token()).isEqualTo(lost.token());
    assertThat(files.read(SessionFiles.RESUME)).isNull();
  }
}

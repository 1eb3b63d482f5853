package dev.taskq.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.NewTask;
import dev.taskq.store.TaskStore;
import dev.taskq.store.file.LockHolder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A hook runs inside every session of the project, workers included: whatever goes wrong it prints
 * nothing (or one short line on stderr), exits 0, gives up within its own deadline and writes
 * nothing but its session's small files.
 */
class HooksNeverInTheWayTest {
  @TempDir Path dir;
  HookRig rig;

  @BeforeEach
  void setUp() throws Exception {
    rig = new HookRig(dir);
    try (TaskStore s = rig.store()) {
      s.enqueue(NewTask.of("held", "c"));
      rig.claimAsThisSession(s);
    }
    rig.clock.advance(Duration.ofMinutes(30));
  }

  @AfterEach
  void tearDown() {
    rig.close();
  }

  static Stream<Arguments> badInputs() {
    List<Arguments> out = new ArrayList<>();
    for (HookEvent e : HookEvent.values()) {
      for (String input :
          List.of(
              "",
              "not json",
              "[1,2,3]",
              "{\"session_id\": 42, \"source\": [], \"stop_hook_active\": \"yes\"}",
              "{}",
              "{\"hook_event_name\":\"SessionStart\",\"source\":\"somewhere-new\"}",
              "{\"truncated\": ")) {
        out.add(Arguments.of(e.wire(), input));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("badInputs")
  void bad_or_unexpected_stdin_prints_nothing_and_exits_0(String event, String input)
      throws Exception {
    Map<String, String> before = HookRig.tree(rig.queue);

    HookRig.Run r = rig.run(event, input);

    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    if (!event.equals("stop") && !event.equals("session-start")) {
      assertThat(r.out()).isEmpty();
    }
    assertThat(changedOutsideSessions(before)).isEmpty();
  }

  @Test
  void stop_and_session_start_with_fields_missing_say_nothing_beyond_their_contract() {
    // No session_id and no source: SessionStart cannot tell why it runs, so it keeps quiet; Stop
    // without stop_hook_active is a normal Stop and may ask once.
    assertThat(rig.run("session-start", "{}").out()).isEmpty();
    assertThat(rig.run("stop", "{}").out()).startsWith("{\"decision\":\"block\"");
    assertThat(rig.run("stop", "{}").out()).isEmpty();
  }

  @Test
  void an_unknown_event_leaves_one_short_line_on_stderr() {
    HookRig.Run r = rig.run("session-teleport", "{}");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList())
        .singleElement()
        .asString()
        .startsWith("taskq hook: no event 'session-teleport'; this taskq knows session-start,")
        .hasSizeLessThan(200);
  }

  @Test
  void no_queue_means_nothing_to_do_and_nothing_created() throws Exception {
    Path elsewhere = Files.createDirectories(dir.resolve("not-a-project"));
    rig.env.put("CLAUDE_PROJECT_DIR", elsewhere.toString());
    rig.env.put("TASKQ_DIR", elsewhere.resolve("tasks").toString());

    for (HookEvent e : HookEvent.values()) {
      HookRig.Run r = rig.run(e.wire(), HookRig.fixture("Stop-stop_hook_active-false.json"));
      assertThat(r).as(e.wire()).isEqualTo(new HookRig.Run(0, "", ""));
    }
    assertThat(HookRig.tree(elsewhere)).containsOnlyKeys("");
  }

  @Test
  void a_locked_store_makes_a_hook_give_up_within_its_deadline_with_one_line() throws Exception {
    rig.env.put("TASKQ_HOOK_DEADLINE_MS", "1500");
    Process holder = holdLock();
    try {
      long t0 = System.nanoTime();
      HookRig.Run r = rig.run("stop", HookRig.fixture("Stop-stop_hook_active-false.json"));
      long ms = (System.nanoTime() - t0) / 1_000_000;

      assertThat(r.code()).isZero();
      assertThat(r.out()).isEmpty();
      assertThat(r.err()).isEqualTo("taskq hook stop: gave up after 1500 ms\n");
      assertThat(ms).as("gave up at its deadline, not the lock's 30 s").isLessThan(10_000);
    } finally {
      holder.getOutputStream().close();
      holder.waitFor();
    }
  }

  @Test
  void an_unreachable_database_makes_a_hook_say_one_line_and_exit_0() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort(); // free now, and nothing listens once closed
    }
    rig.env.put("TASKQ_DATABASE_URL", "postgresql://taskq@127.0.0.1:" + closed + "/nowhere");
    rig.env.put("TASKQ_HOOK_DEADLINE_MS", "10000");

    for (String event : List.of("stop", "stop-failure", "session-start")) {
      String payload =
          event.equals("stop-failure")
              ? HookRig.fixture("StopFailure-rate_limit.json")
              : event.equals("stop")
                  ? HookRig.fixture("Stop-stop_hook_active-false.json")
                  : HookRig.fixture("SessionStart-clear.json");
      HookRig.Run r = rig.run(event, payload);

      assertThat(r.code()).as(event).isZero();
      assertThat(r.out()).as(event).isEmpty();
      assertThat(r.err().lines().toList())
          .as(event)
          .singleElement()
          .asString()
          .startsWith("taskq hook " + event + ": ")
          .contains("unreachable")
          .doesNotContain("password");
    }
  }

  @Test
  void taskq_hooks_off_turns_every_hook_into_nothing() throws Exception {
    rig.env.put("TASKQ_HOOKS", "off");
    SessionFiles f = rig.serverKeepsItsFolder();
    f.replace(SessionFiles.NEWS, "1\nDONE: x — result in tasks/completed/x.md\n");

    for (HookEvent e : HookEvent.values()) {
      assertThat(rig.run(e.wire(), HookRig.fixture("Stop-stop_hook_active-false.json")))
          .as(e.wire())
          .isEqualTo(new HookRig.Run(0, "", ""));
    }
    assertThat(f.read(SessionFiles.PROMPT)).isNull();
    assertThat(f.read(SessionFiles.ACTIVITY)).isNull();
  }

  /**
   * Paths under the queue that changed, except the session folders and the store's own machinery
   * (its index, journal and lock file, which any reader of the file store may refresh).
   */
  private List<String> changedOutsideSessions(Map<String, String> before) throws Exception {
    Map<String, String> after = HookRig.tree(rig.queue);
    List<String> changed = new ArrayList<>();
    for (String k : union(before, after)) {
      if (k.startsWith(".taskq/sessions")
          || k.startsWith(".taskq/index")
          || k.startsWith(".taskq/journal")
          || k.equals(".taskq/lock")) {
        continue;
      }
      if (!java.util.Objects.equals(before.get(k), after.get(k))) {
        changed.add(k);
      }
    }
    return changed;
  }

  private static List<String> union(Map<String, String> a, Map<String, String> b) {
    java.util.TreeSet<String> s = new java.util.TreeSet<>(a.keySet());
    s.addAll(b.keySet());
    return List.copyOf(s);
  }

  private Process holdLock() throws Exception {
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    LockHolder.class.getName(),
                    rig.queue.toString()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).as("the holder process took the lock").isEqualTo("LOCKED");
    return p;
  }
}

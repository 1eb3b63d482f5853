package dev.taskq.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.CheckpointRequest;
import dev.taskq.core.Claim;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.ErrorCode;
import dev.taskq.core.Holder;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.TaskState;
import dev.taskq.core.TaskqException;
import dev.taskq.store.MutableClock;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machine misbehaves: the disk fills, the queue turns read-only, someone deletes the lock file,
 * the clock steps back. Each gives a clear error, leaves no partial file, and the queue is
 * consistent afterwards.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EnvironmentFaultsTest {
  private static final Pattern LOG_LINE =
      Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z [A-Z-]+: \\S+( .*)?$");

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
  private final Holder me = ProcessIdentity.current("env-faults");
  private final List<TaskStore> stores = new ArrayList<>();
  private SmallDisk disk;

  @AfterEach
  void cleanUp() throws IOException {
    stores.forEach(TaskStore::close);
    if (disk != null) {
      disk.close();
    }
  }

  private TaskStore open(Path queue) {
    TaskStore s = StoreFactory.open(new StoreConfig(queue, Duration.ofMinutes(15), clock));
    stores.add(s);
    return s;
  }

  @Test
  void full_disk_gives_a_store_error_leaves_no_partial_file_and_the_queue_recovers()
      throws Exception {
    disk = SmallDisk.mountOrSkip(tmp.resolve("disk"), "1m");
    Path queue = disk.mountPoint.resolve("queue");
    TaskStore store = open(queue);
    store.enqueue(List.of(task("a"), task("b"), task("c")));
    Claim a = claim(store);
    Path filler = disk.fill();

    failsWith("enqueue", "space", () -> store.enqueue(List.of(task("x1"), task("x2"), task("x3"))));
    assertConsistent(queue);
    failsWith(
        "checkpoint",
        "space",
        () ->
            store.writeCheckpoint(
                new CheckpointRequest(
                    "a", a.token(), "half way " + "x".repeat(8000), null, null, null)));
    assertConsistent(queue);
    failsWith(
        "complete", "space", () -> store.complete("a", a.token(), Outcome.DONE, "y".repeat(9000)));
    assertConsistent(queue);

    Files.delete(filler);
    QueueOnDisk after = assertConsistent(queue);
    long batch = List.of("x1", "x2", "x3").stream().filter(after.tasks::containsKey).count();
    assertThat(batch).as("an enqueue batch is all or nothing").isIn(0L, 3L);
    // The claim survived the full disk: its holder finishes it now.
    store.complete("a", a.token(), Outcome.DONE, "done after the disk was freed");
    TaskStore fresh = open(queue);
    QueuePage page = fresh.list(QueueQuery.firstPage(100));
    QueueOnDisk end = assertConsistent(queue);
    assertThat(page.count(TaskState.COMPLETED)).isEqualTo(1);
    assertThat(end.doneLines).containsExactly(Map.entry("a", 1));
    assertThat(page.total()).isEqualTo(end.tasks.size());
  }

  @Test
  void read_only_queue_gives_a_clear_error_and_works_again_when_writable() throws Exception {
    disk = SmallDisk.tryMount(tmp.resolve("disk"), "4m");
    boolean root = "root".equals(System.getProperty("user.name"));
    if (disk == null && root) {
      SmallDisk.skipLoudly(
          "running as root without mount rights: chmod cannot make a folder read-only");
    }
    Path queue = (disk == null ? tmp : disk.mountPoint).resolve("queue");
    TaskStore first = open(queue);
    first.enqueue(List.of(task("a"), task("b")));
    Claim a = claim(first);
    first.close(); // the kernel refuses to remount read-only while files are open for writing
    stores.remove(first);
    TreeSnapshot before = TreeSnapshot.of(queue);

    // A tmpfs remounted read-only stops root too; without mount rights, permissions stop a user.
    String why = disk != null ? "read-only" : "AccessDenied";
    if (disk != null) {
      disk.readOnly();
    } else {
      setWritable(queue, false);
    }
    TaskStore store = open(queue);
    failsWith("enqueue", why, () -> store.enqueue(task("c")));
    failsWith("claim", why, () -> store.claimNext(me, null));
    failsWith("complete", why, () -> store.complete("a", a.token(), Outcome.DONE, "r"));
    failsWith("log", why, () -> store.appendLog("note", "a", a.token()));
    try {
      store.list(QueueQuery.firstPage(10));
      System.out.println("read-only queue: list() works");
    } catch (TaskqException e) {
      System.out.println("read-only queue: list() refused: " + e.describe());
    }
    assertThat(TreeSnapshot.of(queue)).isEqualTo(before);

    if (disk != null) {
      disk.readWrite();
    } else {
      setWritable(queue, true);
    }
    store.complete("a", a.token(), Outcome.DONE, "done once writable again");
    QueueOnDisk end = assertConsistent(queue);
    assertThat(end.stateById())
        .containsEntry("a", TaskState.COMPLETED)
        .containsEntry("b", TaskState.PENDING)
        .doesNotContainKey("c");
    assertThat(open(queue).list(QueueQuery.firstPage(10)).count(TaskState.COMPLETED)).isEqualTo(1);
  }

  private static void setWritable(Path queue, boolean writable) throws IOException {
    try (var all = Files.walk(queue)) {
      for (Path p : all.toList()) {
        Files.setPosixFilePermissions(
            p,
            java.nio.file.attribute.PosixFilePermissions.fromString(
                Files.isDirectory(p)
                    ? (writable ? "rwxr-xr-x" : "r-xr-xr-x")
                    : (writable ? "rw-r--r--" : "r--r--r--")));
      }
    }
  }

  @Test
  void lock_file_deleted_while_two_processes_have_the_queue_open_gives_no_double_claim_afterwards()
      throws Exception {
    Path queue = tmp.resolve("queue");
    enqueueMany(queue, 300);
    Path go = tmp.resolve("go");
    List<Process> workers = startWorkers(queue, go);
    for (Process p : workers) {
      // each has opened the queue and holds its channel on the lock file
      assertThat(
              new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))
                  .readLine())
          .isEqualTo("READY");
    }
    Files.delete(queue.resolve(".taskq/lock"));
    Files.createFile(go);
    assertEachTaskClaimedOnce(queue, workers, 300, 1);
  }

  @Test
  void lock_file_deleted_again_and_again_during_claims_never_gives_a_double_claim()
      throws Exception {
    Path queue = tmp.resolve("queue");
    enqueueMany(queue, 300);
    Path go = tmp.resolve("go");
    Files.createFile(go);
    List<Process> workers = startWorkers(queue, go);
    Path lock = queue.resolve(".taskq/lock");
    int deletions = 0;
    while (workers.stream().anyMatch(Process::isAlive)) {
      if (Files.deleteIfExists(lock)) {
        deletions++;
      }
      Thread.sleep(50);
    }
    assertEachTaskClaimedOnce(queue, workers, 300, deletions);
  }

  private void enqueueMany(Path queue, int n) {
    try (TaskStore store = StoreFactory.open(StoreConfig.of(queue))) {
      List<NewTask> batch = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        batch.add(task(String.format("t%03d", i)));
        if (batch.size() == 100 || i == n - 1) {
          store.enqueue(batch);
          batch.clear();
        }
      }
    }
  }

  private static List<Process> startWorkers(Path queue, Path go) throws IOException {
    List<Process> workers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      workers.add(
          javaProcess(LockRaceWorker.class.getName(), queue.toString(), "w" + w, go.toString()));
    }
    return workers;
  }

  private static void assertEachTaskClaimedOnce(
      Path queue, List<Process> workers, int n, int deletions) throws Exception {
    Map<String, Integer> claimedBy = new HashMap<>();
    for (Process p : workers) {
      String out = new String(p.getInputStream().readAllBytes());
      String err = new String(p.getErrorStream().readAllBytes());
      java.util.regex.Matcher m = Pattern.compile("claim on (\\S+) ").matcher(err);
      if (p.waitFor() != 0 && m.find()) {
        String id = m.group(1);
        QueueOnDisk.read(queue).logLines.stream()
            .filter(l -> l.contains(": " + id + " "))
            .forEach(l -> System.out.println("history of " + id + ": " + l));
      }
      System.out.println(out.lines().filter(l -> l.startsWith("STORE_ERRORS")).toList());
      assertThat(p.exitValue()).as(err).isZero();
      for (String line : out.split("\n")) {
        if (line.startsWith("CLAIMED ")) {
          claimedBy.merge(line.substring(8), 1, Integer::sum);
        }
      }
    }
    System.out.println("lock file deleted " + deletions + " times during " + n + " claims");
    assertThat(deletions).as("the lock file was really deleted during the run").isPositive();
    assertThat(claimedBy)
        .hasSize(n)
        .allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1));
    QueueOnDisk end = assertConsistent(queue);
    assertThat(end.stateById().values()).containsOnly(TaskState.COMPLETED).hasSize(n);
    assertThat(end.doneLines.values()).hasSize(n).containsOnly(1);
    long claimLines = end.logLines.stream().filter(l -> l.contains(" CLAIMED: ")).count();
    assertThat(claimLines).isEqualTo(n);
  }

  @Test
  void clock_stepping_back_never_ends_a_claim_early_nor_lets_a_stale_holder_in() throws Exception {
    Path queue = tmp.resolve("queue");
    TaskStore store = open(queue);
    Holder other = ProcessIdentity.current("env-faults-other");
    store.enqueue(List.of(task("a"), task("b")));
    Claim a = claim(store);

    clock.advance(Duration.ofHours(-1)); // an NTP step back
    ClaimResult r = store.claimNext(other, "nolane");
    assertThat(r).isInstanceOf(ClaimResult.Nothing.class);
    Claim b = claim(store);
    assertThat(b.task().id()).as("a is still held, so the next claim gets b").isEqualTo("b");
    store.complete("a", a.token(), Outcome.DONE, "finished across the clock step");

    clock.advance(Duration.ofMinutes(16)); // b's lease runs out ...
    Claim b2 = ((ClaimResult.Claimed) store.claimNext(other, null)).claim();
    assertThat(b2.attempt()).isEqualTo(2);
    clock.advance(Duration.ofMinutes(-30)); // ... and the clock steps back again
    failsWith(
        ErrorCode.FENCED,
        "stale token",
        () -> store.complete("b", b.token(), Outcome.DONE, "late"));
    store.complete("b", b2.token(), Outcome.DONE, "the live holder finishes");
    QueueOnDisk end = assertConsistent(queue);
    assertThat(end.doneLines).containsOnly(Map.entry("a", 1), Map.entry("b", 1));
  }

  // ------------------------------------------------------------------ helpers

  private Claim claim(TaskStore store) {
    ClaimResult r = store.claimNext(me, null);
    assertThat(r).isInstanceOf(ClaimResult.Claimed.class);
    return ((ClaimResult.Claimed) r).claim();
  }

  private static NewTask task(String id) {
    return new NewTask(id, "Task " + id, "criterion", "steps", null, 0, List.of(), 3, null);
  }

  private static void failsWith(String what, String words, Supplier<?> call) {
    failsWith(ErrorCode.STORE_ERROR, what + " (" + words + ")", call);
    // the message tells a person what happened, in the operating system's words
  }

  private static TaskqException failsWith(ErrorCode code, String what, Supplier<?> call) {
    try {
      call.get();
    } catch (TaskqException e) {
      assertThat(e.code()).as(what + ": " + e.describe()).isEqualTo(code);
      if (code == ErrorCode.STORE_ERROR) {
        String word = what.substring(what.indexOf('(') + 1, what.length() - 1);
        assertThat(e.getMessage()).as(what).containsIgnoringCase(word);
      }
      return e;
    }
    throw new AssertionError(what + ": expected " + code + ", but it succeeded");
  }

  /** Every task in one folder as a whole file, no temp files, every log line whole. */
  private static QueueOnDisk assertConsistent(Path queue) throws IOException {
    QueueOnDisk q = QueueOnDisk.read(queue);
    q.stateById();
    q.tasks.forEach(
        (id, files) ->
            assertThat(files.get(0).front())
                .as("whole task file " + id)
                .containsKey("title")
                .doesNotContainKey(QueueOnDisk.UNREADABLE));
    assertThat(q.tempFiles).as("temp files").isEmpty();
    assertThat(q.logLines).allSatisfy(l -> assertThat(l).matches(LOG_LINE));
    return q;
  }

  private static Process javaProcess(String main, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", classPath(), main));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).start();
  }

  private static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
  }
}

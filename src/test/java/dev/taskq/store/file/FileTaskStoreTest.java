package dev.taskq.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.taskq.core.CheckpointRequest;
import dev.taskq.core.Claim;
import dev.taskq.core.ErrorCode;
import dev.taskq.core.IdleReason;
import dev.taskq.core.Limits;
import dev.taskq.core.Outcome;
import dev.taskq.core.Progress;
import dev.taskq.core.QueuePage;
import dev.taskq.core.TaskqException;
import dev.taskq.core.Unreadable;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import dev.taskq.store.contract.TaskStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on real files, plus what only the file layout can show. */
class FileTaskStoreTest extends TaskStoreContract {
  @TempDir Path root;

  private Path dir() {
    return root.resolve("tasks");
  }

  @Override
  protected void resetQueue() {
    // JUnit gives every test a new @TempDir
  }

  @Override
  protected TaskStore openStore(Clock clock, Duration lease) {
    return StoreFactory.open(new StoreConfig(dir(), lease, clock));
  }

  @Override
  protected void dropHandWrittenTask(String id, String markdown) {
    // A person may create the folder too; folder creation on open has its own test.
    mkdirs(dir().resolve("pending"));
    write(dir().resolve("pending").resolve(id + ".md"), markdown);
  }

  @Override
  protected void damageTask(String id) {
    Path file = dir().resolve("pending").resolve(id + ".md");
    assertThat(file).exists();
    write(file, "---\nid: [" + id + "\ntitle: \"unterminated\n---\nbody\n");
  }

  @Test
  void opening_creates_the_state_folders() {
    for (String folder :
        List.of("pending", "in-progress", "completed", "failed", "checkpoints", ".taskq")) {
      assertThat(dir().resolve(folder)).isDirectory();
    }
  }

  @Test
  void many_stores_opening_a_new_queue_at_the_same_moment_all_succeed() throws Exception {
    // Several sessions starting at once on a fresh project race to create the queue folder.
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 50; round++) {
        Path fresh = root.resolve("race-" + round);
        CyclicBarrier start = new CyclicBarrier(8);
        List<Future<TaskStore>> opened = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          opened.add(
              pool.submit(
                  () -> {
                    start.await();
                    return StoreFactory.open(new StoreConfig(fresh, LEASE, clock));
                  }));
        }
        for (Future<TaskStore> f : opened) {
          f.get(30, TimeUnit.SECONDS).close();
        }
        assertThat(fresh.resolve("pending")).isDirectory();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_pending_task_is_a_markdown_file_with_front_matter() throws IOException {
    store.enqueue(spec("db-audit").lane("db").priority(5).dedupe("k-1").build());
    store.enqueue(spec("after-it").after("db-audit").build());

    FileOnDisk f = FileOnDisk.read(dir().resolve("pending/db-audit.md"));

    assertThat(f.string("id")).isEqualTo("db-audit");
    assertThat(f.string("title")).isEqualTo("Title of db-audit");
    assertThat(f.string("criterion")).isEqualTo("criterion of db-audit");
    assertThat(f.string("lane")).isEqualTo("db");
    assertThat(f.number("priority")).isEqualTo(5);
    assertThat(f.number("attempt")).isZero();
    assertThat(f.number("max_attempts")).isEqualTo(3);
    assertThat(Instant.parse(f.string("created"))).isEqualTo(T0);
    assertThat(f.string("dedupe_key")).isEqualTo("k-1");
    assertThat(f.number("rev")).isPositive();
    assertThat(f.body()).contains("Instructions for db-audit.");
    assertThat(FileOnDisk.read(dir().resolve("pending/after-it.md")).front().get("after"))
        .isEqualTo(List.of("db-audit"));
  }

  @Test
  void a_claim_moves_the_file_to_in_progress_with_holder_token_and_lease() throws IOException {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));

    FileOnDisk f = FileOnDisk.read(dir().resolve("in-progress/a.md"));

    assertThat(dir().resolve("pending/a.md")).doesNotExist();
    assertThat(f.string("holder")).isEqualTo(alice.label());
    assertThat(f.string("token")).isEqualTo(c.token());
    assertThat(Instant.parse(f.string("lease_until"))).isEqualTo(T0.plus(LEASE));
    assertThat(f.number("attempt")).isEqualTo(1);
  }

  @Test
  void completion_moves_the_file_to_completed_with_a_result_section() throws IOException {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    store.complete("a", c.token(), Outcome.DONE, "Listed 12 queries.");

    Path file = dir().resolve("completed/a.md");
    FileOnDisk f = FileOnDisk.read(file);

    assertThat(dir().resolve("in-progress/a.md")).doesNotExist();
    assertThat(f.string("outcome")).isEqualTo("done");
    assertThat(Instant.parse(f.string("finished"))).isEqualTo(T0);
    assertThat(f.front()).doesNotContainKeys("token", "lease_until");
    assertThat(f.body())
        .contains("Instructions for a.")
        .contains("<!-- taskq:result -->")
        .contains("## Result")
        .contains("Listed 12 queries.");
    assertThat(Files.readAllLines(dir().resolve("log.txt")))
        .filteredOn(l -> l.contains(" DONE: a "))
        .hasSize(1);
  }

  @Test
  void a_failed_task_lands_in_failed_with_its_reason() throws IOException {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    store.complete("a", c.token(), Outcome.FAILED, "no such folder");

    FileOnDisk f = FileOnDisk.read(dir().resolve("failed/a.md"));

    assertThat(f.string("outcome")).isEqualTo("failed");
    assertThat(f.string("reason")).isNotBlank();
    assertThat(f.body()).contains("no such folder");
  }

  @Test
  void a_checkpoint_is_a_readable_markdown_file() throws IOException {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    store.writeCheckpoint(
        new CheckpointRequest(
            "a",
            c.token(),
            "Scanned src/db",
            new Progress(60, 180),
            "3 N+1 queries",
            "payment.js"));

    FileOnDisk f = FileOnDisk.read(dir().resolve("checkpoints/a-1.md"));

    assertThat(f.string("task")).isEqualTo("a");
    assertThat(f.number("checkpoint")).isEqualTo(1);
    assertThat(f.number("attempt")).isEqualTo(1);
    assertThat(Instant.parse(f.string("at"))).isEqualTo(T0);
    assertThat(f.string("progress")).isEqualTo("60/180");
    assertThat(f.body())
        .contains("# Checkpoint 1 of a")
        .contains("Progress: 60/180")
        .contains("Scanned src/db")
        .contains("## Findings so far")
        .contains("3 N+1 queries")
        .contains("## Next")
        .contains("payment.js");
    FileOnDisk task = FileOnDisk.read(dir().resolve("in-progress/a.md"));
    assertThat(task.number("checkpoints")).isEqualTo(1);
    assertThat(task.string("progress")).isEqualTo("60/180");
  }

  @Test
  void every_log_line_has_the_documented_format() throws IOException {
    store.enqueue(List.of(spec("a").build(), spec("b").build()));
    Claim a = claimed(store.claimNext(alice, null));
    store.writeCheckpoint(checkpoint("a", a.token(), "line one\nline two", 3));
    store.appendLog("multi\nline\r\nmessage", "a", a.token());
    store.appendLog("general", null, null);
    store.complete("a", a.token(), Outcome.DONE, "r");
    claimed(store.claimNext(alice, null));
    clock.advance(LEASE.plusMinutes(1));
    claimed(store.claimNext(bob, null));

    String log = Files.readString(dir().resolve("log.txt"), StandardCharsets.UTF_8);

    assertThat(log).endsWith("\n");
    List<String> lines = log.lines().toList();
    assertThat(lines).hasSizeGreaterThanOrEqualTo(8).allMatch(l -> LOG_LINE.matcher(l).matches());
    assertThat(lines).anyMatch(l -> l.endsWith("LOG: a multi ⏎ line ⏎ message"));
    assertThat(lines).anyMatch(l -> l.contains("EXPIRED: b attempt 1/3"));
    assertThat(store.tailLog(100)).isEqualTo(lines);
  }

  @Test
  void a_hand_written_task_is_rewritten_with_front_matter_when_claimed() throws IOException {
    dropHandWrittenTask("db-audit", "Audit: find all N+1 queries in src/db\n");

    Claim c = claimed(store.claimNext(alice, null));

    FileOnDisk f = FileOnDisk.read(dir().resolve("in-progress/db-audit.md"));
    assertThat(f.string("id")).isEqualTo("db-audit");
    assertThat(f.string("title")).isEqualTo("Audit: find all N+1 queries in src/db");
    assertThat(f.string("token")).isEqualTo(c.token());
    assertThat(dir().resolve("pending/db-audit.md")).doesNotExist();
  }

  @Test
  void corrupt_files_of_every_kind_are_listed_untouched_and_logged_once() throws IOException {
    store.enqueue(spec("fine").build());
    Path badName = dir().resolve("pending/Bad Name.md");
    Path badYaml = dir().resolve("pending/bad-yaml.md");
    Path huge = dir().resolve("pending/huge.md");
    Path folder = dir().resolve("pending/folder.md");
    Path doneBroken = dir().resolve("completed/done-broken.md");
    write(badName, "Looks fine but the name is not an id\n");
    write(badYaml, "---\ntitle: [oops\n---\nbody\n");
    write(huge, "Huge task\n" + "x".repeat(Limits.TASK_FILE_MAX_BYTES + 10) + "\n");
    Files.createDirectory(folder);
    write(doneBroken, "---\n: : :\n---\n");
    List<Path> bad = List.of(badName, badYaml, huge, doneBroken);
    List<byte[]> bytes = bad.stream().map(FileTaskStoreTest::bytes).toList();

    Claim c = claimed(store.claimNext(alice, null));
    nothing(store.claimNext(bob, null));
    QueuePage page = store.list(all());
    QueuePage again = openAnotherStore().list(all());

    assertThat(c.task().id()).isEqualTo("fine");
    assertThat(page.unreadable())
        .extracting(Unreadable::where)
        .containsExactlyInAnyOrder(
            "pending/Bad Name.md",
            "pending/bad-yaml.md",
            "pending/huge.md",
            "pending/folder.md",
            "completed/done-broken.md");
    assertThat(page.unreadable()).allMatch(f -> f.reason() != null && !f.reason().isBlank());
    assertThat(again.unreadable()).hasSize(5);
    for (int i = 0; i < bad.size(); i++) {
      assertThat(bytes(bad.get(i))).as("%s untouched", bad.get(i)).isEqualTo(bytes.get(i));
    }
    assertThat(folder).isDirectory();
    List<String> corruptLines =
        store.tailLog(1000).stream().filter(l -> l.contains(" CORRUPT: ")).toList();
    assertThat(corruptLines).hasSize(5);
    assertThat(corruptLines).anyMatch(l -> l.contains("CORRUPT: pending/huge.md "));
  }

  @Test
  void a_task_in_two_folders_keeps_the_newer_rev_and_reports_the_older_copy() throws IOException {
    store.enqueue(spec("a").build());
    byte[] pendingCopy = Files.readAllBytes(dir().resolve("pending/a.md"));
    Claim c = claimed(store.claimNext(alice, null));
    // An older copy reappears beside the claimed task (restored by hand, or a crash the journal
    // did not see): the queue keeps the newer rev and shows the other for a person to delete.
    Files.write(dir().resolve("pending/a.md"), pendingCopy);

    TaskStore fresh = openAnotherStore();
    QueuePage page = fresh.list(all());

    assertThat(page.rows()).extracting(r -> r.id()).containsExactly("a");
    assertThat(page.count(dev.taskq.core.TaskState.IN_PROGRESS)).isEqualTo(1);
    assertThat(page.count(dev.taskq.core.TaskState.PENDING)).isZero();
    assertThat(page.unreadable())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.where()).isEqualTo("pending/a.md");
              assertThat(f.reason()).contains("in-progress/a.md");
            });
    nothing(fresh.claimNext(bob, null));
    assertThat(dir().resolve("pending/a.md")).exists();
    fresh.complete("a", c.token(), Outcome.DONE, "r");
    assertThat(fresh.tailLog(100)).filteredOn(l -> l.contains(" DONE: a ")).hasSize(1);
  }

  @Test
  void refused_and_fenced_holder_operations_leave_no_temp_files() throws IOException {
    store.enqueue(spec("a").build());
    Claim c = claimed(store.claimNext(alice, null));
    store.complete("a", c.token(), Outcome.DONE, "r");
    for (int i = 0; i < 5; i++) {
      catchThrowable(() -> store.writeCheckpoint(checkpoint("a", c.token(), "late", 1)));
      catchThrowable(() -> store.complete("a", c.token(), Outcome.DONE, "again"));
      catchThrowable(() -> store.appendLog("late", "a", c.token()));
      catchThrowable(() -> store.writeCheckpoint(checkpoint("ghost", "tok", "none", 1)));
    }

    try (Stream<Path> left = Files.list(dir().resolve(".taskq/tmp"))) {
      assertThat(left).isEmpty();
    }
    assertThat(dir().resolve("checkpoints")).isEmptyDirectory();
  }

  @Test
  void a_corrupt_file_fixed_by_a_person_becomes_a_task_again() throws IOException {
    store.enqueue(spec("fine").build());
    Path broken = dir().resolve("pending/fix-me.md");
    write(broken, "---\ntitle: [oops\n---\nbody\n");
    assertThat(store.list(all()).unreadable())
        .extracting(Unreadable::where)
        .contains("pending/fix-me.md");

    // Saved the way editors save: a new file renamed over the old one.
    Path swap = dir().resolve("pending/.fix-me.md.swp");
    write(swap, "Fix me: now a plain task\n");
    Files.move(swap, broken, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    QueuePage page = store.list(all());
    assertThat(page.unreadable()).isEmpty();
    assertThat(row(page, "fix-me").title()).isEqualTo("Fix me: now a plain task");
    assertThat(claimed(store.claimNext(alice, null)).task().id()).isEqualTo("fine");
    assertThat(claimed(store.claimNext(alice, null)).task().id()).isEqualTo("fix-me");
  }

  @Test
  void nothing_is_written_outside_the_queue_directory() throws IOException {
    store.enqueue(List.of(spec("a").build(), spec("b").after("a").build()));
    Claim a = claimed(store.claimNext(alice, null));
    store.writeCheckpoint(checkpoint("a", a.token(), "s", 1));
    store.appendLog("m", "a", a.token());
    store.complete("a", a.token(), Outcome.DONE, "r");
    Claim b = claimed(store.claimNext(bob, null));
    store.complete("b", b.token(), Outcome.RELEASED, null);
    store.list(all());
    store.close();

    try (Stream<Path> all = Files.walk(root)) {
      assertThat(all.filter(p -> !p.equals(root)))
          .allMatch(p -> p.startsWith(dir()), "inside " + dir());
    }
  }

  @Test
  void temp_files_left_by_a_dead_writer_are_removed_when_a_store_opens() throws IOException {
    store.enqueue(spec("a").build());
    store.close();
    Path tmp = dir().resolve(".taskq/tmp");
    mkdirs(tmp);
    write(tmp.resolve("999999-1.tmp"), "---\nid: a\ntitle: half writ");
    write(tmp.resolve("999999-2.tmp"), "");

    TaskStore fresh = openAnotherStore();
    fresh.list(all());

    try (Stream<Path> left = Files.walk(dir().resolve(".taskq"))) {
      assertThat(left.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
    }
    assertThat(fresh.get("a").task().title()).isEqualTo("Title of a");
  }

  @Test
  void temp_files_of_an_earlier_process_with_this_pid_are_removed_when_a_store_opens()
      throws IOException {
    // Containers start their processes with the same small pids: a crashed server's temp files
    // carry the pid the next server gets. Names as DurableFiles writes them, <pid>-<start>-<n>.tmp,
    // and the older <pid>-<n>.tmp.
    store.close();
    Path tmp = dir().resolve(".taskq/tmp");
    mkdirs(tmp);
    ProcessHandle self = ProcessHandle.current();
    long start = self.info().startInstant().orElseThrow().toEpochMilli();
    for (int n = 1; n <= 50; n++) {
      write(tmp.resolve(self.pid() + "-" + (start - 60_000) + "-" + n + ".tmp"), "left behind");
      write(tmp.resolve(self.pid() + "-" + n + ".tmp"), "left behind");
    }

    TaskStore fresh = openAnotherStore();
    fresh.enqueue(spec("a").build());
    Claim c = claimed(fresh.claimNext(alice, null));
    fresh.complete("a", c.token(), Outcome.DONE, "r");

    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).isEmpty();
    }
  }

  private static void mkdirs(Path d) {
    try {
      Files.createDirectories(d);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void a_hand_written_lane_no_worker_can_ask_for_is_reported_and_never_run() throws Exception {
    write(
        dir().resolve("pending/db-clean.md"),
        "---\ntitle: Clean the tables\nlane: Data Base\n---\nDrop what is unused.\n");

    IdleReason idle = nothing(store.claimNext(alice, null));
    QueuePage page = store.list(all());

    assertThat(idle.unreadable()).isEqualTo(1);
    assertThat(page.unreadable())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.where()).isEqualTo("pending/db-clean.md");
              assertThat(u.reason())
                  .contains("lane 'Data Base' is not a lane any worker can ask for")
                  .contains("e.g. data-base");
            });
    TaskqException e = failure(() -> store.get("db-clean"), ErrorCode.STORE_ERROR);
    assertThat(e.getMessage()).contains("lane 'Data Base'");
  }

  @Test
  void a_hand_written_after_naming_no_task_is_stuck_and_says_so() throws Exception {
    write(
        dir().resolve("pending/report.md"),
        "---\ntitle: Write the report\nafter: [audit-everything]\n---\n");

    IdleReason idle = nothing(store.claimNext(alice, null));

    String why = "waits for audit-everything, which does not exist: add it, or cancel report";
    assertThat(idle.stuck()).containsEntry("report", why);
    assertThat(idle.worthWaiting()).isFalse();
    assertThat(row(store.list(all()), "report").stuck()).isEqualTo(why);
    assertThat(store.get("report").stuck()).isEqualTo(why);
  }

  // ---------------------------------------------------------------- edits by hand (issue 10)

  /** Saves {@code file} the way {@code sed -i} and many editors do: a new file renamed over it. */
  private static void saveByRename(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(".sed" + System.nanoTime());
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Rewrites {@code file} in place, as an editor that truncates and writes does. */
  private static void saveInPlace(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
  }

  @Test
  void an_edit_saved_by_rename_changes_status_and_the_claim_order_at_once() throws Exception {
    store.enqueue(List.of(spec("five").priority(5).build(), spec("one").priority(1).build()));
    store.list(all());
    Path file = dir().resolve("pending/one.md");

    saveByRename(file, Files.readString(file).replace("priority: 1\n", "priority: 50\n"));

    assertThat(row(store.list(all()), "one").priority()).isEqualTo(50);
    assertThat(claimed(store.claimNext(alice, null)).task().id()).isEqualTo("one");
    assertThat(linesWith("EDITED", "one")).singleElement().asString().contains("priority 1 → 50");
  }

  @Test
  void an_edit_in_place_is_seen_by_a_new_process_and_within_seconds_by_a_running_one()
      throws Exception {
    store.enqueue(List.of(spec("five").priority(5).build(), spec("one").priority(1).build()));
    store.list(all());
    nothing(store.claimNext(carol, "no-such-lane-yet")); // the claim path has run once
    Path file = dir().resolve("pending/one.md");
    Object inode = Files.readAttributes(file, BasicFileAttributes.class).fileKey();

    saveInPlace(file, Files.readString(file).replace("priority: 1\n", "priority: 50\n"));

    assertThat(Files.readAttributes(file, BasicFileAttributes.class).fileKey()).isEqualTo(inode);
    assertThat(row(openAnotherStore().list(all()), "one").priority())
        .as("a new process (taskq status) sees it")
        .isEqualTo(50);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String first;
    while (true) {
      Claim c = claimed(store.claimNext(alice, null));
      first = c.task().id();
      if (first.equals("one") || System.nanoTime() > deadline) {
        break;
      }
      store.complete(first, c.token(), Outcome.RELEASED, null);
      Thread.sleep(200);
    }
    assertThat(first).as("the running process's claims follow the edit").isEqualTo("one");
  }
}

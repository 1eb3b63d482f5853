package dev.taskq.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.ClaimResult;
import dev.taskq.core.Holder;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.TaskState;
import dev.taskq.core.Unreadable;
import dev.taskq.store.MutableClock;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files people, editors and attackers leave in the state folders. Each is accepted, or listed as
 * corrupt with its reason and logged once; none is claimed, dropped, or followed out of the queue.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileFilesTest {
  @TempDir Path tmp;
  private Path queue;
  private Path outside;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
  private final Holder me = ProcessIdentity.current("hostile-files");
  private TaskStore store;

  @BeforeEach
  void layout() throws IOException {
    queue = tmp.resolve("queue");
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createDirectories(queue.resolve("pending"));
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private TaskStore store() {
    if (store == null) {
      store = StoreFactory.open(new StoreConfig(queue, Duration.ofMinutes(15), clock));
    }
    return store;
  }

  private Path pending(String name) {
    return queue.resolve("pending").resolve(name);
  }

  @Test
  void symlink_to_a_file_outside_the_queue_is_listed_not_followed() throws Exception {
    Path secret = outside.resolve("secret.md");
    Files.writeString(secret, "Steal me\nrm -rf /\n");
    FileTime before = Files.getLastModifiedTime(secret);
    Files.createSymbolicLink(pending("evil.md"), secret);

    assertCorruptAndUnclaimable("pending/evil.md", "symbolic link");
    assertThat(Files.readString(secret)).isEqualTo("Steal me\nrm -rf /\n");
    assertThat(Files.getLastModifiedTime(secret)).isEqualTo(before);
    assertThat(Files.isSymbolicLink(pending("evil.md"))).as("left for a person to remove").isTrue();
  }

  @Test
  void directory_named_like_a_task_is_listed_as_corrupt() throws Exception {
    Files.createDirectories(pending("folder.md"));
    Files.writeString(pending("folder.md").resolve("inner.md"), "Inner task\n");
    assertCorruptAndUnclaimable("pending/folder.md", "directory");
    assertThat(pending("folder.md").resolve("inner.md")).exists();
  }

  @Test
  void binary_file_is_listed_as_corrupt() throws Exception {
    byte[] junk = new byte[4096];
    new java.util.Random(6).nextBytes(junk);
    junk[0] = 'x';
    junk[10] = 0;
    Files.write(pending("blob.md"), junk);
    assertCorruptAndUnclaimable("pending/blob.md", "binary");
    assertThat(Files.readAllBytes(pending("blob.md"))).isEqualTo(junk);
  }

  @Test
  void fifty_megabyte_file_is_refused_without_reading_it() throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(pending("huge.md").toFile(), "rw")) {
      f.write("Huge task\n".getBytes(StandardCharsets.UTF_8));
      f.setLength(50L << 20); // sparse
    }
    assertCorruptAndUnclaimable("pending/huge.md", "too large");
    assertThat(Files.size(pending("huge.md"))).isEqualTo(50L << 20);
  }

  @Test
  void named_pipe_is_not_opened() throws Exception {
    Process p = new ProcessBuilder("mkfifo", pending("pipe.md").toString()).start();
    assertThat(p.waitFor()).isZero();
    // Opening a FIFO for reading blocks until a writer comes: the @Timeout catches a hang.
    assertCorruptAndUnclaimable("pending/pipe.md", "not a regular file");
  }

  @Test
  void yaml_alias_bomb_is_never_expanded() throws Exception {
    Files.writeString(pending("bomb.md"), aliasBomb("title: boom\n"));
    // The YAML reader never expands aliases, and unknown fields are dropped on rewrite: the task
    // is usable and its file stays small.
    assertThat(store().list(QueueQuery.firstPage(10)).unreadable()).isEmpty();
    var claim = claimed(store().claimNext(me, null));
    assertThat(claim.task().id()).isEqualTo("bomb");
    assertThat(claim.task().title()).isEqualTo("boom");
    assertThat(Files.size(queue.resolve("in-progress/bomb.md"))).isLessThan(4096);
  }

  /** A "billion laughs" document: a9 would expand to 9^10 strings if aliases were resolved. */
  private static String aliasBomb(String title) {
    StringBuilder y = new StringBuilder("---\n");
    y.append("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (int i = 1; i < 10; i++) {
      y.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        y.append(j == 0 ? "" : ",").append("*a").append(i - 1);
      }
      y.append("]\n");
    }
    return y.append(title).append("---\nbody\n").toString();
  }

  @Test
  void deeply_nested_yaml_is_refused() throws Exception {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    Files.writeString(pending("deep.md"), "---\nid: deep\ntitle: deep\nx: " + deep + "\n---\n");
    assertCorruptAndUnclaimable("pending/deep.md", "front matter");
  }

  @Test
  void crlf_line_ends_are_accepted_in_hand_written_and_front_matter_files() throws Exception {
    Files.writeString(pending("plain-crlf.md"), "# Plain task\r\nStep one\r\nStep two\r\n");
    Files.writeString(
        pending("front-crlf.md"),
        "---\r\nid: front-crlf\r\ntitle: Front task\r\ncriterion: it works\r\n---\r\nDo it\r\n");
    QueuePage page = store().list(QueueQuery.firstPage(100));
    assertThat(page.unreadable()).isEmpty();
    assertThat(page.count(TaskState.PENDING)).isEqualTo(2);
    for (int i = 0; i < 2; i++) {
      var claim = claimed(store().claimNext(me, null));
      assertThat(claim.task().title()).doesNotContain("\r").isIn("Plain task", "Front task");
      assertThat(claim.task().instructions()).doesNotContain("\r");
      if (claim.task().id().equals("front-crlf")) {
        assertThat(claim.task().criterion()).isEqualTo("it works");
      }
      store().complete(claim.task().id(), claim.token(), Outcome.DONE, "ok");
    }
    assertThat(Files.readString(queue.resolve("completed/plain-crlf.md"))).doesNotContain("\r");
  }

  @Test
  void utf8_byte_order_mark_is_accepted() throws Exception {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    Files.write(
        pending("bom-front.md"),
        concat(bom, "---\nid: bom-front\ntitle: With BOM\ncriterion: c\n---\nbody\n"));
    Files.write(pending("bom-plain.md"), concat(bom, "Plain with BOM\nsteps\n"));
    QueuePage page = store().list(QueueQuery.firstPage(100));
    assertThat(page.unreadable()).isEmpty();
    assertThat(page.rows())
        .extracting(r -> r.title())
        .containsExactlyInAnyOrder("With BOM", "Plain with BOM");
    var claim = claimed(store().claimNext(me, null));
    assertThat(claim.task().title()).doesNotStartWith("\uFEFF");
  }

  @Test
  void same_id_in_two_state_folders_is_reported_and_never_run_again() throws Exception {
    var t = store().enqueue(NewTask.of("Once only", "done once")).task();
    var claim = claimed(store().claimNext(me, null));
    store().complete(t.id(), claim.token(), Outcome.DONE, "did it");
    // A person copies the finished task back into pending/ by hand.
    Files.copy(queue.resolve("completed/" + t.id() + ".md"), pending(t.id() + ".md"));
    Files.setLastModifiedTime(
        queue.resolve("pending"), FileTime.from(Instant.now().plusSeconds(5)));

    QueuePage page = store().list(QueueQuery.firstPage(100));
    assertThat(page.unreadable())
        .as("the copy is reported")
        .anySatisfy(
            c -> {
              assertThat(c.where()).isEqualTo("pending/" + t.id() + ".md");
              assertThat(c.reason()).contains("duplicate");
            });
    assertThat(page.count(TaskState.COMPLETED)).isEqualTo(1);
    assertThat(store().claimNext(me, null)).isInstanceOf(ClaimResult.Nothing.class);
    assertThat(pending(t.id() + ".md")).as("not silently deleted").exists();
    assertThat(QueueOnDisk.read(queue).doneLines.get(t.id())).isEqualTo(1);
  }

  @Test
  void hard_link_to_a_file_outside_is_used_as_a_copy_and_the_outside_file_is_untouched()
      throws Exception {
    Path original = outside.resolve("linked.md");
    Files.writeString(original, "Linked task\nsteps\n");
    Files.createLink(pending("linked.md"), original);
    var claim = claimed(store().claimNext(me, null));
    store().complete("linked", claim.token(), Outcome.DONE, "done");
    assertThat(Files.readString(original)).isEqualTo("Linked task\nsteps\n");
    assertThat(queue.resolve("completed/linked.md")).exists();
  }

  @Test
  void state_folder_that_is_a_symlink_out_of_the_queue_is_never_written_through() throws Exception {
    Path elsewhere = Files.createDirectories(outside.resolve("their-folder"));
    Files.writeString(elsewhere.resolve("theirs.md"), "Their file\n");
    Path completed = queue.resolve("completed");
    Files.createSymbolicLink(completed, elsewhere);
    Files.writeString(pending("good.md"), "Good task\n");
    try {
      var claim = claimed(store().claimNext(me, null));
      store().complete("good", claim.token(), Outcome.DONE, "done");
    } catch (dev.taskq.core.TaskqException e) {
      assertThat(e.getMessage()).as("a refusal must say why").contains("completed");
    }
    try (var files = Files.list(elsewhere)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("nothing written into a folder outside the queue")
          .containsExactly("theirs.md");
    }
  }

  @Test
  void log_file_that_is_a_symlink_out_of_the_queue_is_never_appended_to() throws Exception {
    Path victim = outside.resolve("victim.txt");
    Files.writeString(victim, "precious\n");
    Files.createSymbolicLink(queue.resolve("log.txt"), victim);
    try {
      store().enqueue(NewTask.of("Write a log line", "c"));
    } catch (dev.taskq.core.TaskqException e) {
      assertThat(e.getMessage()).contains("log.txt");
    }
    assertThat(Files.readString(victim)).isEqualTo("precious\n");
    // Once a person replaces the link, the queue carries on consistently.
    Files.delete(queue.resolve("log.txt"));
    store().enqueue(NewTask.of("After the fix", "c"));
    QueueOnDisk disk = QueueOnDisk.read(queue);
    QueuePage page = store().list(QueueQuery.firstPage(10));
    assertThat(disk.stateById()).hasSize(page.total());
    assertThat(disk.tempFiles).isEmpty();
  }

  @Test
  void odd_names_and_editor_files_are_listed_or_ignored_but_never_claimed() throws Exception {
    Files.writeString(pending("Bad Name.md"), "Bad name\n");
    Files.writeString(pending("notes.txt"), "not a task\n");
    Files.writeString(pending(".good.md.swp"), "editor swap\n");
    Files.writeString(pending("good.md"), "Good task\n");
    QueuePage page = store().list(QueueQuery.firstPage(100));
    assertThat(page.unreadable())
        .extracting(Unreadable::where)
        .containsExactlyInAnyOrder("pending/Bad Name.md", "pending/notes.txt");
    assertThat(claimed(store().claimNext(me, null)).task().id()).isEqualTo("good");
    assertThat(store().claimNext(me, null)).isInstanceOf(ClaimResult.Nothing.class);
  }

  /**
   * The file is in list().corrupt with a reason containing {@code why}, a claim skips it and says
   * so, it is still there, and log.txt says CORRUPT about it exactly once however often we look.
   */
  private void assertCorruptAndUnclaimable(String rel, String why) throws IOException {
    Files.writeString(pending("good.md"), "A good task next to it\n");
    for (int i = 0; i < 3; i++) {
      QueuePage page = store().list(QueueQuery.firstPage(100));
      assertThat(page.unreadable())
          .as("corrupt files")
          .anySatisfy(
              c -> {
                assertThat(c.where()).isEqualTo(rel);
                assertThat(c.reason()).containsIgnoringCase(why);
              });
      assertThat(page.rows()).extracting(r -> r.id()).containsExactly("good");
    }
    var claim = claimed(store().claimNext(me, null));
    assertThat(claim.task().id()).isEqualTo("good");
    ClaimResult next = store().claimNext(me, null);
    assertThat(next).isInstanceOf(ClaimResult.Nothing.class);
    assertThat(((ClaimResult.Nothing) next).reason().unreadable()).isEqualTo(1);
    assertThat(queue.resolve(rel))
        .as("never dropped")
        .satisfiesAnyOf(
            p -> assertThat(Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isTrue());
    store().close();
    store = null;
    store().list(QueueQuery.firstPage(10)); // a restart must not log it again
    List<String> corruptLines =
        QueueOnDisk.read(queue).logLines.stream()
            .filter(l -> l.contains("CORRUPT: " + rel))
            .toList();
    assertThat(corruptLines).as("CORRUPT lines for " + rel).hasSize(1);
    assertThat(corruptLines.get(0)).containsIgnoringCase(why);
  }

  private static dev.taskq.core.Claim claimed(ClaimResult r) {
    assertThat(r).isInstanceOf(ClaimResult.Claimed.class);
    return ((ClaimResult.Claimed) r).claim();
  }

  private static byte[] concat(byte[] a, String b) {
    byte[] s = b.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[a.length + s.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(s, 0, out, a.length, s.length);
    return out;
  }
}

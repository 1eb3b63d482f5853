package dev.taskq.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.CheckpointRequest;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.ErrorCode;
import dev.taskq.core.Limits;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.core.TaskqException;
import dev.taskq.store.MutableClock;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile values straight into the store API (the MCP tools add a wire layer on top, tested in
 * {@code HostileToolInputIT}): each is refused with INVALID_ARGUMENT or CONFLICT naming the field,
 * and the queue's files stay exactly as they were.
 */
class HostileStoreInputTest {
  @TempDir Path tmp;
  private TaskStore store;
  private Path queue;

  @BeforeEach
  void open() {
    queue = tmp.resolve("queue");
    store =
        StoreFactory.open(
            new StoreConfig(
                queue,
                Duration.ofMinutes(15),
                new MutableClock(Instant.parse("2026-11-24T12:00:00Z"))));
    store.enqueue(task("existing", List.of(), null));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../escape",
        "..",
        "/etc/passwd",
        "a/b",
        "a\\b",
        "C:\\temp\\x",
        "nul\0byte",
        "tab\there",
        "new\nline",
        "Upper",
        "ａｂｃ", // full-width look-alikes
        "tаsk", // Cyrillic a
        "task\u200b", // zero-width space
        ".hidden",
        ""
      })
  void hostile_ids_are_refused_everywhere_and_change_nothing(String id) throws Exception {
    refused("id", () -> store.enqueue(task(id, List.of(), null)));
    refused("id", () -> store.complete(id, "sometoken", Outcome.DONE, "r"));
    refused("id", () -> store.get(id));
    refused("id", () -> store.requeue(id));
    refused("id", () -> store.forceRelease(id));
    refused("id", () -> store.appendLog("m", id, null));
    refused("after", () -> store.enqueue(task("fine", List.of(id), null)));
  }

  @Test
  void ten_thousand_character_id_is_refused() throws Exception {
    refused("id", () -> store.enqueue(task("a".repeat(10_000), List.of(), null)));
  }

  @Test
  void ten_megabyte_fields_are_refused_with_the_limit() throws Exception {
    String big = "x".repeat(10 << 20);
    for (String field : List.of("title", "criterion", "instructions")) {
      TaskqException e =
          refused(
              field,
              () ->
                  store.enqueue(
                      new NewTask(
                          null,
                          field.equals("title") ? big : "t",
                          field.equals("criterion") ? big : "c",
                          field.equals("instructions") ? big : null,
                          null,
                          0,
                          List.of(),
                          3,
                          null)));
      assertThat(e.getMessage()).contains("limit");
    }
    var claim = ((ClaimResult.Claimed) store.claimNext(ProcessIdentity.current("s"), null)).claim();
    refused(
        "summary",
        () ->
            store.writeCheckpoint(
                new CheckpointRequest("existing", claim.token(), big, null, null, null)));
    refused("result", () -> store.complete("existing", claim.token(), Outcome.DONE, big));
    refused("message", () -> store.appendLog(big, "existing", claim.token()));
    assertThat(Limits.RESULT_MAX).isLessThan(big.length());
  }

  @Test
  void after_naming_itself_or_forming_a_cycle_is_refused() throws Exception {
    refused("after", () -> store.enqueue(task("self", List.of("self"), null)));
    refused(
        "tasks[0].after",
        () ->
            store.enqueue(
                List.of(
                    task("a", List.of("c"), null),
                    task("b", List.of("a"), null),
                    task("c", List.of("b"), null))));
    refused("tasks[0].after[0]", () -> store.enqueue(task("d", List.of("not-there"), null)));
  }

  @Test
  void dedupe_key_reused_with_different_content_is_a_conflict() throws Exception {
    store.enqueue(task("first", List.of(), "key-1"));
    TaskqException e =
        refusedWith(ErrorCode.CONFLICT, () -> store.enqueue(titled("second", "other", "key-1")));
    assertThat(e.getMessage()).contains("dedupe_key").contains("first");
  }

  @Test
  void dedupe_key_with_the_same_content_returns_the_existing_task() {
    NewTask n =
        new NewTask(
            "one", "Same", "same", "line one\r\nline two", "db", 3, List.of("existing"), 3, "k");
    assertThat(store.enqueue(n).created()).isTrue();
    NewTask again =
        new NewTask(
            null, "Same", "same", "line one\r\nline two", "db", 3, List.of("existing"), 3, "k");
    var r = store.enqueue(again);
    assertThat(r.created()).isFalse();
    assertThat(r.task().id()).isEqualTo("one");
  }

  @Test
  void wrong_values_for_numbers_and_enums_are_refused() throws Exception {
    refused(
        "priority",
        () -> store.enqueue(new NewTask(null, "t", "c", null, null, 5000, List.of(), 3, null)));
    refused(
        "max_attempts",
        () -> store.enqueue(new NewTask(null, "t", "c", null, null, 0, List.of(), 0, null)));
    refused(
        "lane",
        () -> store.enqueue(new NewTask(null, "t", "c", null, "../lane", 0, List.of(), 3, null)));
    refused("outcome", () -> Outcome.parse("maybe"));
    refused(
        "title",
        () ->
            store.enqueue(new NewTask(null, "two\nlines", "c", null, null, 0, List.of(), 3, null)));
    refused(
        "dedupe_key",
        () -> store.enqueue(new NewTask(null, "t", "c", null, null, 0, List.of(), 3, "k\u0007")));
  }

  private static NewTask task(String id, List<String> after, String key) {
    return new NewTask(id, "Title " + id, "criterion", null, null, 0, after, 3, key);
  }

  private static NewTask titled(String id, String title, String key) {
    return new NewTask(id, title, "criterion", null, null, 0, List.of(), 3, key);
  }

  private TaskqException refused(String field, Supplier<?> call) throws Exception {
    TaskqException e = refusedWith(ErrorCode.INVALID_ARGUMENT, call);
    assertThat(e.field()).as("field named by: " + e.getMessage()).isEqualTo(field);
    assertThat(e.getMessage()).startsWith(field);
    return e;
  }

  private TaskqException refusedWith(ErrorCode code, Supplier<?> call) throws Exception {
    TreeSnapshot before = TreeSnapshot.ofQueueContent(queue);
    TreeSnapshot outsideBefore = TreeSnapshot.of(tmp, rel -> !rel.startsWith("queue"));
    Throwable t = catchIt(call);
    assertThat(t).isInstanceOf(TaskqException.class);
    TaskqException e = (TaskqException) t;
    assertThat(e.code()).as(e.describe()).isEqualTo(code);
    assertThat(TreeSnapshot.ofQueueContent(queue)).as("queue files unchanged").isEqualTo(before);
    assertThat(TreeSnapshot.of(tmp, rel -> !rel.startsWith("queue"))).isEqualTo(outsideBefore);
    return e;
  }

  private static Throwable catchIt(Supplier<?> call) {
    try {
      call.get();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected a refusal, but the call succeeded");
  }
}

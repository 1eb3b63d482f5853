package dev.taskq.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskq.core.CheckpointRequest;
import dev.taskq.core.Claim;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.ErrorCode;
import dev.taskq.core.Holder;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.core.Progress;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.Task;
import dev.taskq.core.TaskDetail;
import dev.taskq.core.TaskqException;
import dev.taskq.store.TaskStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile input on the PostgreSQL store: SQL metacharacters in every text field come back exactly
 * as given and touch nothing else; hostile ids and 10 MB fields are refused naming the field, with
 * nothing changed.
 */
class PostgresHostileInputTest {
  private static final List<String> NASTY =
      List.of(
          "'); DROP TABLE taskq.tasks; --",
          "\" OR 1=1; --",
          "$$; DELETE FROM taskq.log; $$",
          "\\'; SELECT pg_sleep(10); --",
          "%s %d %n {0} ${TASKQ_DATABASE_URL} $(rm -rf /)",
          "E'\\x00' U&'\\0041' \\\\ \\",
          "😀 ünïcødé 中文 עברית \u202e reversed",
          "line one\nline two\r\n\ttabbed");

  private static PostgresQueues queues;
  private TaskStore store;
  private String queue;

  @BeforeAll
  static void database() {
    queues = PostgresQueues.onSharedServer();
  }

  @BeforeEach
  void open() {
    queue = queues.fresh();
    store = queues.open(queue, Duration.ofMinutes(15));
    store.enqueue(new NewTask("existing", "Existing", "c", null, null, 0, List.of(), 3, null));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void sql_metacharacters_in_every_text_field_come_back_exactly_and_harm_nothing()
      throws Exception {
    int i = 0;
    for (String nasty : NASTY) {
      String id = "nasty-" + i++;
      String title = nasty.replaceAll("\\p{Cntrl}", " ");
      store.enqueue(new NewTask(id, title, nasty, nasty, "db", 0, List.of(), 3, "key " + title));
      Holder h = new Holder(nasty, "host " + title, 4242, 7);
      Claim c = claimed(store.claimNext(h, "db"));
      assertThat(c.task().id()).isEqualTo(id);
      store.writeCheckpoint(
          new CheckpointRequest(id, c.token(), nasty, new Progress(1, 2), nasty, nasty));
      store.appendLog(nasty, id, c.token());
      store.appendLog(nasty, null, null);
      Task done = store.complete(id, c.token(), Outcome.DONE, nasty);

      TaskDetail d = store.get(id);
      assertThat(d.task()).isEqualTo(done);
      assertThat(d.task().title()).isEqualTo(title);
      assertThat(d.task().criterion()).isEqualTo(nasty.strip());
      assertThat(d.task().result()).isEqualTo(nasty.strip());
      assertThat(d.task().dedupeKey()).isEqualTo("key " + title);
      assertThat(d.checkpoints())
          .singleElement()
          .satisfies(
              cp -> {
                assertThat(cp.summary()).isEqualTo(nasty.strip());
                assertThat(cp.findings()).isEqualTo(nasty);
                assertThat(cp.next()).isEqualTo(nasty);
                assertThat(cp.holder()).isEqualTo(h.label());
              });
      assertThat(
              store.enqueue(
                  new NewTask(null, title, nasty, nasty, "db", 0, List.of(), 3, "key " + title)))
          .as("the dedupe key finds the task again")
          .satisfies(r -> assertThat(r.task().id()).isEqualTo(id));
    }
    assertThat(store.list(QueueQuery.firstPage(100)).total()).isEqualTo(NASTY.size() + 1);
    try (Connection c = queues.server().admin(queues.database());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'taskq'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("taskq's tables are all still there").isEqualTo(6);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "'; DROP TABLE taskq.tasks; --",
        "a' OR '1'='1",
        "../escape",
        "nul\0byte",
        "Upper",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ""
      })
  void hostile_ids_are_refused_everywhere_and_change_nothing(String id) {
    refused("id", () -> store.enqueue(new NewTask(id, "t", "c", null, null, 0, null, 3, null)));
    refused("id", () -> store.complete(id, "sometoken", Outcome.DONE, "r"));
    refused("id", () -> store.get(id));
    refused("id", () -> store.requeue(id));
    refused("id", () -> store.forceRelease(id));
    refused("id", () -> store.appendLog("m", id, null));
    refused(
        "after",
        () -> store.enqueue(new NewTask("fine", "t", "c", null, null, 0, List.of(id), 3, null)));
  }

  @Test
  void ten_megabyte_fields_are_refused_with_the_limit_and_change_nothing() {
    String big = "x".repeat(10 << 20);
    refused(
        "title", () -> store.enqueue(new NewTask(null, big, "c", null, null, 0, null, 3, null)));
    refused(
        "criterion",
        () -> store.enqueue(new NewTask(null, "t", big, null, null, 0, null, 3, null)));
    refused(
        "instructions",
        () -> store.enqueue(new NewTask(null, "t", "c", big, null, 0, null, 3, null)));
    Claim c = claimed(store.claimNext(new Holder("s", "h.test", 1, 1), null));
    refused(
        "summary",
        () ->
            store.writeCheckpoint(
                new CheckpointRequest("existing", c.token(), big, null, null, null)));
    refused("result", () -> store.complete("existing", c.token(), Outcome.DONE, big));
    refused("message", () -> store.appendLog(big, "existing", c.token()));
  }

  private void refused(String field, Supplier<?> call) {
    var before = store.list(QueueQuery.firstPage(100));
    var log = store.tailLog(1000);
    TaskqException e = catchThrowableOfType(TaskqException.class, call::get);
    assertThat(e).as("a refusal naming " + field).isNotNull();
    assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.field()).isEqualTo(field);
    assertThat(store.tailLog(1000)).as("log unchanged").isEqualTo(log);
    assertThat(shape(store.list(QueueQuery.firstPage(100)))).isEqualTo(shape(before));
  }

  /** The rows without the lease's time left, which moves with the clock. */
  private static List<String> shape(dev.taskq.core.QueuePage p) {
    return p.rows().stream()
        .map(r -> r.id() + " " + r.state() + " " + r.attempt() + " " + r.progress())
        .toList();
  }

  private static Claim claimed(ClaimResult r) {
    assertThat(r).isInstanceOf(ClaimResult.Claimed.class);
    return ((ClaimResult.Claimed) r).claim();
  }
}

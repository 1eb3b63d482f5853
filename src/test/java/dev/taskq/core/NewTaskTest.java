package dev.taskq.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class NewTaskTest {

  private static NewTask task(
      String id,
      String title,
      String criterion,
      String lane,
      int priority,
      List<String> after,
      int maxAttempts,
      String dedupe) {
    return new NewTask(id, title, criterion, "do it", lane, priority, after, maxAttempts, dedupe);
  }

  private static void refused(String field, Supplier<NewTask> make) {
    TaskqException e = catchThrowableOfType(TaskqException.class, make::get);
    assertThat(e).as("expected INVALID_ARGUMENT for %s", field).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.getMessage()).startsWith(field + ": ");
    assertThat(e.hint()).contains("nothing was changed");
  }

  @Test
  void of_gives_the_defaults() {
    NewTask t = NewTask.of("  Audit  ", " every query listed ");

    assertThat(t.id()).isNull();
    assertThat(t.title()).isEqualTo("Audit");
    assertThat(t.criterion()).isEqualTo("every query listed");
    assertThat(t.instructions()).isEmpty();
    assertThat(t.lane()).isNull();
    assertThat(t.priority()).isZero();
    assertThat(t.after()).isEmpty();
    assertThat(t.maxAttempts()).isEqualTo(3);
    assertThat(t.dedupeKey()).isNull();
  }

  @Test
  void each_bad_field_is_named() {
    List<String> none = List.of();
    refused("id", () -> task("Bad Id", "t", "c", null, 0, none, 3, null));
    refused("title", () -> task(null, " ", "c", null, 0, none, 3, null));
    refused("title", () -> task(null, null, "c", null, 0, none, 3, null));
    refused("title", () -> task(null, "two\nlines", "c", null, 0, none, 3, null));
    refused(
        "title", () -> task(null, "t".repeat(Limits.TITLE_MAX + 1), "c", null, 0, none, 3, null));
    refused("criterion", () -> task(null, "t", "", null, 0, none, 3, null));
    refused("criterion", () -> task(null, "t", "c\0", null, 0, none, 3, null));
    refused("lane", () -> task(null, "t", "c", "Front End", 0, none, 3, null));
    refused("lane", () -> task(null, "t", "c", "l".repeat(Limits.LANE_MAX + 1), 0, none, 3, null));
    refused("priority", () -> task(null, "t", "c", null, 1001, none, 3, null));
    refused("priority", () -> task(null, "t", "c", null, -1001, none, 3, null));
    refused("after", () -> task("me", "t", "c", null, 0, List.of("me"), 3, null));
    refused("after", () -> task(null, "t", "c", null, 0, List.of("../x"), 3, null));
    refused("max_attempts", () -> task(null, "t", "c", null, 0, none, 0, null));
    refused("max_attempts", () -> task(null, "t", "c", null, 0, none, 21, null));
    refused("dedupe_key", () -> task(null, "t", "c", null, 0, none, 3, "a\tb"));
    refused("dedupe_key", () -> task(null, "t", "c", null, 0, none, 3, "   "));
    refused(
        "instructions",
        () ->
            new NewTask(
                null, "t", "c", "i".repeat(Limits.INSTRUCTIONS_MAX + 1), null, 0, none, 3, null));
  }

  @Test
  void after_is_deduplicated_in_order_and_limited() {
    NewTask t = task(null, "t", "c", null, 0, Arrays.asList("b", "a", "b"), 3, null);
    assertThat(t.after()).containsExactly("b", "a");

    List<String> many = new ArrayList<>();
    for (int i = 0; i <= Limits.AFTER_MAX; i++) {
      many.add("dep-" + i);
    }
    refused("after", () -> task(null, "t", "c", null, 0, many, 3, null));
  }

  @Test
  void limits_at_the_edge_are_accepted() {
    NewTask t =
        task(
            "x".repeat(80),
            "t".repeat(Limits.TITLE_MAX),
            "c",
            "",
            1000,
            null,
            20,
            "k".repeat(Limits.DEDUPE_KEY_MAX));

    assertThat(t.lane()).isNull();
    assertThat(t.after()).isEmpty();
    assertThat(task(null, "t", "c", null, -1000, null, 1, "").dedupeKey()).isNull();
  }

  @Test
  void same_content_compares_what_the_task_says_not_its_id_or_key() {
    NewTask a = task("a", "Title", "crit", "db", 2, List.of("x"), 3, "k");
    Task stored = Task.fresh(a, "a", java.time.Instant.EPOCH);

    assertThat(task(null, "Title", "crit", "db", 2, List.of("x"), 5, "k").sameContentAs(stored))
        .isTrue();
    assertThat(task(null, "Other", "crit", "db", 2, List.of("x"), 3, "k").sameContentAs(stored))
        .isFalse();
    assertThat(task(null, "Title", "crit", null, 2, List.of("x"), 3, "k").sameContentAs(stored))
        .isFalse();
    assertThat(task(null, "Title", "crit", "db", 3, List.of("x"), 3, "k").sameContentAs(stored))
        .isFalse();
    assertThat(task(null, "Title", "crit", "db", 2, List.of(), 3, "k").sameContentAs(stored))
        .isFalse();
  }
}

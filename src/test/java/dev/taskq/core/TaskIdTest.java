package dev.taskq.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskIdTest {

  @ParameterizedTest
  @ValueSource(strings = {"db-audit", "a", "v1.2_fix-3", "0", "task-20261124-130000-abcde"})
  void valid_ids_pass(String id) {
    assertThat(TaskId.problem(id)).isNull();
    assertThat(TaskId.check("id", id)).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "DB-audit",
        ".hidden",
        "../etc",
        "a/b",
        "a\\b",
        "with space",
        "tab\t",
        "nul\0",
        "café",
        "dash—em",
        "/abs"
      })
  void invalid_ids_are_refused_naming_the_field(String id) {
    assertThatThrownBy(() -> TaskId.check("after", id))
        .isInstanceOfSatisfying(
            TaskqException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.field()).isEqualTo("after");
              assertThat(e.getMessage()).startsWith("after: ");
            });
  }

  @Test
  void null_and_overlong_ids_are_refused() {
    assertThat(TaskId.problem(null)).isNotNull();
    assertThat(TaskId.problem("a".repeat(80))).isNull();
    assertThat(TaskId.problem("a".repeat(81))).contains("80");
  }

  @Test
  void the_problem_names_the_position_of_the_bad_character() {
    assertThat(TaskId.problem("abC")).contains("'C' (character 3 of 3, counting from 1)");
  }

  @Test
  void generated_ids_carry_the_utc_time_and_are_valid() {
    Instant now = Instant.parse("2026-11-24T23:59:58.900Z");

    String id = TaskId.generate(now, new Random(7));

    assertThat(id).matches("task-20261124-235958-[a-km-np-z2-9]{5}");
    assertThat(TaskId.problem(id)).isNull();
    assertThat(TaskId.generate(now, new Random(8))).isNotEqualTo(id);
  }

  @Test
  void a_bad_character_is_named_and_counted_from_1_with_a_name_that_would_do() {
    assertThat(TaskId.problem("Data Base"))
        .isEqualTo(
            "may hold only lower-case letters a-z, digits, '.', '_' and '-': 'D' (character 1 of"
                + " 9, counting from 1) is not one; try 'data-base'");
    assertThat(TaskId.problem("db audit")).contains("a space (character 3 of 8,");
    assertThat(TaskId.problem("tab\t")).contains("a tab (character 4 of 4,");
    assertThat(TaskId.problem("nul\0x"))
        .contains("the invisible character U+0000 (character 4 of 5,");
    assertThat(TaskId.problem("café"))
        .contains("'é' (U+00E9) (character 4 of 4,")
        .endsWith("try 'caf'");
    assertThat(TaskId.problem("🚀-launch"))
        .contains("(U+1F680) (character 1 of 8,")
        .endsWith("try 'launch'");
    assertThat(TaskId.problem("!!!")).doesNotContain("try");
  }
}

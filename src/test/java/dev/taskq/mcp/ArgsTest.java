package dev.taskq.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {
  @Test
  void an_unknown_field_is_refused_naming_it_and_the_allowed_ones() {
    assertThatThrownBy(() -> new Args(Map.of("lan", "db"), "", Set.of("lane")))
        .isInstanceOf(TaskqException.class)
        .hasMessage("lan: is not a known field; allowed: lane");
  }

  @Test
  void a_wrong_type_names_the_field_with_its_path() {
    Args task = Args.nested(Map.of("priority", "high"), "tasks[2]", Set.of("priority"));
    assertThatThrownBy(() -> task.integer("priority", 0))
        .isInstanceOfSatisfying(
            TaskqException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.field()).isEqualTo("tasks[2].priority");
            })
        .hasMessageContaining("must be a whole number");
  }

  @Test
  void whole_numbers_sent_as_floats_are_accepted_but_fractions_are_not() {
    Args a = new Args(Map.of("p", 5.0, "q", 2.5), "", Set.of("p", "q"));
    assertThat(a.integer("p", 0)).isEqualTo(5);
    assertThatThrownBy(() -> a.integer("q", 0)).hasMessageContaining("q: must be a whole number");
  }

  @Test
  void absent_values_give_the_default_and_required_ones_fail() {
    Args a = new Args(null, "", Set.of("x"));
    assertThat(a.text("x")).isNull();
    assertThat(a.integer("x", 3)).isEqualTo(3);
    assertThat(a.list("x")).isEmpty();
    assertThatThrownBy(() -> a.requiredText("x")).hasMessage("x: is required");
  }

  @Test
  void a_list_of_ids_must_hold_only_strings() {
    Args a = new Args(Map.of("after", List.of("a", 7)), "", Set.of("after"));
    assertThatThrownBy(() -> a.texts("after")).hasMessageContaining("after[1]: must be a string");
  }
}

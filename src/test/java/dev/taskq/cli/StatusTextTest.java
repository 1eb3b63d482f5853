package dev.taskq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.TaskState;
import dev.taskq.project.QueueLocation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Drawing a status view that a real queue cannot easily be put into (a network filesystem). */
class StatusTextTest {
  private static StatusView view(List<String> warnings) {
    StatusView.Section none = new StatusView.Section(List.of(), 0);
    return new StatusView(
        new QueueLocation(
            Path.of("/mnt/share/tasks"), QueueLocation.Source.FOUND, "/mnt/share/tasks"),
        Instant.parse("2026-11-24T13:00:00Z"),
        Map.of(TaskState.PENDING, 0),
        0,
        none,
        none,
        none,
        none,
        none,
        List.of(),
        Map.of(),
        warnings);
  }

  @Test
  void a_store_warning_is_shown_under_the_counts_in_text_and_json() {
    String warning = "the queue /mnt/share/tasks is on a network filesystem (nfs4): keep it local";

    String text = StatusText.render(view(List.of(warning)), new Style(false, 120));
    String json = StatusJson.render(view(List.of(warning)), JsonText.MAPPER);

    assertThat(text.lines().skip(2).findFirst().orElseThrow()).isEqualTo("warning: " + warning);
    assertThat(JsonText.MAPPER.readTree(json).path("warnings").get(0).asString())
        .isEqualTo(warning);
  }

  @Test
  void an_empty_queue_says_how_to_add_work() {
    String text = StatusText.render(view(List.of()), new Style(false, 120));

    assertThat(text)
        .contains("The queue is empty. Add work with `taskq add TITLE --criterion TEXT`");
    assertThat(text).doesNotContain("warning");
  }
}

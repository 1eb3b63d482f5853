package dev.taskq.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.Definition;
import dev.taskq.core.Ending;
import dev.taskq.core.Holder;
import dev.taskq.core.Lease;
import dev.taskq.core.Outcome;
import dev.taskq.core.Progress;
import dev.taskq.core.Task;
import dev.taskq.core.TaskState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Taskq's own files must take the hand-written path both ways, and look as they did. */
class FastFrontMatterTest {
  private static final Instant T = Instant.parse("2026-11-24T13:15:00Z");

  @Test
  void a_claimed_task_file_is_written_and_read_without_jackson() {
    Holder h = new Holder("3f2a9c1e-5b7d-4e", "devbox", 4121, 1732454100123L);
    Task t =
        new Task(
            new Definition(
                "db-audit",
                "Audit N+1 queries: the \"slow\" ones",
                "no query runs twice per request",
                "Look in src/db.\n",
                "db",
                2,
                List.of("schema-1", "seed-2"),
                3,
                T,
                "audit#1"),
            TaskState.IN_PROGRESS,
            1,
            new Lease(h, "k3J9xQ2mZp7LwR4t", T.plusSeconds(900)),
            2,
            new Progress(3, 10),
            null,
            null,
            7);
    String file = TaskFile.render(t);
    assertFastBothWays(file);
    assertThat(TaskFile.parse(file, "db-audit", TaskState.IN_PROGRESS, T)).isEqualTo(t);
  }

  @Test
  void a_finished_task_and_a_checkpoint_are_written_and_read_without_jackson() {
    Task done =
        new Task(
            new Definition("t-1", "Fix it", "tests pass", "", null, 0, List.of(), 3, T, null),
            TaskState.COMPLETED,
            1,
            null,
            0,
            null,
            new Ending(Outcome.DONE, T, "on"),
            "all good",
            3);
    assertFastBothWays(TaskFile.render(done));
    Checkpoint c =
        new Checkpoint("t-1", 2, 1, T, "pid@host#12", "half", new Progress(1, 2), "", "");
    assertFastBothWays(CheckpointFile.render(c));
  }

  @Test
  void bare_values_are_only_those_no_yaml_reader_takes_for_something_else() {
    for (String s :
        List.of("null", "~", "true", "No", "on", "1.5", "0x1F", "007", "1e3", "2026-01-01", "")) {
      assertThat(FastYamlWriter.write(Map.of("k", s))).as(s).startsWith("k: \"");
    }
    for (String s :
        List.of("2026-11-24T13:15:00Z", "Audit N+1 queries", "3/10", "3f2a9c1e@devbox#4121")) {
      assertThat(FastYamlWriter.write(Map.of("k", s))).isEqualTo("k: " + s + "\n");
    }
    assertThat(FastYamlWriter.write(Map.of("k", "tab\there \"q\" \\ \u0001\u0085\u2028")))
        .isEqualTo("k: \"tab\\there \\\"q\\\" \\\\ \\x01\\x85\\u2028\"\n");
  }

  @Test
  void a_typical_task_file_looks_exactly_as_jackson_wrote_it() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("id", "db-audit");
    f.put("title", "Audit N+1 queries: the slow ones");
    f.put("priority", 2);
    f.put("after", List.of("schema-1", "seed-2"));
    f.put("none", List.of());
    f.put("created", T.toString());
    f.put("holder_pid", 4121L);
    f.put("progress", "3/10");
    assertThat(FastYamlWriter.write(f)).isEqualTo(FrontMatter.writeJackson(f));
  }

  @Test
  void what_the_fast_path_does_not_know_still_goes_through_jackson() {
    assertThat(FastYamlWriter.write(Map.of("criterion", "two\nlines"))).isNull();
    assertThat(FastYamlWriter.write(Map.of("k", 1.5))).isNull();
    assertThat(FastYamlReader.read("k: 'single'\n")).isNull();
    assertThat(FastYamlReader.read("k: [a, b]\n")).isNull();
    assertThat(FastYamlReader.read("k: v # note\n")).isNull();
    assertThat(FastYamlReader.read("k: v\nk: w\n")).isNull();
    assertThat(FrontMatter.parse("---\nk: [a, b] # note\n---\n").fields())
        .isEqualTo(Map.of("k", List.of("a", "b")));
  }

  private static void assertFastBothWays(String file) {
    String yaml = file.substring(4, file.indexOf("\n---\n", 3) + 1);
    Map<String, Object> fields = FastYamlReader.read(yaml);
    assertThat(fields).as("read by the fast path").isNotNull();
    assertThat(FastYamlWriter.write(fields)).as("written by the fast path").isEqualTo(yaml);
    assertThat(fields).isEqualTo(FrontMatter.readJackson(yaml));
  }
}

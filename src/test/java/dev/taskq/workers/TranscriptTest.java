package dev.taskq.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's transcript cannot fill the disk: a size cap per run, and only the newest runs kept. */
class TranscriptTest {
  @TempDir Path dir;

  @Test
  void past_the_cap_only_one_marker_and_the_result_line_are_written() throws IOException {
    Path file = dir.resolve("run-0001.jsonl");
    String big = "{\"type\":\"user\",\"x\":\"" + "a".repeat(1 << 20) + "\"}";
    try (Transcript t = new Transcript(file)) {
      for (int i = 0; i < 12; i++) {
        t.line(big);
      }
      t.line("{\"type\":\"result\",\"num_turns\":3}");
    }

    assertThat(Files.size(file)).isLessThan(Transcript.MAX_BYTES + 1024);
    String text = Files.readString(file);
    assertThat(text.lines().filter(l -> l.startsWith("{\"type\":\"taskq_truncated\""))).hasSize(1);
    assertThat(text).endsWith("{\"type\":\"result\",\"num_turns\":3}\n");
    assertThat(RunText.lines("{\"type\":\"taskq_truncated\",\"after_bytes\":1}"))
        .containsExactly("… transcript cut here (over 8 MiB); the result follows");
  }

  @Test
  void a_worker_keeps_its_newest_runs_and_numbers_the_next_one_after_the_highest()
      throws IOException {
    for (int i = 1; i <= 12; i++) {
      Files.writeString(dir.resolve(String.format("run-%04d.jsonl", i)), "{}\n");
      Files.writeString(dir.resolve(String.format("run-%04d.stderr", i)), "");
    }

    Transcript.prune(dir, Transcript.KEEP_RUNS - 1);

    assertThat(Transcript.runs(dir)).hasSize(9);
    assertThat(dir.resolve("run-0003.jsonl")).doesNotExist();
    assertThat(dir.resolve("run-0003.stderr")).doesNotExist();
    assertThat(dir.resolve("run-0004.jsonl")).exists();
    assertThat(Transcript.nextRun(dir)).isEqualTo(13);
  }
}

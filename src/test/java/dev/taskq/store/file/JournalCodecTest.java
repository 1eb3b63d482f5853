package dev.taskq.store.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.taskq.core.Definition;
import dev.taskq.core.Ending;
import dev.taskq.core.Holder;
import dev.taskq.core.Lease;
import dev.taskq.core.Outcome;
import dev.taskq.core.Progress;
import dev.taskq.core.Task;
import dev.taskq.core.TaskState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class JournalCodecTest {
  private static final Instant AT = Instant.parse("2026-11-24T10:15:30.123456789Z");

  private static Task task(String text, Lease lease, TaskState state) {
    return new Task(
        new Definition(
            "t-" + Math.abs(text.hashCode()),
            "title " + text,
            text,
            text,
            text.isEmpty() ? null : text,
            -3,
            List.of("a", "b-2"),
            5,
            AT,
            text.isEmpty() ? null : text),
        state,
        2,
        lease,
        7,
        new Progress(60, 180),
        Ending.of(
            state == TaskState.COMPLETED ? Outcome.DONE : null,
            state == TaskState.COMPLETED ? AT.plusSeconds(9) : null,
            text.isEmpty() ? null : text),
        state == TaskState.COMPLETED ? text : null,
        42);
  }

  private static JournalRecord roundTrip(JournalRecord r) {
    byte[] line = JournalCodec.encode(r);
    assertEquals('\n', line[line.length - 1], "one record is one line");
    assertEquals(
        1,
        new String(line, StandardCharsets.UTF_8).chars().filter(c -> c == '\n').count(),
        "no newline inside the record");
    return JournalCodec.decode(line, 0, line.length - 1);
  }

  @Property(tries = 300)
  void any_text_in_any_field_comes_back_unchanged(@ForAll String text) {
    Lease lease =
        new Lease(
            new Holder(text, "host\t" + text, 4121, 987654), "tok" + text, AT, AT.minusSeconds(7));
    JournalRecord begin =
        JournalRecord.begin(
            9,
            List.of(
                task(text, lease, TaskState.IN_PROGRESS), task(text, null, TaskState.COMPLETED)),
            List.of(text, "gone"),
            List.of(new CorruptFile("pending/" + text + ".md", "reason " + text)),
            List.of(text),
            List.of("2026-11-24T10:15:30.123Z DONE: x — " + text),
            true);
    assertEquals(begin, roundTrip(begin));
  }

  @Test
  void a_commit_keeps_its_folder_times_or_their_absence() {
    JournalRecord withTimes = JournalRecord.commit(12, List.of(1L, -2L, 3_000_000_000_000L, 0L));
    assertEquals(withTimes, roundTrip(withTimes));
    JournalRecord without = JournalRecord.commit(13, null);
    assertEquals(without, roundTrip(without));
  }

  @Test
  void a_commit_carries_the_stamps_of_the_files_it_wrote_and_an_older_commit_has_none() {
    JournalRecord stamped =
        JournalRecord.commit(
            14,
            List.of(1L, 2L, 3L, 4L),
            Map.of(
                "a", new Stamp(1_764_000_000_123_456_789L, 512, -77), "b-2", new Stamp(0, 0, 0)));
    assertEquals(stamped, roundTrip(stamped));
    byte[] old = "C\t15\t-1".getBytes(StandardCharsets.UTF_8);
    JournalRecord back = JournalCodec.decode(old, 0, old.length);
    assertEquals(Map.of(), back.stampsOrEmpty());
    assertEquals(15, back.seq());
  }

  @Test
  void a_begin_with_nothing_in_it_comes_back_with_empty_lists() {
    JournalRecord empty = JournalRecord.begin(1, null, null, null, null, null, false);
    JournalRecord back = roundTrip(empty);
    assertEquals(List.of(), back.putOrEmpty());
    assertEquals(List.of(), back.logOrEmpty());
    assertEquals(1, back.seq());
  }

  @Test
  void torn_garbled_or_foreign_lines_are_refused_rather_than_misread() {
    byte[] line =
        JournalCodec.encode(
            JournalRecord.begin(
                3, List.of(task("x", null, TaskState.PENDING)), null, null, null, null, false));
    int body = line.length - 1;
    for (int cut : new int[] {1, 5, body / 2, body - 1}) {
      assertNull(JournalCodec.decode(line, 0, cut), "torn at " + cut);
    }
    byte[] extra = Arrays.copyOf(line, body + 3);
    extra[body] = '\t';
    extra[body + 1] = '7';
    extra[body + 2] = '\n';
    assertNull(JournalCodec.decode(extra, 0, body + 2), "trailing field");
    for (String s :
        new String[] {"", "X\t1", "C\tnot-a-number\t0", "B\t1\t0\t0\t0\t0\t0\t0\t\\q"}) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      assertNull(JournalCodec.decode(b, 0, b.length), s);
    }
  }
}

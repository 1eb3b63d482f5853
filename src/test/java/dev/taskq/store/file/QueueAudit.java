package dev.taskq.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.TaskId;
import dev.taskq.core.TaskState;
import dev.taskq.store.contract.TaskStoreContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a queue folder from the outside, without the store, and asserts it is consistent: every
 * task in exactly one state folder as a whole file, no temp files, no torn log line, and one DONE
 * line per completed task.
 */
final class QueueAudit {
  /** A second event inside one line would mean two lines ran together. */
  private static final Pattern SECOND_EVENT =
      Pattern.compile(".\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z [A-Z]+: ");

  final Map<String, TaskState> states = new HashMap<>();
  final List<String> logLines = new ArrayList<>();
  final List<String> doneIds = new ArrayList<>();

  static QueueAudit of(Path dir) throws IOException {
    QueueAudit a = new QueueAudit();
    a.readStates(dir);
    a.readCheckpoints(dir);
    a.readLog(dir);
    assertNoTempFiles(dir);
    a.assertDoneLinesMatchCompleted();
    return a;
  }

  Set<String> in(TaskState s) {
    Set<String> out = new HashSet<>();
    states.forEach(
        (id, st) -> {
          if (st == s) {
            out.add(id);
          }
        });
    return out;
  }

  private void readStates(Path dir) throws IOException {
    for (TaskState s : TaskState.values()) {
      Path folder = dir.resolve(s.folder());
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (Stream<Path> files = Files.list(folder)) {
        for (Path f : files.toList()) {
          String name = f.getFileName().toString();
          assertThat(Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
              .as("%s is a file", f)
              .isTrue();
          assertThat(name).as("file name in %s", folder).endsWith(".md");
          String id = name.substring(0, name.length() - 3);
          assertThat(TaskId.problem(id)).as("id of %s", f).isNull();
          FileOnDisk task = FileOnDisk.read(f);
          assertThat(task.string("id")).as("id inside %s", f).isEqualTo(id);
          assertThat(task.string("title")).as("title of %s", f).isNotBlank();
          TaskState before = states.put(id, s);
          assertThat(before).as("%s is in %s and in %s", id, before, s).isNull();
        }
      }
    }
  }

  private void readCheckpoints(Path dir) throws IOException {
    Path folder = dir.resolve("checkpoints");
    if (!Files.isDirectory(folder)) {
      return;
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.toList()) {
        FileOnDisk cp = FileOnDisk.read(f);
        assertThat(states).as("task of checkpoint %s", f).containsKey(cp.string("task"));
      }
    }
  }

  private void readLog(Path dir) throws IOException {
    Path log = dir.resolve("log.txt");
    if (!Files.exists(log)) {
      return;
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(text).as("log.txt ends with a whole line").endsWith("\n");
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      Matcher m = TaskStoreContract.LOG_LINE.matcher(line);
      assertThat(m.matches()).as("log line is whole: %s", line).isTrue();
      assertThat(SECOND_EVENT.matcher(line).find())
          .as("two lines ran together: %s", line)
          .isFalse();
      logLines.add(line);
      if (m.group(2).equals("DONE")) {
        doneIds.add(m.group(3));
      }
    }
    assertThat(text.split("\n", -1)).filteredOn(String::isEmpty).hasSize(1);
  }

  private static void assertNoTempFiles(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      assertThat(all.filter(p -> p.getFileName().toString().endsWith(".tmp")))
          .as("temp files left under %s", dir)
          .isEmpty();
    }
  }

  private void assertDoneLinesMatchCompleted() {
    assertThat(doneIds).as("DONE lines").doesNotHaveDuplicates();
    assertThat(new HashSet<>(doneIds))
        .as("DONE lines vs completed/")
        .isEqualTo(in(TaskState.COMPLETED));
  }
}

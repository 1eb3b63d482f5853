package dev.taskq.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.Holder;
import dev.taskq.core.NewTask;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.Task;
import dev.taskq.core.TaskState;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal begin without its commit is a crash's leftover only when its writer is gone. When
 * someone deletes the lock file, another process can be halfway through a change while we hold
 * "the" lock; finishing or undoing its change for it would race with it (its log lines twice, an
 * enqueue undone that its caller was told succeeded).
 */
class InFlightChangeTest {
  private static final String LINE = "2026-11-24T12:00:00.000Z NOTE: b — written by the change";

  @TempDir Path dir;

  @Test
  void a_change_another_live_process_is_making_is_left_to_it() throws Exception {
    Holder parent = ProcessIdentity.of(ProcessHandle.current().parent().orElseThrow(), "");
    openBeginBy(parent);

    try (TaskStore store = StoreFactory.open(StoreConfig.of(dir))) {
      store.list(QueueQuery.firstPage(10));
    }

    assertThat(Files.readString(dir.resolve("log.txt"))).doesNotContain(LINE);
  }

  @Test
  void a_change_whose_process_is_gone_is_finished_by_the_next_lock_holder() throws Exception {
    Process p = new ProcessBuilder("sleep", "30").start();
    Holder gone = ProcessIdentity.of(p.toHandle(), "");
    p.destroy();
    p.waitFor();
    openBeginBy(gone);

    try (TaskStore store = StoreFactory.open(StoreConfig.of(dir))) {
      store.list(QueueQuery.firstPage(10));
    }

    assertThat(Files.readString(dir.resolve("log.txt"))).contains(LINE);
  }

  /** Enqueues b, then journals a change of b by {@code writer} whose commit has not come yet. */
  private void openBeginBy(Holder writer) throws Exception {
    try (TaskStore store = StoreFactory.open(StoreConfig.of(dir))) {
      store.enqueue(
          List.of(new NewTask("b", "Task b", "criterion", "steps", null, 0, List.of(), 3, null)));
    }
    Task b = new QueueFolder(dir).readTask(TaskState.PENDING, "b");
    JournalRecord begin =
        JournalRecord.begin(99, List.of(b), null, null, null, List.of(LINE), false);
    Path journal;
    try (var s = Files.newDirectoryStream(dir.resolve(".taskq"), "journal-*.log")) {
      journal = s.iterator().next();
    }
    Files.write(journal, JournalCodec.encode(begin.by(writer)), StandardOpenOption.APPEND);
  }
}

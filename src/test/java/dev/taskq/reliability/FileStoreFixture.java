package dev.taskq.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import dev.taskq.store.contract.ExpectedQueue;
import dev.taskq.store.contract.StoreFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A file queue in a temporary folder for the model-checked test, and what only the files can show:
 * each task in exactly one state folder with the expected front matter, checkpoint files 1..n, no
 * temp files left behind.
 */
final class FileStoreFixture implements StoreFixture {
  private final Path dir;

  FileStoreFixture() {
    try {
      dir = Files.createTempDirectory("taskq-model-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public TaskStore open(Clock clock, Duration lease) {
    return StoreFactory.open(new StoreConfig(dir, lease, clock));
  }

  @Override
  public void checkStored(ExpectedQueue expected) {
    QueueOnDisk disk;
    try {
      disk = QueueOnDisk.read(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(disk.stateById().keySet())
        .as("task files on disk")
        .isEqualTo(expected.tasks().keySet());
    for (ExpectedQueue.ExpectedTask e : expected.tasks().values()) {
      var f = disk.only(e.id());
      assertThat(f.state()).as("folder of " + e.id()).isEqualTo(e.state());
      assertThat(f.number("attempt")).as("attempt of " + e.id()).isEqualTo(e.attempt());
      if (e.state() != dev.taskq.core.TaskState.FAILED) {
        assertThat(f.front().get("token"))
            .as("live token of " + e.id() + " (only in-progress files carry one)")
            .isEqualTo(e.token());
      }
      assertThat(f.number("checkpoints")).as("checkpoints of " + e.id()).isEqualTo(e.checkpoints());
      Set<Integer> cps = disk.checkpoints.getOrDefault(e.id(), new TreeSet<>());
      List<Integer> want = new ArrayList<>();
      for (int i = 1; i <= e.checkpoints(); i++) {
        want.add(i);
      }
      assertThat(cps)
          .as("checkpoint files of " + e.id() + " are 1..n")
          .containsExactlyInAnyOrderElementsOf(want);
    }
    assertThat(disk.tempFiles).as("temp files left behind").isEmpty();
  }

  @Override
  public void close() {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }
}

package dev.taskq.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.NewTask;
import dev.taskq.core.TaskqException;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.Queue;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.TaskStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue lock's wait is bounded, and its error names who holds the lock and since when. */
class QueueLockTest {
  private static final Duration WAIT = Duration.ofSeconds(1);
  @TempDir Path root;

  private TaskStore storeWaiting(Duration lockWait) {
    StoreConfig config = StoreConfig.of(root.resolve("tasks"));
    return new Queue(new FileStorage(config, lockWait), config.lease());
  }

  @Test
  void a_lock_held_by_a_stuck_process_gives_an_error_naming_its_pid_and_since_when()
      throws Exception {
    try (TaskStore store = storeWaiting(WAIT)) {
      store.enqueue(NewTask.of("Before", "c"));
      Process holder = startHolder();
      try {
        long started = System.nanoTime();
        TaskqException e =
            catchThrowableOfType(
                TaskqException.class, () -> store.enqueue(NewTask.of("Blocked", "c")));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(e).as("a call while another process holds the lock").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.STORE_ERROR);
        assertThat(e.getMessage())
            .contains("was not free within 1 s")
            .contains("held by pid " + holder.pid() + " on " + ProcessIdentity.host())
            .contains(" since ")
            .contains(" s ago)");
        assertThat(e.hint()).startsWith("nothing was changed");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(took).as("bounded by the wait").isLessThan(Duration.ofSeconds(20));
      } finally {
        holder.getOutputStream().close();
        assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      store.enqueue(NewTask.of("After", "c"));
      assertThat(store.list(dev.taskq.core.QueueQuery.firstPage(10)).rows())
          .extracting(r -> r.title())
          .containsExactlyInAnyOrder("Before", "After");
    }
  }

  @Test
  void a_lock_held_by_another_thread_gives_an_error_naming_the_thread() throws Exception {
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder =
        new Thread(
            () -> {
              QueueLock lock = new QueueLock(root.resolve("tasks/.taskq/lock"));
              try {
                lock.lock();
                locked.countDown();
                release.await();
                lock.unlock();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              } finally {
                lock.close();
              }
            },
            "stuck-worker");
    try (TaskStore store = storeWaiting(WAIT)) {
      holder.start();
      assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();

      TaskqException e =
          catchThrowableOfType(TaskqException.class, () -> store.enqueue(NewTask.of("T", "c")));

      assertThat(e.code()).isEqualTo(ErrorCode.STORE_ERROR);
      assertThat(e.getMessage())
          .contains("held by thread 'stuck-worker' of pid " + ProcessHandle.current().pid());
      release.countDown();
      holder.join(30_000);
      assertThat(store.enqueue(NewTask.of("T", "c")).created()).isTrue();
    }
  }

  private Process startHolder() throws Exception {
    Path queue = root.resolve("tasks");
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    LockHolder.class.getName(),
                    queue.toString()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("the holder process took the lock").isEqualTo("LOCKED");
    return p;
  }
}

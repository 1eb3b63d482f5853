package dev.taskq.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.ClaimResult;
import dev.taskq.core.Outcome;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.TaskStore;
import dev.taskq.store.postgres.PostgresQueues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The dashboard on a queue kept in PostgreSQL: the same board, and live updates through the store's
 * LISTEN/NOTIFY change signal. The database URL reaches the dashboard in its environment only, and
 * its password never reaches the page or the dashboard's output.
 */
class DashboardOnPostgresIT {
  @TempDir Path dir;

  @Test
  void the_board_and_its_live_updates_work_on_a_postgresql_queue() throws IOException {
    Browser.assumeInstalled();
    PostgresQueues queues = PostgresQueues.onSharedServer();
    String queue = queues.fresh();
    Path anchor = Files.createDirectories(dir.resolve("shop/tasks/pending")).getParent();
    String password = queues.server().appPassword();
    try (TaskStore store = queues.open(queue, Duration.ofMinutes(15));
        Browser browser = Browser.start(dir);
        DashboardProcess d =
            DashboardProcess.start(
                DashboardProcess.jar(),
                anchor,
                dir,
                Map.of("TASKQ_DATABASE_URL", queues.url(), "TASKQ_QUEUE", queue))) {
      DemoQueue.build(
          store, null, ProcessIdentity.current("3f2a9c1e-aaa"), ProcessIdentity.current("b"));
      browser.open(d.url);

      browser.card("pending", "legacy-import");
      browser.card("blocked", "report");
      assertThat(browser.card("in_progress", "db-audit").getText()).contains("66% 120/180");
      browser.card("completed", "ui-audit");
      browser.card("failed", "css-cleanup");
      assertThat(browser.driver.findElement(By.id("store")).getText())
          .contains("PostgreSQL")
          .contains("queue " + queue);

      // Another connection completes a task: NOTIFY → the dashboard's listener → the page.
      ClaimResult.Claimed c =
          (ClaimResult.Claimed) store.claimNext(ProcessIdentity.current("other"), "api");
      store.complete(c.claim().task().id(), c.claim().token(), Outcome.DONE, "ported");
      browser.card("completed", c.claim().task().id());

      assertThat(browser.pageText()).doesNotContain(password);
      assertThat(d.stderr()).doesNotContain(password);
      assertThat(d.stdout.toString()).doesNotContain(password);
    }
  }
}

package dev.taskq.cli;

import dev.taskq.core.TaskqException;
import dev.taskq.dashboard.BrowserOpener;
import dev.taskq.dashboard.Dashboard;
import dev.taskq.dashboard.DashboardConfig;
import dev.taskq.store.TaskStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code taskq dashboard}: starts the web view, prints its URL (with the secret) on stdout, opens a
 * browser when asked and able, and serves until the process is stopped.
 */
final class DashboardVerb {
  private DashboardVerb() {}

  static int run(
      CliContext ctx,
      Path queue,
      TaskStore store,
      int port,
      boolean open,
      String bind,
      String person) {
    InetAddress address = bind == null ? DashboardConfig.LOOPBACK : address(bind);
    Dashboard d =
        Dashboard.start(
            new DashboardConfig(
                queue, address, bind, port, ctx.clock(), ctx.err(), person + " via the dashboard"),
            store);
    BrowserOpener opener = new BrowserOpener(ctx.env(), System.getProperty("os.name", ""));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  d.close();
                  opener.cleanUp();
                  stopped.countDown();
                },
                "taskq-dashboard-stop"));
    if (!address.isLoopbackAddress()) {
      ctx.err()
          .println(
              "taskq dashboard: WARNING: listening on "
                  + bind
                  + " port "
                  + d.port()
                  + ", not only on this machine: anyone who reaches it and has the URL can read"
                  + " and change the queue, and plain HTTP is not encrypted");
    }
    ctx.out().println("taskq dashboard for " + queue);
    ctx.out().println("  " + d.url());
    ctx.out()
        .println(
            "Open that URL in a browser; it carries this dashboard's secret, so keep it to"
                + " yourself. Ctrl-C stops the dashboard.");
    ctx.out().flush();
    if (open) {
      String why = opener.open(d.url(), queue.resolve(".taskq"), d.port());
      if (why != null) {
        ctx.err().println("taskq dashboard: not opening a browser: " + why);
      }
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static InetAddress address(String bind) {
    try {
      return InetAddress.getByName(bind.trim());
    } catch (UnknownHostException e) {
      throw TaskqException.invalid(
          "--bind", "cannot resolve '" + bind + "'; give an address of this machine or 0.0.0.0");
    }
  }
}

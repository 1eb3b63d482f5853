package dev.taskq.dashboard;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;

/**
 * How to run a dashboard.
 *
 * @param queueDir the queue it shows (for the page's heading and the file store's change signal)
 * @param bind the address to listen on: loopback unless the person asked otherwise
 * @param bindName what the person typed for {@code --bind} (a host name is accepted in the {@code
 *     Host} header too), or null
 * @param port 0 for a free port
 * @param log where problems go (stderr); never the secret
 * @param person who a change made from the page is logged as (e.g. "alice via the dashboard")
 */
public record DashboardConfig(
    Path queueDir,
    InetAddress bind,
    String bindName,
    int port,
    Clock clock,
    PrintWriter log,
    String person) {

  public static DashboardConfig loopback(Path queueDir, int port, Clock clock, PrintWriter log) {
    return new DashboardConfig(
        queueDir, LOOPBACK, null, port, clock, log, "a person via the dashboard");
  }

  /** 127.0.0.1 itself: getLoopbackAddress() may answer ::1, which browsers reach less reliably. */
  public static final InetAddress LOOPBACK = loopbackV4();

  private static InetAddress loopbackV4() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e); // only thrown for a malformed address length
    }
  }
}

package dev.taskq.store;

import dev.taskq.core.Holder;
import java.net.InetAddress;
import java.util.Optional;

/** This process as a claim holder, and whether another holder's process still runs. */
public final class ProcessIdentity {
  private static final String HOST = hostName();

  private ProcessIdentity() {}

  /** The holder for this process; {@code session} is the Claude Code session id or a name. */
  public static Holder current(String session) {
    ProcessHandle self = ProcessHandle.current();
    return new Holder(session, HOST, self.pid(), startMillis(self));
  }

  /** The holder for another running process (tests use this to stand in for a dead session). */
  public static Holder of(ProcessHandle process, String session) {
    return new Holder(session, HOST, process.pid(), startMillis(process));
  }

  public static String host() {
    return HOST;
  }

  /**
   * False only when we can tell the holder's process is gone: same host, and either no process with
   * that pid or one that started at another time (the pid was reused). Other hosts: unknown, so
   * true.
   */
  public static boolean isAlive(Holder h) {
    if (!HOST.equals(h.host()) || h.pid() <= 0) {
      return true;
    }
    Optional<ProcessHandle> p = ProcessHandle.of(h.pid());
    if (p.isEmpty() || !p.get().isAlive()) {
      return false;
    }
    long start = startMillis(p.get());
    return h.processStart() == 0 || start == 0 || start == h.processStart();
  }

  private static long startMillis(ProcessHandle p) {
    return p.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
  }

  private static String hostName() {
    // /proc is instant; InetAddress may wait on DNS, which would slow every start.
    try {
      String proc =
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname"));
      if (!proc.isBlank()) {
        return proc.strip();
      }
    } catch (Exception e) {
      // not Linux: fall through
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }
}

package dev.taskq.store;

import dev.taskq.core.Holder;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** This process as a claim holder, and whether another holder's process still runs. */
public final class ProcessIdentity {
  private static final String HOST = hostName();

  private ProcessIdentity() {}

  /** The holder for this process; {@code session} is the Claude Code session id or a name. */
  public static Holder current(String session) {
    ProcessHandle self = ProcessHandle.current();
    return new Holder(session, HOST, self.pid(), startStamp(self));
  }

  /** The holder for another running process (tests use this to stand in for a dead session). */
  public static Holder of(ProcessHandle process, String session) {
    return new Holder(session, HOST, process.pid(), startStamp(process));
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
    long start = startStamp(p.get());
    return h.processStart() == 0 || start == 0 || start == h.processStart();
  }

  /**
   * When a process started, as a number that is the same whichever process asks: on Linux the start
   * time in clock ticks since boot, from /proc. Java's startInstant() is not: each JVM adds the
   * boot time it read at its own start, and that moves whenever the wall clock is adjusted, so two
   * JVMs can disagree on one process's start by a second or more, and a live holder would look like
   * a reused pid. Elsewhere, the start instant in epoch milliseconds; 0 when unknown.
   */
  public static long startStamp(ProcessHandle p) {
    try {
      String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
      // Fields after the command, which is in parentheses and may itself hold spaces or ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[19]); // field 22, starttime
    } catch (IOException | RuntimeException e) {
      return p.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
    }
  }

  private static String hostName() {
    // /proc is instant; InetAddress may wait on DNS, which would slow every start.
    try {
      String proc = Files.readString(Path.of("/proc/sys/kernel/hostname"));
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

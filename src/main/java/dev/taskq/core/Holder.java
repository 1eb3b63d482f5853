package dev.taskq.core;

/**
 * Who holds a claim: the agent session plus the process that serves it. The pid and the process
 * start time together identify a process on one host, because pids are reused.
 *
 * @param session the Claude Code session id, or a name given on the command line; may be empty
 * @param host the host name where the process runs
 * @param pid the process id
 * @param processStart when the process started, comparable only on its host (on Linux clock ticks
 *     since boot, which no wall-clock change moves), or 0 when unknown
 */
public record Holder(String session, String host, long pid, long processStart) {
  public Holder {
    session = session == null ? "" : session;
    host = host == null ? "" : host;
  }

  /** A short label people can read, e.g. "3f2a9c1e@devbox#4121". */
  public String label() {
    String s = session.isEmpty() ? "pid" : shortSession();
    return s + "@" + host + "#" + pid;
  }

  private String shortSession() {
    return session.length() > 12 ? session.substring(0, 12) : session;
  }

  /** True when both name the same process (same host, pid and start time). */
  public boolean sameProcess(Holder other) {
    return other != null
        && host.equals(other.host)
        && pid == other.pid
        && processStart == other.processStart;
  }
}

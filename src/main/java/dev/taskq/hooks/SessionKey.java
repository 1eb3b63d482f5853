package dev.taskq.hooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Names one running Claude Code process, the one thing its hooks and its taskq server both know:
 * hooks get {@code CLAUDE_PID}, and the server is that process's child. The session id is no good
 * for this: after {@code /clear} the hooks see a new one while the server keeps the one it started
 * with. The key is {@code <pid>-<start>}, the start time in clock ticks from {@code
 * /proc/<pid>/stat}, since pids are reused; where there is no /proc it is the pid alone. The
 * launcher's shell hooks compute the same key (see {@code hooks.sh}).
 */
public final class SessionKey {
  private SessionKey() {}

  /** The Claude Code process a hook runs under, from its {@code CLAUDE_PID}; null when unknown. */
  public static String ofHook(Map<String, String> env) {
    String pid = env.get("CLAUDE_PID");
    if (pid == null || !pid.strip().matches("[1-9][0-9]{0,9}")) {
      return null;
    }
    return of(Long.parseLong(pid.strip()));
  }

  /**
   * The Claude Code process that started this server: its parent (Claude Code runs stdio servers
   * directly, and the installed launcher execs java), or null when it has none.
   */
  public static String ofServer() {
    return clientPid().map(SessionKey::of).orElse(null);
  }

  /** The pid of the process that started this one. */
  static Optional<Long> clientPid() {
    return ProcessHandle.current().parent().map(ProcessHandle::pid);
  }

  /** The key of process {@code pid}. */
  public static String of(long pid) {
    long start = procStart(pid);
    return start > 0 ? pid + "-" + start : Long.toString(pid);
  }

  /**
   * The start time of {@code pid} in clock ticks since boot (field 22 of /proc/pid/stat), or 0 when
   * it cannot be read.
   */
  static long procStart(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the command, which is in parentheses and may itself hold spaces or ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
      return Long.parseLong(f[19]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Whether the process a key names still runs (same pid, same start). */
  public static boolean alive(String key) {
    int dash = key.indexOf('-');
    try {
      long pid = Long.parseLong(dash < 0 ? key : key.substring(0, dash));
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        return of(pid).equals(key);
      }
      return false;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}

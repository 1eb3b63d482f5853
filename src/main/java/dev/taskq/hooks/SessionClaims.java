package dev.taskq.hooks;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.Holder;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.TaskDetail;
import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskState;
import dev.taskq.core.TaskqException;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The claims of the Claude Code session a hook runs in. Claims are held by the session's taskq
 * server process, so a hook finds them in two ways:
 *
 * <ul>
 *   <li><b>By process</b>: the holder is a live process on this host whose parent is the hook's
 *       {@code CLAUDE_PID}. This survives {@code /clear} and {@code /compact}, where the session id
 *       changes but Claude Code and its server stay. Its lease may have run out meanwhile (a long
 *       compaction): as long as nobody took the task, it is still this session's.
 *   <li><b>By session</b>: the holder's session is this session's id (or {@code TASKQ_HOLDER}), its
 *       process is gone or its lease ran out, and nobody claimed the task since: a session resumed
 *       in a new process ({@code claude --resume}) after the old one died. Its new server takes
 *       such claims over ({@link TaskStore#resumeSession}).
 * </ul>
 */
public final class SessionClaims {
  private SessionClaims() {}

  /**
   * @param claudePid the hook's {@code CLAUDE_PID}, or 0 when unknown
   * @param sessions ids this session goes by (stdin's session_id, CLAUDE_CODE_SESSION_ID,
   *     TASKQ_HOLDER)
   * @param progressDeadline claims past it are not offered for resuming (their server would not get
   *     them back)
   */
  public static List<HeldClaim> find(
      TaskStore store,
      long claudePid,
      Set<String> sessions,
      Instant now,
      Duration progressDeadline) {
    List<HeldClaim> out = new ArrayList<>();
    List<TaskRow> rows = store.list(new QueueQuery(TaskState.IN_PROGRESS, null, 0, 10_000)).rows();
    for (TaskRow row : rows) {
      TaskDetail d;
      try {
        d = store.get(row.id());
      } catch (TaskqException e) {
        if (e.code() == ErrorCode.NOT_FOUND) {
          continue; // finished and removed meanwhile
        }
        throw e;
      }
      if (d.task().state() != TaskState.IN_PROGRESS || d.task().lease() == null) {
        continue;
      }
      Holder h = d.task().lease().holder();
      if (claudePid > 0 && underClaude(h, claudePid)) {
        out.add(HeldClaim.of(d, false));
      } else if (sessions.contains(h.session())
          && d.claimEnded() != null
          && !pastDeadline(d, now, progressDeadline)) {
        out.add(HeldClaim.of(d, true));
      }
    }
    return out;
  }

  /** The ids a session goes by: stdin's session_id, CLAUDE_CODE_SESSION_ID and TASKQ_HOLDER. */
  public static Set<String> sessionNames(HookInput input, Map<String, String> env) {
    java.util.LinkedHashSet<String> s = new java.util.LinkedHashSet<>();
    for (String v :
        new String[] {
          input.sessionId(), env.get("CLAUDE_CODE_SESSION_ID"), env.get("TASKQ_HOLDER")
        }) {
      if (v != null && !v.isBlank()) {
        s.add(v.strip());
      }
    }
    return s;
  }

  /** Whether {@code h} is a live process on this host that {@code claudePid} started. */
  static boolean underClaude(Holder h, long claudePid) {
    if (!ProcessIdentity.host().equals(h.host()) || !ProcessIdentity.isAlive(h)) {
      return false;
    }
    Optional<ProcessHandle> p = ProcessHandle.of(h.pid());
    return p.flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L) == claudePid;
  }

  private static boolean pastDeadline(TaskDetail d, Instant now, Duration progressDeadline) {
    Instant due = d.task().lease().progressDue(progressDeadline);
    return due != null && !now.isBefore(due);
  }
}

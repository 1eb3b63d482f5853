package dev.taskq.store;

import dev.taskq.core.Task;
import dev.taskq.core.TaskState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What a pending task waits for, and whether that wait can ever end: a task waiting (directly or
 * through other waiting tasks) for one that failed, was cancelled or does not exist is stuck until
 * a person acts. Workers must be told so instead of "wait and try again".
 */
public final class Blockers {
  private static final int MAX_DEPTH = 50;

  private Blockers() {}

  /** The tasks in {@code t.after()} that are not completed (missing ones included). */
  public static List<String> waitingFor(Task t, Function<String, Task> lookup) {
    if (t.state() != TaskState.PENDING || t.after().isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String d : t.after()) {
      Task dep = lookup.apply(d);
      if (dep == null || dep.state() != TaskState.COMPLETED) {
        out.add(d);
      }
    }
    return out;
  }

  /**
   * Why {@code t} can never be claimed as things stand, with what to do, e.g. "waits for audit,
   * which failed: requeue audit or cancel report"; null when its wait can still end.
   *
   * @param lookup a task by id (a summary is enough: state, outcome, after), or null when absent
   */
  public static String stuck(Task t, Function<String, Task> lookup) {
    if (t.state() != TaskState.PENDING) {
      return null;
    }
    return stuck(t, lookup, t.id(), new HashSet<>(), 0);
  }

  private static String stuck(
      Task t, Function<String, Task> lookup, String root, Set<String> seen, int depth) {
    if (depth > MAX_DEPTH || !seen.add(t.id())) {
      return null;
    }
    for (String d : t.after()) {
      Task dep = lookup.apply(d);
      if (dep == null) {
        return "waits for " + d + ", which does not exist: add it, or cancel " + root;
      }
      if (dep.state() == TaskState.FAILED) {
        return "waits for "
            + d
            + (dep.isCancelled() ? ", which was cancelled" : ", which failed")
            + ": requeue "
            + d
            + " or cancel "
            + root;
      }
      if (dep.state() == TaskState.PENDING) {
        String deeper = stuck(dep, lookup, root, seen, depth + 1);
        if (deeper != null) {
          return "waits for " + d + ", which " + deeper;
        }
      }
    }
    return null;
  }
}

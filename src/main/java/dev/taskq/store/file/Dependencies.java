package dev.taskq.store.file;

import dev.taskq.core.Task;
import dev.taskq.core.TaskqException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Checks the {@code after} lists of an enqueue batch: known ids only, and no cycles. */
final class Dependencies {
  private Dependencies() {}

  static void check(Map<String, Task> batch, QueueIndex index) {
    for (Task t : batch.values()) {
      for (String d : t.after()) {
        if (index.get(d) == null && !batch.containsKey(d)) {
          throw TaskqException.invalid(
              "after", "task " + t.id() + " waits for '" + d + "', which is not in the queue");
        }
      }
    }
    // Only new tasks can close a cycle: existing tasks never wait for tasks that did not exist.
    Set<String> done = new HashSet<>();
    for (String id : batch.keySet()) {
      visit(id, batch, new HashSet<>(), done);
    }
  }

  private static void visit(
      String id, Map<String, Task> batch, Set<String> path, Set<String> done) {
    if (done.contains(id) || !batch.containsKey(id)) {
      return;
    }
    if (!path.add(id)) {
      throw TaskqException.invalid(
          "after", "tasks wait for each other in a cycle through '" + id + "'");
    }
    for (String d : batch.get(id).after()) {
      visit(d, batch, path, done);
    }
    path.remove(id);
    done.add(id);
  }
}

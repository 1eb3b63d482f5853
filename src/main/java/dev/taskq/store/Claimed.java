package dev.taskq.store;

import dev.taskq.core.Task;
import java.util.List;

/**
 * What a claim took: the task as claimed (in full), the task as it was before, and the log lines
 * written with it.
 */
public record Claimed(Task task, Task before, List<String> lines) {
  public Claimed {
    lines = List.copyOf(lines);
  }
}

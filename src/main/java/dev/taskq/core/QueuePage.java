package dev.taskq.core;

import java.util.List;
import java.util.Map;

/**
 * A page of the queue for status views. Rows come in-progress first, then pending in claim order
 * (blocked ones after the claimable), then failed, then completed (newest first).
 *
 * @param counts tasks per state
 * @param blocked pending tasks that wait on unfinished tasks (counted in PENDING too)
 * @param unreadable what the store holds but cannot read as a task (never claimed)
 * @param total rows in all (the page is rows[offset, offset+limit))
 */
public record QueuePage(
    Map<TaskState, Integer> counts,
    int blocked,
    List<Unreadable> unreadable,
    List<TaskRow> rows,
    int offset,
    int total) {

  public int count(TaskState s) {
    return counts.getOrDefault(s, 0);
  }

  /** Rows not shown on this page after it. */
  public int remainingAfterPage() {
    return Math.max(0, total - offset - rows.size());
  }
}

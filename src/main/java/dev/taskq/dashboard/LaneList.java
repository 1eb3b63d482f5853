package dev.taskq.dashboard;

import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.TaskRow;
import dev.taskq.store.TaskStore;
import java.util.List;
import java.util.TreeSet;

/**
 * The lanes in the queue, for the lane filter. The store has no "lanes" query, so this reads every
 * row; it does so at most every {@link #MIN_INTERVAL_MS} and only after a change, which keeps a
 * busy queue of 100,000 tasks from being scanned on every update. A lane added meanwhile shows up a
 * few seconds late in the filter, never in the board.
 */
final class LaneList {
  static final long MIN_INTERVAL_MS = 5_000;
  private static final int PAGE = 10_000;

  private long readAtVersion = -1;
  private long readAtNanos;
  private List<String> lanes = List.of();

  synchronized List<String> get(TaskStore store, long version) {
    boolean stale = version != readAtVersion;
    boolean due = System.nanoTime() - readAtNanos >= MIN_INTERVAL_MS * 1_000_000;
    if (readAtVersion < 0 || (stale && due)) {
      lanes = scan(store);
      readAtVersion = version;
      readAtNanos = System.nanoTime();
    }
    return lanes;
  }

  private static List<String> scan(TaskStore store) {
    TreeSet<String> found = new TreeSet<>();
    int offset = 0;
    while (true) {
      QueuePage p = store.list(new QueueQuery(null, null, offset, PAGE));
      for (TaskRow r : p.rows()) {
        if (r.lane() != null) {
          found.add(r.lane());
        }
      }
      offset += p.rows().size();
      if (p.rows().isEmpty() || offset >= p.total()) {
        return List.copyOf(found);
      }
    }
  }
}

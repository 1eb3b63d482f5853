package dev.taskq.cli;

import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.Task;
import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskState;
import dev.taskq.core.TaskqException;
import dev.taskq.core.Unreadable;
import dev.taskq.project.QueueLocation;
import dev.taskq.store.TaskStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The queue at a glance, gathered once and then drawn as text or JSON.
 *
 * @param blocked pending tasks waiting on unfinished ones (counted in pending too)
 * @param failReasons why each listed failed task failed, by id
 * @param warnings conditions that weaken the queue's guarantees (a network filesystem)
 * @param lane the one lane shown (counts and rows of that lane only), or null for the whole queue
 * @param pool one line on the worker pool ({@code taskq workers}), or null when none ever ran
 * @param limits for in-progress tasks whose session hit a usage limit since their last progress,
 *     what the LIMIT line says (see {@link UsageLimits})
 */
record StatusView(
    QueueLocation queue,
    Instant at,
    Map<TaskState, Integer> counts,
    int blocked,
    Section inProgress,
    Section claimable,
    Section waiting,
    Section failed,
    Section completed,
    List<Unreadable> corrupt,
    Map<String, String> failReasons,
    List<String> warnings,
    String lane,
    String pool,
    Map<String, String> limits) {

  StatusView {
    limits = limits == null ? Map.of() : Map.copyOf(limits);
  }

  StatusView(
      QueueLocation queue,
      Instant at,
      Map<TaskState, Integer> counts,
      int blocked,
      Section inProgress,
      Section claimable,
      Section waiting,
      Section failed,
      Section completed,
      List<Unreadable> corrupt,
      Map<String, String> failReasons,
      List<String> warnings) {
    this(
        queue,
        at,
        counts,
        blocked,
        inProgress,
        claimable,
        waiting,
        failed,
        completed,
        corrupt,
        failReasons,
        warnings,
        null,
        null,
        Map.of());
  }

  /** The same view with the worker pool's line. */
  StatusView withPool(String line) {
    return new StatusView(
        queue,
        at,
        counts,
        blocked,
        inProgress,
        claimable,
        waiting,
        failed,
        completed,
        corrupt,
        failReasons,
        warnings,
        lane,
        line,
        limits);
  }

  /** Completed work matters least in a status view: only the newest few are listed. */
  static final int COMPLETED_SHOWN = 5;

  /** Some rows of one state, and how many more there are. */
  record Section(List<TaskRow> rows, int more) {}

  int count(TaskState s) {
    return counts.getOrDefault(s, 0);
  }

  boolean isEmpty() {
    return counts.values().stream().allMatch(n -> n == 0) && corrupt.isEmpty();
  }

  /** Reads the queue with one query per state so each section is bounded by {@code limit}. */
  static StatusView load(
      TaskStore store, QueueLocation queue, Instant now, int limit, String lane) {
    if (lane != null) {
      return loadLane(store, queue, now, limit, lane);
    }
    QueuePage ip = store.list(new QueueQuery(TaskState.IN_PROGRESS, null, 0, limit));
    Map<TaskState, Integer> counts = ip.counts();
    int pending = counts.getOrDefault(TaskState.PENDING, 0);
    int claimableCount = Math.max(0, pending - ip.blocked());

    // Pending rows come claimable first, then blocked, so each kind is one offset away.
    List<TaskRow> claimable =
        pending == 0
            ? List.of()
            : store.list(new QueueQuery(TaskState.PENDING, null, 0, limit)).rows().stream()
                .filter(r -> r.blockedBy().isEmpty())
                .toList();
    List<TaskRow> waiting =
        ip.blocked() == 0
            ? List.of()
            : store
                .list(new QueueQuery(TaskState.PENDING, null, claimableCount, limit))
                .rows()
                .stream()
                .filter(r -> !r.blockedBy().isEmpty())
                .toList();
    List<TaskRow> failed = rowsOf(store, TaskState.FAILED, counts, limit);
    List<TaskRow> completed =
        rowsOf(store, TaskState.COMPLETED, counts, Math.min(limit, COMPLETED_SHOWN));

    return new StatusView(
        queue,
        now,
        counts,
        ip.blocked(),
        new Section(ip.rows(), Math.max(0, ip.count(TaskState.IN_PROGRESS) - ip.rows().size())),
        new Section(claimable, Math.max(0, claimableCount - claimable.size())),
        new Section(waiting, Math.max(0, ip.blocked() - waiting.size())),
        new Section(failed, Math.max(0, counts.getOrDefault(TaskState.FAILED, 0) - failed.size())),
        new Section(
            completed, Math.max(0, counts.getOrDefault(TaskState.COMPLETED, 0) - completed.size())),
        ip.unreadable(),
        reasons(store, failed),
        store.warnings(),
        null,
        null,
        UsageLimits.of(store, ip.rows(), now));
  }

  /**
   * One lane's tasks. The store counts per state for the whole queue only, so the lane's counts
   * come from listing its rows: fine for a person's view, where a lane holds hundreds, not
   * millions.
   */
  private static StatusView loadLane(
      TaskStore store, QueueLocation queue, Instant now, int limit, String lane) {
    Map<TaskState, Integer> counts = new java.util.EnumMap<>(TaskState.class);
    Map<TaskState, List<TaskRow>> rows = new java.util.EnumMap<>(TaskState.class);
    List<TaskRow> claimable = new java.util.ArrayList<>();
    List<TaskRow> waiting = new java.util.ArrayList<>();
    int blocked = 0;
    QueuePage first = null;
    for (TaskState s : TaskState.values()) {
      int n = 0;
      List<TaskRow> shown = new java.util.ArrayList<>();
      for (int offset = 0; ; offset += 10_000) {
        QueuePage p = store.list(new QueueQuery(s, lane, offset, 10_000));
        first = first == null ? p : first;
        for (TaskRow r : p.rows()) {
          n++;
          if (s == TaskState.PENDING) {
            boolean isBlocked = !r.blockedBy().isEmpty();
            blocked += isBlocked ? 1 : 0;
            List<TaskRow> into = isBlocked ? waiting : claimable;
            if (into.size() < limit) {
              into.add(r);
            }
          } else if (shown.size()
              < (s == TaskState.COMPLETED ? Math.min(limit, COMPLETED_SHOWN) : limit)) {
            shown.add(r);
          }
        }
        if (p.rows().size() < 10_000) {
          break;
        }
      }
      counts.put(s, n);
      rows.put(s, shown);
    }
    List<TaskRow> ip = rows.get(TaskState.IN_PROGRESS);
    List<TaskRow> failed = rows.get(TaskState.FAILED);
    List<TaskRow> completed = rows.get(TaskState.COMPLETED);
    int pending = counts.get(TaskState.PENDING);
    return new StatusView(
        queue,
        now,
        counts,
        blocked,
        new Section(ip, counts.get(TaskState.IN_PROGRESS) - ip.size()),
        new Section(claimable, pending - blocked - claimable.size()),
        new Section(waiting, blocked - waiting.size()),
        new Section(failed, counts.get(TaskState.FAILED) - failed.size()),
        new Section(completed, counts.get(TaskState.COMPLETED) - completed.size()),
        first.unreadable(),
        reasons(store, failed),
        store.warnings(),
        lane,
        null,
        UsageLimits.of(store, ip, now));
  }

  private static List<TaskRow> rowsOf(
      TaskStore store, TaskState state, Map<TaskState, Integer> counts, int limit) {
    if (counts.getOrDefault(state, 0) == 0) {
      return List.of();
    }
    return store.list(new QueueQuery(state, null, 0, limit)).rows();
  }

  /** "failed by its holder: the importer needs a DB" — the store's reason and the holder's word. */
  private static String join(String reason, String result) {
    boolean r = reason != null && !reason.isBlank();
    boolean w = result != null && !result.isBlank();
    return r && w ? reason + ": " + result : r ? reason : w ? result : "";
  }

  private static String firstLine(String text) {
    return text == null ? null : text.strip().lines().findFirst().orElse(null);
  }

  private static Map<String, String> reasons(TaskStore store, List<TaskRow> failed) {
    Map<String, String> out = new HashMap<>();
    for (TaskRow r : failed) {
      try {
        Task t = store.get(r.id()).task();
        String why = join(t.reason(), firstLine(t.result()));
        if (!why.isEmpty()) {
          out.put(r.id(), why);
        }
      } catch (TaskqException e) {
        // requeued or moved since the listing: the row stays, without a reason
      }
    }
    return out;
  }
}

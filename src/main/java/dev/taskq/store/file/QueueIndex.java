package dev.taskq.store.file;

import dev.taskq.core.Task;
import dev.taskq.core.TaskState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An in-memory view of every task, kept sorted the ways claims and status views need, so neither
 * lists a directory nor parses files per call. Holds task summaries (no instructions or result).
 * Not thread-safe: the store uses it under the queue lock.
 */
final class QueueIndex {
  /** Claim order: higher priority first, then older first, then id. */
  static final Comparator<Task> CLAIM_ORDER =
      Comparator.comparingInt((Task t) -> -t.priority())
          .thenComparing(Task::created)
          .thenComparing(Task::id);

  private static final Comparator<Task> NEWEST_FINISHED_FIRST =
      Comparator.comparing((Task t) -> t.finished() == null ? t.created() : t.finished())
          .reversed()
          .thenComparing(Task::id);

  private final Map<String, Task> byId = new HashMap<>();
  private final NavigableSet<Task> ready = new TreeSet<>(CLAIM_ORDER);
  private final Map<String, NavigableSet<Task>> readyByLane = new HashMap<>();
  private final NavigableSet<Task> blocked = new TreeSet<>(CLAIM_ORDER);
  private final Map<String, Set<String>> waiters = new HashMap<>();
  private final TreeMap<String, Task> inProgress = new TreeMap<>();
  private final NavigableSet<Task> failed = new TreeSet<>(NEWEST_FINISHED_FIRST);
  private final NavigableSet<Task> completed = new TreeSet<>(NEWEST_FINISHED_FIRST);
  private final Map<String, String> dedupe = new HashMap<>();
  private final Map<String, CorruptFile> corrupt = new LinkedHashMap<>();
  private final Map<String, Stamp> stamps = new HashMap<>();

  static Task summary(Task t) {
    return t.brief();
  }

  Task get(String id) {
    return byId.get(id);
  }

  int size() {
    return byId.size();
  }

  Collection<Task> all() {
    return byId.values();
  }

  void put(Task full) {
    Task t = summary(full);
    Task old = byId.put(t.id(), t);
    if (old != null) {
      unlink(old);
    }
    link(t);
    boolean wasDone = old != null && old.state() == TaskState.COMPLETED;
    if (wasDone != (t.state() == TaskState.COMPLETED)) {
      recomputeWaitersOf(t.id());
    }
  }

  void remove(String id) {
    stamps.remove(id);
    Task old = byId.remove(id);
    if (old != null) {
      unlink(old);
      recomputeWaitersOf(id);
    }
  }

  void clear() {
    byId.clear();
    ready.clear();
    readyByLane.clear();
    blocked.clear();
    waiters.clear();
    inProgress.clear();
    failed.clear();
    completed.clear();
    dedupe.clear();
    corrupt.clear();
    stamps.clear();
  }

  String idForDedupeKey(String key) {
    return dedupe.get(key);
  }

  /** The first ready task in claim order (of {@code lane} when not null), or null. */
  Task nextReady(String lane) {
    return nextReady(lane, Set.of());
  }

  /** As {@link #nextReady(String)}, passing over the ids in {@code skip}. */
  Task nextReady(String lane, Set<String> skip) {
    NavigableSet<Task> set = lane == null ? ready : readyByLane.get(lane);
    if (set == null) {
      return null;
    }
    for (Task t : set) {
      if (!skip.contains(t.id())) {
        return t;
      }
    }
    return null;
  }

  Collection<Task> inProgress() {
    return inProgress.values();
  }

  int count(TaskState s) {
    return switch (s) {
      case PENDING -> ready.size() + blocked.size();
      case IN_PROGRESS -> inProgress.size();
      case COMPLETED -> completed.size();
      case FAILED -> failed.size();
    };
  }

  int readyCount() {
    return ready.size();
  }

  int blockedCount() {
    return blocked.size();
  }

  Iterable<Task> blocked() {
    return blocked;
  }

  /** Rows in view order: in progress, ready, blocked, failed, completed. */
  List<Iterable<Task>> viewOrder() {
    return List.of(inProgress.values(), ready, blocked, failed, completed);
  }

  // --- stamps: each task file as taskq last wrote or read it ---

  Stamp stamp(String id) {
    return stamps.get(id);
  }

  void stamp(String id, Stamp s) {
    if (s == null) {
      stamps.remove(id);
    } else {
      stamps.put(id, s);
    }
  }

  Map<String, Stamp> stamps() {
    return new HashMap<>(stamps);
  }

  // --- corrupt files ---

  void markCorrupt(CorruptFile f) {
    corrupt.put(f.path(), f);
  }

  boolean clearCorrupt(String path) {
    return corrupt.remove(path) != null;
  }

  boolean isCorrupt(String path) {
    return corrupt.containsKey(path);
  }

  /** The corrupt file that holds task {@code id} (in any state folder), or null. */
  CorruptFile corruptTask(String id) {
    for (TaskState s : TaskState.values()) {
      CorruptFile c = corrupt.get(s.folder() + "/" + id + ".md");
      if (c != null) {
        return c;
      }
    }
    return null;
  }

  List<CorruptFile> corrupt() {
    return new ArrayList<>(corrupt.values());
  }

  // --- internals ---

  private void link(Task t) {
    if (t.dedupeKey() != null) {
      dedupe.put(t.dedupeKey(), t.id());
    }
    switch (t.state()) {
      case PENDING -> linkPending(t);
      case IN_PROGRESS -> inProgress.put(t.id(), t);
      case COMPLETED -> completed.add(t);
      case FAILED -> failed.add(t);
    }
  }

  private void linkPending(Task t) {
    boolean waiting = false;
    for (String d : t.after()) {
      waiters.computeIfAbsent(d, k -> new HashSet<>()).add(t.id());
      Task dep = byId.get(d);
      waiting |= dep == null || dep.state() != TaskState.COMPLETED;
    }
    if (waiting) {
      blocked.add(t);
    } else {
      ready.add(t);
      readyByLane.computeIfAbsent(laneKey(t), k -> new TreeSet<>(CLAIM_ORDER)).add(t);
    }
  }

  private void unlink(Task t) {
    if (t.dedupeKey() != null && t.id().equals(dedupe.get(t.dedupeKey()))) {
      dedupe.remove(t.dedupeKey());
    }
    switch (t.state()) {
      case PENDING -> {
        for (String d : t.after()) {
          Set<String> w = waiters.get(d);
          if (w != null && w.remove(t.id()) && w.isEmpty()) {
            waiters.remove(d);
          }
        }
        if (!blocked.remove(t) && ready.remove(t)) {
          NavigableSet<Task> lane = readyByLane.get(laneKey(t));
          if (lane != null && lane.remove(t) && lane.isEmpty()) {
            readyByLane.remove(laneKey(t));
          }
        }
      }
      case IN_PROGRESS -> inProgress.remove(t.id());
      case COMPLETED -> completed.remove(t);
      case FAILED -> failed.remove(t);
    }
  }

  private void recomputeWaitersOf(String id) {
    Set<String> w = waiters.get(id);
    if (w == null) {
      return;
    }
    for (String waiter : List.copyOf(w)) {
      Task t = byId.get(waiter);
      if (t != null && t.state() == TaskState.PENDING) {
        unlink(t);
        link(t);
      }
    }
  }

  private static String laneKey(Task t) {
    return t.lane() == null ? "" : t.lane();
  }
}

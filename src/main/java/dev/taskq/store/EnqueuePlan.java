package dev.taskq.store;

import dev.taskq.core.EnqueueResult;
import dev.taskq.core.NewTask;
import dev.taskq.core.Task;
import dev.taskq.core.TaskId;
import dev.taskq.core.TaskqException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides an enqueue batch against the queue as it is: dedupe keys return their existing task (the
 * same key with other content is a CONFLICT), ids are free or generated, and {@code after} names
 * only existing tasks or tasks of the batch, without cycles. All or none: the first problem throws
 * and nothing is written.
 */
final class EnqueuePlan {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final List<NewTask> requests;
  private final Storage.Lookup queue;
  private final Instant now;

  /** Where each new task stood in the request, for error field paths. */
  private final Map<String, Integer> position = new HashMap<>();

  EnqueuePlan(List<NewTask> requests, Storage.Lookup queue, Instant now) {
    this.requests = requests;
    this.queue = queue;
    this.now = now;
  }

  Storage.Batch<List<EnqueueResult>> batch() {
    List<EnqueueResult> results = new ArrayList<>();
    Map<String, Task> fresh = new LinkedHashMap<>();
    Map<String, Task> byKey = new HashMap<>();
    for (NewTask n : requests) {
      Task existing = n.dedupeKey() == null ? null : byDedupeKey(n.dedupeKey(), byKey);
      if (existing != null) {
        if (!n.sameContentAs(existing)) {
          throw TaskqException.conflict(
              existing.id(),
              "dedupe_key '"
                  + n.dedupeKey()
                  + "' already names task "
                  + existing.id()
                  + " with different content; use another key or the same content");
        }
        results.add(new EnqueueResult(existing, false));
        continue;
      }
      String id = n.id() != null ? n.id() : freshId(fresh.keySet());
      if (fresh.containsKey(id) || queue.exists(id)) {
        throw TaskqException.conflict(
            id, "a task with id '" + id + "' already exists; choose another id or omit it");
      }
      Task t = Task.fresh(n, id, now);
      fresh.put(id, t);
      position.put(id, results.size());
      if (t.dedupeKey() != null) {
        byKey.put(t.dedupeKey(), t);
      }
      results.add(new EnqueueResult(t, true));
    }
    checkDependencies(fresh);
    List<String> lines = new ArrayList<>();
    for (Task t : fresh.values()) {
      lines.add(Events.enqueued(t, now));
    }
    return new Storage.Batch<>(new ArrayList<>(fresh.values()), lines, results);
  }

  private Task byDedupeKey(String key, Map<String, Task> batch) {
    Task inBatch = batch.get(key);
    return inBatch != null ? inBatch : queue.byDedupeKey(key);
  }

  private String freshId(Set<String> taken) {
    while (true) {
      String id = TaskId.generate(now, RANDOM);
      if (!taken.contains(id) && !queue.exists(id)) {
        return id;
      }
    }
  }

  /**
   * Each {@code after} id must name a task of the queue or of this batch, and the batch must not
   * close a cycle. Errors name the field as the caller sent it ({@code tasks[1].after[0]}), never
   * an id generated for this call (it was never created).
   */
  private void checkDependencies(Map<String, Task> batch) {
    for (int i = 0; i < requests.size(); i++) {
      List<String> after = requests.get(i).after();
      for (int j = 0; j < after.size(); j++) {
        String d = after.get(j);
        if (!batch.containsKey(d) && !queue.exists(d)) {
          throw TaskqException.invalid(
              "tasks[" + i + "].after[" + j + "]",
              "'"
                  + d
                  + "' is not in the queue; enqueue it first (earlier, or in this same call),"
                  + " or leave it out of after");
        }
      }
    }
    // Only new tasks can close a cycle: existing tasks never wait for tasks that did not exist.
    Set<String> done = new HashSet<>();
    for (String id : batch.keySet()) {
      visit(id, batch, new LinkedHashSet<>(), done);
    }
  }

  private void visit(String id, Map<String, Task> batch, Set<String> path, Set<String> done) {
    if (done.contains(id) || !batch.containsKey(id)) {
      return;
    }
    if (!path.add(id)) {
      throw TaskqException.invalid(
          "tasks[" + position.get(id) + "].after",
          "tasks of this call wait for each other in a cycle ("
              + String.join(" → ", path)
              + " → "
              + id
              + "); remove one of these after entries");
    }
    for (String d : batch.get(id).after()) {
      visit(d, batch, path, done);
    }
    path.remove(id);
    done.add(id);
  }
}

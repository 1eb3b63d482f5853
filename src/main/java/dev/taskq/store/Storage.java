package dev.taskq.store;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.Holder;
import dev.taskq.core.IdleReason;
import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The persistence port: what a store must do atomically, and nothing of the queue's rules. {@link
 * Queue} implements {@link TaskStore} over it and owns the rules (validation, dedupe, tokens,
 * fencing, the text of log lines, resume packets). Implemented by the file store ({@code
 * dev.taskq.store.file.FileStorage}); a PostgreSQL store implements the same methods with SQL.
 *
 * <p><b>Clock.</b> Every write decides its instant from the storage's own clock and hands it to the
 * rule it runs ({@code now} below): the file store's configured clock; PostgreSQL's {@code now()},
 * never the client's. Leases are measured against that clock only.
 *
 * <p><b>Atomicity.</b> Each write method is one atomic change of the queue together with its log
 * lines: either all of it happens or none, and no other writer sees a part. Methods throw {@link
 * dev.taskq.core.TaskqException}; STORE_ERROR when the medium failed (the change may or may not
 * have happened, see {@link TaskStore}); anything a rule throws is passed on, with nothing changed.
 *
 * <p><b>Reads never write.</b> {@link #read}, {@link #page}, {@link #idle}, {@link #states}, {@link
 * #heldBy}, {@link #checkpoint} and the log reads change no task: in particular they never end a
 * claim whose lease ran out; they show it ({@code TaskRow.claimEnded}). Only {@link #claim} ends
 * such claims.
 *
 * <p><b>Ended claims.</b> A claim has ended when its lease passed at the storage's clock, or when
 * the storage knows its holder is gone (file store: same host, the process with that pid and start
 * time is gone; PostgreSQL: the holder's session-level advisory lock is free). {@link ClaimEnd#why}
 * is the rule; the storage supplies "is the holder alive".
 */
public interface Storage extends AutoCloseable {

  // ------------------------------------------------------------------ writes

  /**
   * Adds tasks: runs {@code step} on the queue as it is and writes the tasks and lines it returns,
   * all or none. The queue must not change between the step's lookups and the write (file store:
   * under the queue lock; PostgreSQL: one transaction holding {@code pg_advisory_xact_lock(<queue
   * key>)}, with unique indexes on id and dedupe key as a backstop, a violation being CONFLICT).
   */
  <R> R enqueue(EnqueueStep<R> step);

  /** What an enqueue adds, decided from the queue as it is. */
  interface EnqueueStep<R> {
    Batch<R> plan(Lookup queue, Instant now);
  }

  /** Lookups an enqueue needs, inside its atomic section. */
  interface Lookup {
    /** The task (full) whose dedupe key is {@code key}, or null. */
    Task byDedupeKey(String key);

    /**
     * True when {@code id} is taken: by a task in any state, or (file store) by a file that cannot
     * be read as one.
     */
    boolean exists(String id);
  }

  /** New tasks (all pending, rev 1), the log lines to append with them, and the answer. */
  record Batch<R>(List<Task> tasks, List<String> lines, R answer) {}

  /**
   * Claims the best claimable task for {@code spec}, or returns null when there is none.
   *
   * <p>Claimable: a pending task whose {@code after} tasks are all completed, or an in-progress
   * task whose claim has ended and that has attempts left ({@code attempt < max_attempts}); of
   * {@code spec.lane()} when not null. Best: higher priority, then older {@code created}, then id.
   * The claimed task is {@code before.claimed(spec.holder(), spec.token(), now, spec.lease())}:
   * attempt + 1, the new token, lease until now + lease; its lines are {@link Events#claimed}.
   *
   * <p>The same call first fails every in-progress task whose claim has ended on its last attempt
   * ({@code before.expired(now, why)}, lines {@link Events#exhausted}), each as one compare-and-set
   * on the old token, so a holder that renewed meanwhile keeps its task.
   *
   * <p>PostgreSQL: one statement picks and takes the task, e.g. {@code WITH c AS (SELECT id FROM
   * tasks WHERE queue=$q AND (lane=$lane OR $lane IS NULL) AND (state='pending' AND NOT EXISTS
   * (unfinished dependency) OR state='in_progress' AND attempt<max_attempts AND (lease_until <=
   * now() OR holder gone)) ORDER BY priority DESC, created, id FOR UPDATE SKIP LOCKED LIMIT 1)
   * UPDATE tasks t SET state='in_progress', attempt=attempt+1, token=$token, holder=...,
   * lease_until = now() + $lease, rev=rev+1 FROM c WHERE t.id=c.id RETURNING (old and new row)},
   * then inserts the lines in the same transaction. Failing exhausted claims is {@code UPDATE ...
   * WHERE id=$1 AND token=$2 AND state='in_progress'}, never read-then-write.
   */
  Claimed claim(ClaimSpec spec);

  /**
   * Changes one task: runs {@code step} on its current version and, in the same atomic section,
   * writes what the step returns. NOT_FOUND when there is no task {@code id} (the step does not
   * run). A step refuses by throwing (e.g. FENCED), and then nothing is written.
   *
   * <p>The step may run more than once: a storage may run it on an unlocked read first (the file
   * store prepares and fsyncs files before it takes the queue lock) and again on a fresher version.
   * It must therefore be a pure function of its arguments.
   *
   * <p>The write is a compare-and-set on the version the step saw ({@code rev}, which every change
   * bumps, so a changed token also fails it): PostgreSQL {@code SELECT ... FOR UPDATE}, run the
   * step, {@code UPDATE tasks SET ... WHERE id=$1 AND rev=$seen} (a holder write may add {@code AND
   * token=$token}); zero rows means another writer won, so run the step again on the new version,
   * whose rule then answers FENCED with what happened.
   */
  <R> R update(String id, Step<R> step);

  /** A rule applied to one task. */
  interface Step<R> {
    Change<R> apply(Task current, Instant now);
  }

  /**
   * What a step decided.
   *
   * @param next the task's next version (rev = current rev + 1), or null to leave the task as is
   * @param lines log lines to append with the change
   * @param checkpoint a checkpoint to save with it (its number is the next task's checkpoints), or
   *     null
   * @param answer what the caller gets
   */
  record Change<R>(Task next, List<String> lines, Checkpoint checkpoint, R answer) {
    public Change {
      lines = List.copyOf(lines);
    }

    /** Nothing to write. */
    public static <R> Change<R> none(R answer) {
      return new Change<>(null, List.of(), null, answer);
    }
  }

  /**
   * Appends the line {@code line} makes of the storage's instant. When {@code id} is not null,
   * NOT_FOUND unless such a task exists (in any state).
   *
   * @return the line as written
   */
  String note(String id, java.util.function.Function<Instant, String> line);

  // ------------------------------------------------------------------ reads (never write)

  /** The task in full, or null when there is none. */
  Task read(String id);

  /**
   * Why {@code t}'s claim has ended at the storage's clock ({@link ClaimEnd#why}), or null while it
   * is live or {@code t} is not in progress.
   */
  String claimEnded(Task t);

  /**
   * Where a person or an agent can read {@code t} in full outside taskq (the file store: its file's
   * absolute path), or null when only taskq can show it (then {@code taskq show ID}).
   */
  default String location(Task t) {
    return null;
  }

  /** Checkpoint {@code n} of task {@code id}, or null when it is missing or unreadable. */
  Checkpoint checkpoint(String id, int n);

  /**
   * Those of {@code ids} that exist, in brief ({@link Task#brief}: without criterion, instructions
   * and result), by id.
   */
  Map<String, Task> briefs(Collection<String> ids);

  /** A page of the queue with counts per state; in-progress rows say when their claim ended. */
  QueuePage page(QueueQuery query);

  /** Why nothing is claimable for {@code lane} (null: any lane), in numbers. */
  IdleReason idle(String lane);

  /** Ids of the in-progress tasks claimed by {@code holder}'s process. */
  List<String> heldBy(Holder holder);

  /** The last {@code n} log lines, oldest first. */
  List<String> tail(int n);

  /** The last {@code n} log lines about task {@code id}, oldest first (a bounded look back). */
  List<String> recent(String id, int n);

  /** See {@link TaskStore#changeMark()}. */
  long changeMark();

  /** See {@link TaskStore#awaitChange}. */
  long awaitChange(long mark, Duration timeout);

  /** See {@link TaskStore#warnings()}. */
  List<String> warnings();

  /** See {@link TaskStore#describe()}. */
  String describe();

  @Override
  void close();
}

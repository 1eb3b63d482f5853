package dev.taskq.store;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.CheckpointRequest;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.EnqueueResult;
import dev.taskq.core.Holder;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.Task;
import dev.taskq.core.TaskDetail;
import java.time.Duration;
import java.util.List;

/**
 * The queue every taskq process shares. Each store (files today, PostgreSQL later) keeps these
 * guarantees, proven by the one contract suite {@code TaskStoreContract}:
 *
 * <ol>
 *   <li><b>At most one live claim per task.</b> A claim ends when its lease passes without renewal,
 *       when its holder process is gone (same host; pid and process start time both checked, since
 *       pids are reused), or when its holder completes or releases it. An ended claim's task is
 *       claimable again with attempt + 1 and a resume packet; after max attempts it moves to
 *       failed.
 *   <li><b>Fencing.</b> Every holder operation carries the claim token. A token that no longer
 *       holds the task (the task was re-claimed, completed, released or requeued) gets {@code
 *       FENCED} and changes nothing. A token whose lease ran out but whose task nobody has
 *       re-claimed yet is still honoured: the work is not lost, and at most one claim is live
 *       either way.
 *   <li><b>No lost update, no double claim</b> with any number of processes and threads: every
 *       read-modify-write runs under one queue-wide lock.
 *   <li><b>Crash safety.</b> A process killed at any instant leaves every task in exactly one state
 *       as a whole record; log lines are never torn.
 *   <li><b>Nothing silently dropped.</b> A corrupt task is skipped by claims, reported by {@link
 *       #list} with its reason, and logged.
 *   <li><b>Thread-safe.</b> All methods may be called concurrently.
 * </ol>
 *
 * <p>Every method throws {@link dev.taskq.core.TaskqException} with an {@link
 * dev.taskq.core.ErrorCode}. A method that throws INVALID_ARGUMENT, NOT_FOUND, FENCED or CONFLICT
 * has changed nothing. STORE_ERROR means the disk failed mid-operation: the queue stays consistent
 * (every task whole, in one state) and the next call settles the operation from the files, so it
 * may or may not have taken effect: look before retrying (a dedupe key makes enqueue retries safe).
 */
public interface TaskStore extends AutoCloseable {

  /**
   * Adds tasks, all or none. A task whose dedupe key is already used returns the existing task
   * ({@code created=false}); the same key with different content is a CONFLICT. Ids in {@code
   * after} must name existing tasks or tasks of the same batch; cycles are refused.
   */
  List<EnqueueResult> enqueue(List<NewTask> tasks);

  /** Convenience for one task. */
  default EnqueueResult enqueue(NewTask task) {
    return enqueue(List.of(task)).get(0);
  }

  /**
   * Claims the best claimable task: higher priority first, then older, then id; only tasks whose
   * {@code after} tasks are all completed; only {@code lane} when given. A task whose claim has
   * ended (lease ran out, holder gone) is claimable in the same order with attempt + 1; a claim
   * that ended on the task's last attempt fails the task. Only claims end claims: no read does.
   */
  ClaimResult claimNext(Holder holder, String lane);

  /** Saves checkpoint n+1 for the task and renews the lease. */
  Checkpoint writeCheckpoint(CheckpointRequest request);

  /** Ends the claim: done → completed (and a DONE line), failed → failed, released → pending. */
  Task complete(String id, String token, Outcome outcome, String result);

  /**
   * Appends one timestamped line to the log. With {@code id} and a valid {@code token} it also
   * renews the lease; with {@code id} and no token it is a note about the task.
   *
   * @return the line as written
   */
  String appendLog(String message, String id, String token);

  /**
   * A page of the queue with counts per state, for status views. Never changes the queue: an
   * in-progress task whose claim has ended stays in progress, with {@code TaskRow.claimEnded} set.
   */
  QueuePage list(QueueQuery query);

  /** One task in full. NOT_FOUND when no such task. */
  TaskDetail get(String id);

  /** The last {@code n} lines of the log, oldest first. */
  List<String> tailLog(int n);

  /**
   * A sign of life from {@code holder}'s process (its session is working): renews each of its live
   * claims for another lease, but never past the claim's progress deadline (its latest checkpoint,
   * or the claim, plus {@code TASKQ_PROGRESS_DEADLINE_SECONDS}). Writes no log line. A claim whose
   * lease ran out while its session was quiet, and that nobody claimed since, comes back, as a
   * renewal with its token would bring it back (see fencing).
   *
   * @return the claims renewed
   */
  List<Task> heartbeat(Holder holder);

  /**
   * A resumed session takes back the claims of {@code session} whose holder process is gone or
   * whose lease ran out, as long as nobody has claimed them since and their progress deadline has
   * not passed: same token, same attempt, a fresh lease, held by {@code by} (the server of the
   * process that resumed the session), a RESUMED log line. {@code by} may carry another session id
   * than {@code session}: a server keeps the id it started with, and a session can be resumed in a
   * running Claude Code.
   *
   * @return the claims taken back
   */
  List<Task> resumeSession(String session, Holder by);

  /**
   * Logs that the session holding {@code id} hit a usage limit ({@code LIMIT: <id> <holder> hit a
   * usage limit while holding <id> (<detail>)}), so status views can say why the claim went quiet.
   * CONFLICT when {@code id} is not claimed.
   *
   * @return the line as written
   */
  String noteUsageLimit(String id, String detail);

  /** Releases every claim held by this process (on shutdown); attempts are not used up. */
  int releaseAllHeldBy(Holder holder);

  /** A person's override: a failed or in-progress task goes back to pending with fresh attempts. */
  Task requeue(String id);

  /** A person's override: ends the current claim at once; the old holder is fenced. */
  Task forceRelease(String id);

  /**
   * A person cancels a pending or in-progress task: it moves to failed with outcome CANCELLED and
   * the reason, no claim takes it again (requeue can bring it back), and a holder's next call is
   * FENCED ("the task was cancelled (...)"). The log line says who and why. CONFLICT for a
   * completed or failed task.
   *
   * @param by who cancels, for the log (e.g. the user name)
   * @param reason why, or null
   */
  Task cancel(String id, String by, String reason);

  /**
   * A person changes a task's priority (its place in the claim order, {@code -1000..1000}); a log
   * line says from what to what and who. Unchanged when equal. CONFLICT for a completed task.
   */
  Task setPriority(String id, int priority, String by);

  /**
   * A number that differs from an earlier one whenever the queue changed in between, by this
   * process or any other (a task added, claimed, checkpointed, finished, released; a log line; a
   * task file a person dropped in or deleted). Compare marks for equality only: they are not
   * ordered. Cheap enough to call often (the file store stats five files; no lock). Reads never
   * change it. A change may occasionally move the mark twice, and a store may report a change that
   * turns out to change nothing visible; it never misses one.
   */
  long changeMark();

  /**
   * Waits until the mark differs from {@code mark}, or {@code timeout} passed, and returns the mark
   * then (equal to {@code mark} when nothing changed). Bounded: never waits longer than {@code
   * timeout} plus a poll interval (the file store polls every 100 ms and wakes at once for changes
   * made through this instance; PostgreSQL will use LISTEN/NOTIFY). An interrupt ends the wait
   * early with the interrupt flag kept.
   */
  long awaitChange(long mark, Duration timeout);

  /**
   * Conditions that weaken the guarantees above, for people and agents to see (e.g. the queue is on
   * a network filesystem). Empty when all is well.
   */
  default List<String> warnings() {
    return List.of();
  }

  /**
   * Where the queue is kept, for people: e.g. "filesystem ext4" for the file store. One line, no
   * secrets (a database URL is shown without its password).
   */
  String describe();

  @Override
  void close();
}

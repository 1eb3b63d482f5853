package dev.taskq.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A task as stored: what to do, how to judge it, and where it is in its life. Transitions return
 * new values; nothing here touches a file.
 *
 * @param attempt how many claims this task has had (0 while never claimed)
 * @param checkpoints number of the latest checkpoint (0 when none)
 * @param rev bumped on every write; when a crash leaves a task in two folders the higher rev wins
 * @param reason why the task failed (its holder's word, or "max attempts reached"), else null
 */
public record Task(
    String id,
    String title,
    String criterion,
    String instructions,
    String lane,
    int priority,
    List<String> after,
    int attempt,
    int maxAttempts,
    Instant created,
    String dedupeKey,
    TaskState state,
    Lease lease,
    int checkpoints,
    Progress progress,
    Outcome outcome,
    Instant finished,
    String result,
    String reason,
    long rev) {

  public Task {
    after = after == null ? List.of() : List.copyOf(after);
    // Line ends and trailing blank lines are not content; normalizing them keeps a task equal to
    // itself after a trip through its file (which is read with LF line ends).
    instructions = instructions == null ? "" : instructions.replace("\r\n", "\n").stripTrailing();
  }

  /** A new pending task. */
  public static Task fresh(NewTask n, String id, Instant now) {
    return new Task(
        id,
        n.title(),
        n.criterion(),
        n.instructions(),
        n.lane(),
        n.priority(),
        n.after(),
        0,
        n.maxAttempts(),
        now,
        n.dedupeKey(),
        TaskState.PENDING,
        null,
        0,
        null,
        null,
        null,
        null,
        null,
        1);
  }

  public boolean canBeClaimed() {
    return state == TaskState.PENDING;
  }

  public Task claimed(Holder holder, String token, Instant now, Duration leaseFor) {
    return with(TaskState.IN_PROGRESS, attempt + 1, new Lease(holder, token, now.plus(leaseFor)))
        .withOutcome(null, null, null, null);
  }

  public Task renewed(Instant now, Duration leaseFor) {
    return with(state, attempt, lease.renewedUntil(now.plus(leaseFor)));
  }

  public Task checkpointed(int n, Progress p, Instant now, Duration leaseFor) {
    Task t = renewed(now, leaseFor);
    return new Task(
        id,
        title,
        criterion,
        instructions,
        lane,
        priority,
        after,
        attempt,
        maxAttempts,
        created,
        dedupeKey,
        state,
        t.lease,
        n,
        p == null ? progress : p,
        outcome,
        finished,
        result,
        reason,
        t.rev);
  }

  /** The holder ends its claim with {@code outcome}. */
  public Task finishedAs(Outcome how, String resultText, Instant now) {
    return switch (how) {
      case DONE -> with(TaskState.COMPLETED, attempt, null).withOutcome(how, now, resultText, null);
      case FAILED ->
          with(TaskState.FAILED, attempt, null)
              .withOutcome(how, now, resultText, "failed by its holder");
      case RELEASED ->
          with(TaskState.PENDING, Math.max(0, attempt - 1), null)
              .withOutcome(null, null, resultText == null ? result : resultText, null);
    };
  }

  /** The lease ran out or its holder died: back to pending, or failed when attempts are used up. */
  public Task expired(Instant now, String why) {
    if (attempt >= maxAttempts) {
      return with(TaskState.FAILED, attempt, null)
          .withOutcome(
              Outcome.FAILED,
              now,
              result,
              "max attempts reached (" + maxAttempts + "); last: " + why);
    }
    return with(TaskState.PENDING, attempt, null);
  }

  /** A person puts a failed or stuck task back in the queue with its attempts reset. */
  public Task requeued() {
    return with(TaskState.PENDING, 0, null).withOutcome(null, null, result, null);
  }

  /** The same task with its rev bumped (for rewrites that change nothing else). */
  public Task touched() {
    return with(state, attempt, lease);
  }

  private Task with(TaskState s, int att, Lease l) {
    return new Task(
        id,
        title,
        criterion,
        instructions,
        lane,
        priority,
        after,
        att,
        maxAttempts,
        created,
        dedupeKey,
        s,
        l,
        checkpoints,
        progress,
        outcome,
        finished,
        result,
        reason,
        rev + 1);
  }

  private Task withOutcome(Outcome o, Instant fin, String res, String why) {
    return new Task(
        id,
        title,
        criterion,
        instructions,
        lane,
        priority,
        after,
        attempt,
        maxAttempts,
        created,
        dedupeKey,
        state,
        lease,
        checkpoints,
        progress,
        o,
        fin,
        res,
        why,
        rev);
  }

  /** Time left on the lease at {@code now}, or null when not claimed. */
  public Duration leaseLeft(Instant now) {
    if (lease == null) {
      return null;
    }
    Duration d = Duration.between(now, lease.until());
    return d.isNegative() ? Duration.ZERO : d;
  }
}

package dev.taskq.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A task as stored: its {@link Definition} (what to do), where it is in its life (state, attempt,
 * the live claim's {@link Lease}, checkpoints and progress), how it ended, and its last result.
 * Transitions return new values; nothing here touches a file.
 *
 * @param attempt how many claims this task has had (0 while never claimed)
 * @param lease the current claim while in progress; on a task that failed because its last claim
 *     ran out, that claim (so its holder's late {@code done} can still be kept); else null. Use
 *     {@link #isClaimed} for "is someone holding it now".
 * @param checkpoints number of the latest checkpoint (0 when none)
 * @param ending how it ended (completed, or failed and why), or null
 * @param result the last result a holder gave (kept when the task goes back to pending), or null
 * @param rev bumped on every write; when a crash leaves a task in two folders the higher rev wins
 */
public record Task(
    Definition definition,
    TaskState state,
    int attempt,
    Lease lease,
    int checkpoints,
    Progress progress,
    Ending ending,
    String result,
    long rev) {

  /** A new pending task. */
  public static Task fresh(NewTask n, String id, Instant now) {
    return new Task(Definition.of(n, id, now), TaskState.PENDING, 0, null, 0, null, null, null, 1);
  }

  // ------------------------------------------------------------ the definition, for short

  public String id() {
    return definition.id();
  }

  public String title() {
    return definition.title();
  }

  public String criterion() {
    return definition.criterion();
  }

  public String instructions() {
    return definition.instructions();
  }

  public String lane() {
    return definition.lane();
  }

  public int priority() {
    return definition.priority();
  }

  public List<String> after() {
    return definition.after();
  }

  public int maxAttempts() {
    return definition.maxAttempts();
  }

  public Instant created() {
    return definition.created();
  }

  public String dedupeKey() {
    return definition.dedupeKey();
  }

  /** DONE or FAILED once finished, else null. */
  public Outcome outcome() {
    return ending == null ? null : ending.outcome();
  }

  /** When it finished, else null. */
  public Instant finished() {
    return ending == null ? null : ending.at();
  }

  /** Why it failed, else null. */
  public String reason() {
    return ending == null ? null : ending.reason();
  }

  // ------------------------------------------------------------ transitions

  public boolean canBeClaimed() {
    return state == TaskState.PENDING;
  }

  /** A claim takes the task (from pending, or from a claim that ended): the next attempt. */
  public Task claimed(Holder holder, String token, Instant now, Duration leaseFor) {
    return new Task(
        definition,
        TaskState.IN_PROGRESS,
        attempt + 1,
        Lease.taken(holder, token, now, leaseFor),
        checkpoints,
        progress,
        null,
        null,
        rev + 1);
  }

  public Task renewed(Instant now, Duration leaseFor) {
    return withLease(lease.renewedUntil(now.plus(leaseFor)));
  }

  /**
   * A sign of life from the holder (a heartbeat, a log line) at {@code now}: the lease runs from
   * now again, never past the progress deadline ({@link Lease#kept}).
   */
  public Task kept(Instant now, Duration leaseFor, Duration progressDeadline) {
    return withLease(lease.kept(now, leaseFor, progressDeadline));
  }

  /**
   * The claim passes to {@code by} (a resumed session's new process) with its token, attempt and
   * progress deadline unchanged, and a lease from now.
   */
  public Task adoptedBy(Holder by, Instant now, Duration leaseFor, Duration progressDeadline) {
    return withLease(lease.heldBy(by).renewedUntil(now).kept(now, leaseFor, progressDeadline));
  }

  public Task checkpointed(int n, Progress p, Instant now, Duration leaseFor) {
    return new Task(
        definition,
        state,
        attempt,
        lease.progressed(now, leaseFor),
        n,
        p == null ? progress : p,
        ending,
        result,
        rev + 1);
  }

  /** The holder ends its claim with {@code outcome}. */
  public Task finishedAs(Outcome how, String resultText, Instant now) {
    return switch (how) {
      case DONE -> ended(TaskState.COMPLETED, new Ending(how, now, null), resultText);
      case FAILED ->
          ended(TaskState.FAILED, new Ending(how, now, "failed by its holder"), resultText);
      case CANCELLED ->
          throw new IllegalArgumentException("a holder cannot cancel; see cancelled()");
      case RELEASED ->
          new Task(
              definition,
              TaskState.PENDING,
              Math.max(0, attempt - 1),
              null,
              checkpoints,
              progress,
              null,
              resultText == null ? result : resultText,
              rev + 1);
    };
  }

  /** The lease ran out or its holder died: back to pending, or failed when attempts are used up. */
  public Task expired(Instant now, String why) {
    if (attempt >= definition.maxAttempts()) {
      // The lease stays: it names the last claim, whose holder may still finish (lateDone).
      return new Task(
          definition,
          TaskState.FAILED,
          attempt,
          lease,
          checkpoints,
          progress,
          new Ending(
              Outcome.FAILED,
              now,
              "max attempts reached (" + definition.maxAttempts() + "); last: " + why),
          result,
          rev + 1);
    }
    return new Task(
        definition,
        TaskState.PENDING,
        attempt,
        null,
        checkpoints,
        progress,
        ending,
        result,
        rev + 1);
  }

  /**
   * A person cancels the task: it ends as failed with outcome CANCELLED and {@code why}, keeps its
   * last result, and no claim takes it again (a person's requeue can).
   */
  public Task cancelled(Instant now, String why) {
    return ended(TaskState.FAILED, new Ending(Outcome.CANCELLED, now, why), result);
  }

  /** A person changes the task's priority (its place in the claim order). */
  public Task withPriority(int p) {
    return new Task(
        definition.withPriority(p),
        state,
        attempt,
        lease,
        checkpoints,
        progress,
        ending,
        result,
        rev + 1);
  }

  /** True while someone holds the task: in progress, with a claim. */
  public boolean isClaimed() {
    return state == TaskState.IN_PROGRESS && lease != null;
  }

  /**
   * True when {@code token} is the last claim of a task that failed only because that claim ran out
   * on its last attempt, and nobody claimed it since: its holder's result can still be kept.
   */
  public boolean failedWithLastClaim(String token) {
    return state == TaskState.FAILED
        && ending != null
        && ending.outcome() == Outcome.FAILED
        && lease != null
        && lease.token().equals(token);
  }

  /** The last holder's late result: the failed task completes after all. */
  public Task lateDone(String resultText, Instant now) {
    return ended(TaskState.COMPLETED, new Ending(Outcome.DONE, now, null), resultText);
  }

  /** True when a person cancelled the task. */
  public boolean isCancelled() {
    return ending != null && ending.outcome() == Outcome.CANCELLED;
  }

  /** A person puts a failed or stuck task back in the queue with its attempts reset. */
  public Task requeued() {
    return new Task(
        definition, TaskState.PENDING, 0, null, checkpoints, progress, null, result, rev + 1);
  }

  /** The same task with its rev bumped (for rewrites that change nothing else). */
  public Task touched() {
    return withLease(lease);
  }

  /** The same task without its long texts (criterion, instructions, result), for indexes. */
  public Task brief() {
    return new Task(
        definition.brief(), state, attempt, lease, checkpoints, progress, ending, null, rev);
  }

  /** Time left on the lease at {@code now}, or null when not claimed. */
  public Duration leaseLeft(Instant now) {
    if (lease == null) {
      return null;
    }
    Duration d = Duration.between(now, lease.until());
    return d.isNegative() ? Duration.ZERO : d;
  }

  private Task withLease(Lease l) {
    return new Task(definition, state, attempt, l, checkpoints, progress, ending, result, rev + 1);
  }

  private Task ended(TaskState s, Ending e, String resultText) {
    return new Task(definition, s, attempt, null, checkpoints, progress, e, resultText, rev + 1);
  }
}

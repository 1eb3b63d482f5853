package dev.taskq.hooks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Stop hook's one decision: when the model ends its turn holding a claim whose latest progress
 * (its checkpoint, or the claim) is older than a few minutes, keep the turn going once and ask for
 * a checkpoint, or to complete or release the task. Never twice for the same unsaved state (so
 * never twice in a row, whatever {@code stop_hook_active} says), never with nothing to save.
 */
final class StopNudge {
  /** How stale progress must be before the hook asks, unless TASKQ_CHECKPOINT_MINUTES says. */
  static final Duration DEFAULT_AFTER = Duration.ofMinutes(10);

  /**
   * What to ask, or null to let the turn end.
   *
   * @param held the live claims this session holds
   * @param asked states already asked about ({@link HeldClaim#savedState}), from the session's
   *     {@code stop} file
   * @param after how stale progress must be
   */
  static Decision decide(List<HeldClaim> held, Set<String> asked, Instant now, Duration after) {
    List<HeldClaim> stale = new ArrayList<>();
    for (HeldClaim c : held) {
      Instant last = c.progressAt();
      if (c.interrupted() || asked.contains(c.savedState())) {
        continue;
      }
      if (last == null || !Duration.between(last, now).minus(after).isNegative()) {
        stale.add(c);
      }
    }
    if (stale.isEmpty()) {
      return null;
    }
    return new Decision(reason(stale, now), stale.stream().map(HeldClaim::savedState).toList());
  }

  /** The reason shown to the model, and the states it covers (to remember). */
  record Decision(String reason, List<String> states) {}

  private static String staleness(HeldClaim t, Instant now) {
    Instant last = t.progressAt();
    long min = last == null ? -1 : Math.max(0, Duration.between(last, now).toMinutes());
    String ago = min < 1 ? "" : " " + min + " min ago";
    return t.checkpoints() == 0
        ? "and no checkpoint since you claimed it" + ago
        : "and its latest checkpoint (#"
            + t.checkpoints()
            + ") was written"
            + (ago.isEmpty() ? " earlier" : ago);
  }

  private static String reason(List<HeldClaim> stale, Instant now) {
    StringBuilder sb = new StringBuilder(512);
    HeldClaim first = stale.get(0);
    sb.append("taskq: you are ending your turn while holding task ")
        .append(first.id())
        .append(" (")
        .append(ClaimReminder.oneLine(first.title(), 120))
        .append(") ")
        .append(staleness(first, now))
        .append(". Before you stop, save your progress: call write_checkpoint {id:\"")
        .append(first.id())
        .append("\", token:\"")
        .append(first.token())
        .append("\", summary, progress, next}. If the task is finished, call complete_task with")
        .append(" outcome \"done\" (or \"failed\") instead; if you are leaving it for someone")
        .append(" else, complete_task with outcome \"released\" hands it back.");
    for (HeldClaim t : stale.subList(1, stale.size())) {
      sb.append(" The same for task ")
          .append(t.id())
          .append(" (token \"")
          .append(t.token())
          .append("\").");
    }
    sb.append(" Then you may end your turn.");
    return sb.toString();
  }
}

package dev.taskq.core;

import java.util.List;
import java.util.Map;

/**
 * Why claimNext found nothing, in numbers an agent can act on.
 *
 * @param lane the lane asked for, or null for all
 * @param pendingInLane pending tasks of that lane (blocked ones included)
 * @param pendingOtherLanes pending tasks that are claimable, but in other lanes
 * @param blocked pending tasks waiting on unfinished tasks, with what they wait for (a sample)
 * @param blockedCount how many are blocked in all (stuck ones included)
 * @param inProgress tasks claimed right now
 * @param unreadable entries the store cannot read as tasks (the file store: corrupt files)
 * @param stuck blocked tasks whose wait cannot end as things stand (a dependency failed, was
 *     cancelled or does not exist), each with why and what to do (a sample)
 * @param stuckCount how many blocked tasks are stuck in all
 */
public record IdleReason(
    String lane,
    int pendingInLane,
    int pendingOtherLanes,
    Map<String, List<String>> blocked,
    int blockedCount,
    int inProgress,
    int unreadable,
    Map<String, String> stuck,
    int stuckCount) {

  /** Nothing stuck. */
  public IdleReason(
      String lane,
      int pendingInLane,
      int pendingOtherLanes,
      Map<String, List<String>> blocked,
      int blockedCount,
      int inProgress,
      int unreadable) {
    this(
        lane,
        pendingInLane,
        pendingOtherLanes,
        blocked,
        blockedCount,
        inProgress,
        unreadable,
        Map.of(),
        0);
  }

  /**
   * "2 pending wait for audit-users; report waits for audit, which failed: requeue audit or cancel
   * report; 3 in progress".
   */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    int waiting = blockedCount - stuckCount;
    if (waiting > 0) {
      sb.append(waiting).append(" pending wait for ");
      sb.append(String.join(", ", waitedFor()));
    }
    stuck.forEach((task, why) -> sep(sb).append(task).append(' ').append(why));
    if (stuckCount > stuck.size()) {
      sep(sb).append(stuckCount - stuck.size()).append(" more stuck, see taskq status");
    }
    if (inProgress > 0) {
      sep(sb).append(inProgress).append(" in progress");
    }
    if (pendingOtherLanes > 0) {
      sep(sb).append(pendingOtherLanes).append(" claimable in other lanes");
    }
    if (unreadable > 0) {
      sep(sb).append(unreadable).append(" unreadable task(s), see taskq status");
    }
    if (sb.length() == 0) {
      sb.append("the queue is empty");
    }
    return (lane == null ? "" : "lane " + lane + ": ") + sb;
  }

  private List<String> waitedFor() {
    return blocked.entrySet().stream()
        .filter(e -> !stuck.containsKey(e.getKey()))
        .flatMap(e -> e.getValue().stream())
        .distinct()
        .limit(5)
        .toList();
  }

  private static StringBuilder sep(StringBuilder sb) {
    return sb.length() == 0 ? sb : sb.append("; ");
  }

  /**
   * True when waiting could help: something is in progress, or blocked on work that can still
   * finish. Tasks that are only stuck (their dependency failed, was cancelled or is missing) need a
   * person, not a worker that waits.
   */
  public boolean worthWaiting() {
    return inProgress > 0 || blockedCount > stuckCount;
  }
}

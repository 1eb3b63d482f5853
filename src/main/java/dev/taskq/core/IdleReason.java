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
 * @param blockedCount how many are blocked in all
 * @param inProgress tasks claimed right now
 * @param unreadable entries the store cannot read as tasks (the file store: corrupt files)
 */
public record IdleReason(
    String lane,
    int pendingInLane,
    int pendingOtherLanes,
    Map<String, List<String>> blocked,
    int blockedCount,
    int inProgress,
    int unreadable) {

  /** "2 pending wait for audit-users; 3 in progress". */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    if (blockedCount > 0) {
      sb.append(blockedCount).append(" pending wait for ");
      sb.append(String.join(", ", waitedFor()));
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
    return blocked.values().stream().flatMap(List::stream).distinct().limit(5).toList();
  }

  private static StringBuilder sep(StringBuilder sb) {
    return sb.length() == 0 ? sb : sb.append("; ");
  }

  /** True when waiting could help: something is in progress or blocked. */
  public boolean worthWaiting() {
    return inProgress > 0 || blockedCount > 0;
  }
}

package dev.taskq.workers;

import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.TaskRow;
import dev.taskq.core.TaskState;
import dev.taskq.store.TaskStore;

/**
 * What a pool needs to know of the queue to decide whether to run workers: a cheap look (a page of
 * pending rows and the in-progress rows; no task file read).
 *
 * @param claimable tasks a worker of the lane could claim now (capped at the page size): pending
 *     and not blocked, or in progress with the lease run out
 * @param inProgress tasks of the lane claimed now
 * @param waitsOnOthers blocked tasks of the lane exist while tasks of other lanes are in progress:
 *     they may become claimable, so a pool should not call the queue drained
 */
public record QueueLook(int claimable, int inProgress, boolean waitsOnOthers) {

  public static QueueLook take(TaskStore store, String lane, int page) {
    int claimable = 0;
    int blocked = 0;
    QueuePage pending = store.list(new QueueQuery(TaskState.PENDING, lane, 0, page));
    for (TaskRow r : pending.rows()) {
      if (r.blockedBy().isEmpty()) {
        claimable++;
      } else {
        blocked++;
      }
    }
    QueuePage ip = store.list(new QueueQuery(TaskState.IN_PROGRESS, lane, 0, 10_000));
    int inLane = 0;
    for (TaskRow r : ip.rows()) {
      inLane++;
      if (r.leaseLeft() != null && r.leaseLeft().isZero()) {
        claimable++; // the lease ran out: the next claim takes it over
      }
    }
    return new QueueLook(
        claimable, inLane, blocked > 0 && ip.count(TaskState.IN_PROGRESS) > inLane);
  }

  /** Nothing to do now and nothing that could become something. */
  public boolean drained() {
    return claimable == 0 && inProgress == 0 && !waitsOnOthers;
  }
}

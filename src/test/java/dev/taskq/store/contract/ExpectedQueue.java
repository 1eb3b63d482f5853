package dev.taskq.store.contract;

import dev.taskq.core.TaskState;
import java.util.Map;

/**
 * What the model says the queue holds after a step, for a store fixture's own checks.
 *
 * @param tasks every task by id
 */
public record ExpectedQueue(Map<String, ExpectedTask> tasks) {

  /**
   * One task as the model sees it.
   *
   * @param token the live claim's token, or null when not in progress
   * @param checkpoints how many checkpoints it has (numbered 1..n)
   */
  public record ExpectedTask(
      String id, TaskState state, int attempt, String token, int checkpoints) {}
}

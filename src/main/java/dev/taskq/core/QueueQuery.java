package dev.taskq.core;

/**
 * Which rows of the queue to list.
 *
 * @param state only this state, or null for all
 * @param lane only this lane, or null for all
 */
public record QueueQuery(TaskState state, String lane, int offset, int limit) {
  public QueueQuery {
    if (offset < 0) {
      throw TaskqException.invalid("offset", "must be 0 or more");
    }
    if (limit < 1 || limit > 10_000) {
      throw TaskqException.invalid("limit", "must be between 1 and 10000");
    }
  }

  public static QueueQuery firstPage(int limit) {
    return new QueueQuery(null, null, 0, limit);
  }
}

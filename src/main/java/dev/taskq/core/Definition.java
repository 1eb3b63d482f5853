package dev.taskq.core;

import java.time.Instant;
import java.util.List;

/**
 * What a task is, fixed when it is enqueued (only a person changes it, e.g. its priority): what to
 * do, how to judge it, where it sits in the claim order and what it waits for.
 *
 * @param after ids of the tasks that must complete before this one can be claimed
 * @param dedupeKey makes enqueue idempotent, or null
 */
public record Definition(
    String id,
    String title,
    String criterion,
    String instructions,
    String lane,
    int priority,
    List<String> after,
    int maxAttempts,
    Instant created,
    String dedupeKey) {

  public Definition {
    after = after == null ? List.of() : List.copyOf(after);
    // Line ends and trailing blank lines are not content; normalizing them keeps a task equal to
    // itself after a trip through its file (which is read with LF line ends).
    instructions = instructions == null ? "" : instructions.replace("\r\n", "\n").stripTrailing();
  }

  /** The definition a request asks for, under {@code id}, enqueued at {@code now}. */
  public static Definition of(NewTask n, String id, Instant now) {
    return new Definition(
        id,
        n.title(),
        n.criterion(),
        n.instructions(),
        n.lane(),
        n.priority(),
        n.after(),
        n.maxAttempts(),
        now,
        n.dedupeKey());
  }

  public Definition withPriority(int p) {
    return new Definition(
        id, title, criterion, instructions, lane, p, after, maxAttempts, created, dedupeKey);
  }

  /** The same definition without its long texts (criterion, instructions), for indexes. */
  public Definition brief() {
    return new Definition(
        id, title, "", "", lane, priority, after, maxAttempts, created, dedupeKey);
  }
}

package dev.taskq.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What a caller asks to enqueue. The compact constructor validates every field and names the one at
 * fault, so a bad request changes nothing.
 *
 * @param id the wanted id, or null to generate one
 * @param dedupeKey makes enqueue idempotent: the same key returns the existing task
 */
public record NewTask(
    String id,
    String title,
    String criterion,
    String instructions,
    String lane,
    int priority,
    List<String> after,
    int maxAttempts,
    String dedupeKey) {

  public NewTask {
    if (id != null) {
      TaskId.check("id", id);
    }
    title = Limits.requireText("title", title, Limits.TITLE_MAX);
    if (title.indexOf('\n') >= 0 || title.indexOf('\r') >= 0) {
      throw TaskqException.invalid("title", "must be one line; put details in instructions");
    }
    criterion = Limits.requireText("criterion", criterion, Limits.CRITERION_MAX);
    instructions =
        Limits.optionalText("instructions", instructions, Limits.INSTRUCTIONS_MAX)
            .replace("\r\n", "\n")
            .stripTrailing();
    lane = Limits.lane(lane);
    if (priority < Limits.PRIORITY_MIN || priority > Limits.PRIORITY_MAX) {
      throw TaskqException.invalid(
          "priority", "must be between " + Limits.PRIORITY_MIN + " and " + Limits.PRIORITY_MAX);
    }
    List<String> deps = new ArrayList<>(new LinkedHashSet<>(after == null ? List.of() : after));
    if (deps.size() > Limits.AFTER_MAX) {
      throw TaskqException.invalid("after", "at most " + Limits.AFTER_MAX + " ids");
    }
    for (String d : deps) {
      TaskId.check("after", d);
      if (d.equals(id)) {
        throw TaskqException.invalid("after", "a task cannot wait for itself (" + d + ")");
      }
    }
    after = List.copyOf(deps);
    if (maxAttempts < 1 || maxAttempts > Limits.MAX_ATTEMPTS_MAX) {
      throw TaskqException.invalid(
          "max_attempts", "must be between 1 and " + Limits.MAX_ATTEMPTS_MAX);
    }
    if (dedupeKey != null && dedupeKey.isEmpty()) {
      dedupeKey = null;
    }
    if (dedupeKey != null) {
      Limits.requireText("dedupe_key", dedupeKey, Limits.DEDUPE_KEY_MAX);
      if (dedupeKey.chars().anyMatch(c -> c < 0x20)) {
        throw TaskqException.invalid("dedupe_key", "must not hold control characters");
      }
    }
  }

  /** A task with only the required fields and the defaults. */
  public static NewTask of(String title, String criterion) {
    return new NewTask(
        null, title, criterion, null, null, 0, List.of(), Limits.DEFAULT_MAX_ATTEMPTS, null);
  }

  /** True when {@code t} was made from a request with the same content (for dedupe). */
  public boolean sameContentAs(Task t) {
    return title.equals(t.title())
        && criterion.equals(t.criterion())
        && instructions.equals(t.instructions())
        && java.util.Objects.equals(lane, t.lane())
        && priority == t.priority()
        && after.equals(t.after());
  }
}

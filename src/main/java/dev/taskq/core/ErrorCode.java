package dev.taskq.core;

/**
 * Error classes an agent can act on; each carries the next step to take, worded for a model calling
 * tools and for a person at a shell.
 */
public enum ErrorCode {
  NOT_FOUND("check the id with the taskq://queue resource", "check the id with `taskq status`"),
  FENCED(
      "stop working on this task and do not retry with this token; call claim_next for new work",
      "the task's claim ended or passed to another holder; see `taskq show` for its state"),
  INVALID_ARGUMENT(
      "fix the named field and call again; nothing was changed",
      "fix it and run the command again; nothing was changed"),
  CONFLICT(
      "read the task's current state (taskq://queue) and decide again; nothing was changed",
      "see the task's current state with `taskq status` and decide again; nothing was changed"),
  STORE_ERROR(
      "the queue folder could not be read or written, so the call may or may not have taken"
          + " effect: read taskq://queue before retrying (a dedupe_key makes enqueue retries"
          + " safe), and ask the user to run `taskq doctor`",
      "the queue folder could not be read or written, so the command may or may not have taken"
          + " effect: check with `taskq status` before running it again, and run `taskq doctor`");

  private final String modelHint;
  private final String personHint;

  ErrorCode(String modelHint, String personHint) {
    this.modelHint = modelHint;
    this.personHint = personHint;
  }

  /** What a model should do next. */
  public String hint() {
    return modelHint;
  }

  /** What the reader should do next. */
  public String hint(Audience audience) {
    return audience == Audience.PERSON ? personHint : modelHint;
  }
}

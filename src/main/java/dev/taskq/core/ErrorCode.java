package dev.taskq.core;

/** Error classes an agent can act on; each carries the next step to take. */
public enum ErrorCode {
  NOT_FOUND("check the id with the taskq://queue resource or `taskq status`"),
  FENCED(
      "stop working on this task and do not retry with this token; call claim_next for new work"),
  INVALID_ARGUMENT("fix the named field and call again; nothing was changed"),
  CONFLICT(
      "read the task's current state (taskq://tasks/{id}) and decide again; nothing was changed"),
  STORE_ERROR(
      "the queue folder could not be read or written, so the call may or may not have taken"
          + " effect: read taskq://queue before retrying (a dedupe_key makes enqueue retries"
          + " safe), and run `taskq doctor`");

  private final String hint;

  ErrorCode(String hint) {
    this.hint = hint;
  }

  /** What the caller should do next. */
  public String hint() {
    return hint;
  }
}

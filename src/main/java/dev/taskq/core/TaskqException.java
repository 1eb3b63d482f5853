package dev.taskq.core;

/**
 * The one exception type of taskq. Its message says what happened; {@link #hint()} says what to do.
 * {@link #field()} names the offending input field for {@link ErrorCode#INVALID_ARGUMENT}.
 */
public final class TaskqException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String field;
  private final String hint;

  public TaskqException(ErrorCode code, String message) {
    this(code, null, message, code.hint(), null);
  }

  public TaskqException(
      ErrorCode code, String field, String message, String hint, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.field = field;
    this.hint = hint == null ? code.hint() : hint;
  }

  public static TaskqException invalid(String field, String problem) {
    return new TaskqException(
        ErrorCode.INVALID_ARGUMENT, field, field + ": " + problem, null, null);
  }

  public static TaskqException notFound(String id) {
    return new TaskqException(
        ErrorCode.NOT_FOUND, "id", "no task with id '" + id + "' in this queue", null, null);
  }

  public static TaskqException fenced(String message) {
    return new TaskqException(ErrorCode.FENCED, "token", message, null, null);
  }

  public static TaskqException conflict(String message) {
    return new TaskqException(ErrorCode.CONFLICT, null, message, null, null);
  }

  public static TaskqException storeError(String message, Throwable cause) {
    return new TaskqException(ErrorCode.STORE_ERROR, null, message, null, cause);
  }

  public ErrorCode code() {
    return code;
  }

  /** The input field at fault, or null. */
  public String field() {
    return field;
  }

  public String hint() {
    return hint;
  }

  /** "CODE: message; hint" — the single line agents and people see. */
  public String describe() {
    return code + ": " + getMessage() + "; " + hint;
  }
}

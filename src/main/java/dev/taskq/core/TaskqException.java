package dev.taskq.core;

/**
 * The one exception type of taskq. Its message says what happened; {@link #hint(Audience)} says
 * what to do, worded for a model or a person. {@link #field()} names the offending input field for
 * {@link ErrorCode#INVALID_ARGUMENT}.
 */
public final class TaskqException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String field;
  private final String modelHint;
  private final String personHint;

  public TaskqException(ErrorCode code, String message) {
    this(code, null, message, null, null, null);
  }

  /** {@code hint} is for every reader; null takes the code's. */
  public TaskqException(
      ErrorCode code, String field, String message, String hint, Throwable cause) {
    this(code, field, message, hint, hint, cause);
  }

  /** A hint for each audience; a null one takes the code's. */
  public TaskqException(
      ErrorCode code,
      String field,
      String message,
      String modelHint,
      String personHint,
      Throwable cause) {
    super(message, cause);
    this.code = code;
    this.field = field;
    this.modelHint = modelHint == null ? code.hint(Audience.MODEL) : modelHint;
    this.personHint = personHint == null ? code.hint(Audience.PERSON) : personHint;
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

  /** A conflict over one task: the next step names where to read that task. */
  public static TaskqException conflict(String id, String message) {
    return new TaskqException(
        ErrorCode.CONFLICT,
        null,
        message,
        "read taskq://tasks/" + id + " for its current state and decide again; nothing was changed",
        "see `taskq show " + id + "` for its current state and decide again; nothing was changed",
        null);
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

  /** What a model should do next. */
  public String hint() {
    return modelHint;
  }

  public String hint(Audience audience) {
    return audience == Audience.PERSON ? personHint : modelHint;
  }

  /** "CODE: message; hint" for a model: the text of a tool error. */
  public String describe() {
    return describe(Audience.MODEL);
  }

  /** "CODE: message; hint", the single line the reader sees. */
  public String describe(Audience audience) {
    return code + ": " + getMessage() + "; " + hint(audience);
  }
}

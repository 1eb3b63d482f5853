package dev.taskq.core;

/** Size limits on what callers send. Documented in README "Guarantees and limits". */
public final class Limits {
  public static final int TITLE_MAX = 200;
  public static final int CRITERION_MAX = 4_000;
  public static final int INSTRUCTIONS_MAX = 64_000;
  public static final int RESULT_MAX = 64_000;
  public static final int SUMMARY_MAX = 16_000;
  public static final int FINDINGS_MAX = 32_000;
  public static final int NEXT_MAX = 4_000;
  public static final int LOG_MESSAGE_MAX = 2_000;
  public static final int LANE_MAX = 40;
  public static final int DEDUPE_KEY_MAX = 200;
  public static final int AFTER_MAX = 50;
  public static final int BATCH_MAX = 100;
  public static final int PRIORITY_MIN = -1000;
  public static final int PRIORITY_MAX = 1000;
  public static final int MAX_ATTEMPTS_MAX = 20;
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** Task files larger than this are reported as corrupt instead of parsed. */
  public static final int TASK_FILE_MAX_BYTES = 1 << 20;

  private Limits() {}

  /** A lane name, or null for none (null or blank); INVALID_ARGUMENT naming "lane" if malformed. */
  public static String lane(String lane) {
    if (lane == null || lane.isBlank()) {
      return null;
    }
    String problem = TaskId.problem(lane);
    if (problem != null || lane.length() > LANE_MAX) {
      throw TaskqException.invalid(
          "lane",
          "must be a short name like 'frontend' or 'db' (a-z, 0-9, '.', '_', '-', at most "
              + LANE_MAX
              + " characters)"
              + (problem == null || problem.startsWith("must be at most")
                  ? ""
                  : "; it " + problem));
    }
    return lane;
  }

  /** A priority, or INVALID_ARGUMENT naming "priority". */
  public static int priority(int priority) {
    if (priority < PRIORITY_MIN || priority > PRIORITY_MAX) {
      throw TaskqException.invalid(
          "priority", "must be between " + PRIORITY_MIN + " and " + PRIORITY_MAX);
    }
    return priority;
  }

  /** Non-blank text of at most {@code max} characters, without NUL; returns it stripped. */
  public static String requireText(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      throw TaskqException.invalid(field, "is required and must not be blank");
    }
    return optionalText(field, value, max).strip();
  }

  /** Null or text of at most {@code max} characters without NUL; returns "" for null. */
  public static String optionalText(String field, String value, int max) {
    if (value == null) {
      return "";
    }
    if (value.length() > max) {
      throw TaskqException.invalid(
          field, "is " + value.length() + " characters; the limit is " + max + ". Shorten it");
    }
    if (value.indexOf('\0') >= 0) {
      throw TaskqException.invalid(field, "must not contain NUL characters");
    }
    return value;
  }
}

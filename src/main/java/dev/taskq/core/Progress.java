package dev.taskq.core;

/** "60 of 180 files": how far a task is, from its latest checkpoint. */
public record Progress(long done, long total) {
  public Progress {
    if (done < 0) {
      throw TaskqException.invalid("progress.done", "must be 0 or more");
    }
    if (total < 1) {
      throw TaskqException.invalid("progress.total", "must be 1 or more");
    }
    if (done > total) {
      throw TaskqException.invalid(
          "progress.done", "must not exceed progress.total (" + total + ")");
    }
  }

  /** Parses "60/180"; returns null for null or blank. */
  public static Progress parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw TaskqException.invalid("progress", "expected done/total such as 60/180, got " + text);
    }
    try {
      return new Progress(
          Long.parseLong(text.substring(0, slash).trim()),
          Long.parseLong(text.substring(slash + 1).trim()));
    } catch (NumberFormatException e) {
      throw TaskqException.invalid("progress", "expected done/total such as 60/180, got " + text);
    }
  }

  public int percent() {
    return (int) (done * 100 / total);
  }

  @Override
  public String toString() {
    return done + "/" + total;
  }
}

package dev.taskq.core;

import java.util.Locale;

/**
 * Where a task is in its life. Its {@link #wire} name is the one name every reply, JSON and log
 * line uses; the file store also names a folder after each state ({@link #folder}).
 */
public enum TaskState {
  PENDING("pending"),
  IN_PROGRESS("in-progress"),
  COMPLETED("completed"),
  FAILED("failed");

  private final String folder;

  TaskState(String folder) {
    this.folder = folder;
  }

  /** The file store's folder for this state ("in-progress"); not a name for the API. */
  public String folder() {
    return folder;
  }

  /**
   * The state's one name in JSON, replies and log lines: pending, in_progress, completed, failed.
   */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * True for states a task never leaves by itself (only a person's requeue moves a failed task).
   */
  public boolean isFinal() {
    return this == COMPLETED || this == FAILED;
  }

  public static TaskState fromFolder(String name) {
    for (TaskState s : values()) {
      if (s.folder.equals(name) || s.name().equalsIgnoreCase(name)) {
        return s;
      }
    }
    throw TaskqException.invalid(
        "state", "unknown state '" + name + "'; use pending, in_progress, completed or failed");
  }

  /** The wire name, so a state printed into a reply or log line reads as it does in JSON. */
  @Override
  public String toString() {
    return wire();
  }
}

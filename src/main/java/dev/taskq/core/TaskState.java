package dev.taskq.core;

import java.util.Locale;

/** Where a task is in its life. Each state is a folder in the queue directory. */
public enum TaskState {
  PENDING("pending"),
  IN_PROGRESS("in-progress"),
  COMPLETED("completed"),
  FAILED("failed");

  private final String folder;

  TaskState(String folder) {
    this.folder = folder;
  }

  /** The folder name on disk, also the name agents and people see. */
  public String folder() {
    return folder;
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
        "state", "unknown state '" + name + "'; use pending, in-progress, completed or failed");
  }

  @Override
  public String toString() {
    return folder.toLowerCase(Locale.ROOT);
  }
}

package dev.taskq.project;

import java.nio.file.Path;

/**
 * The project's queue folder and how it was found, so replies can name it ({@link #label()}) and
 * errors can say where taskq looked.
 *
 * @param dir the queue folder (absolute, normalized): holds pending/, in-progress/, .taskq/, ...
 * @param source what decided it
 * @param label the folder as people read it: {@code ~/src/shop/tasks} under the home folder
 */
public record QueueLocation(Path dir, Source source, String label) {
  /** What decided where the queue is. */
  public enum Source {
    /** {@code --dir} on the command line. */
    OPTION,
    /** the {@code TASKQ_DIR} environment variable. */
    TASKQ_DIR,
    /** found by walking up from the start folder. */
    FOUND,
    /** found by walking up from the same folder in the main checkout of a git worktree. */
    WORKTREE
  }

  /**
   * True when the person or program named the folder outright: then a missing queue is created on
   * the first write, as asked. A queue found by walking up always exists already.
   */
  public boolean named() {
    return source == Source.OPTION || source == Source.TASKQ_DIR;
  }
}

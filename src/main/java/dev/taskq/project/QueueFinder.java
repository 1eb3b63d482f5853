package dev.taskq.project;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the project's queue the way git finds {@code .git}: the nearest folder named {@code tasks}
 * that {@code taskq init} set up, in the start folder or any folder above it. Inside a linked git
 * worktree the walk starts from the same folder in the main checkout, so agents working in
 * worktrees share one queue. {@code TASKQ_DIR} (or {@code --dir}) names the queue outright. Finding
 * never writes anything.
 */
public final class QueueFinder {
  /** The queue folder's name in a project. */
  public static final String TASKS = "tasks";

  private static final long MAX_GITIGNORE_BYTES = 64 * 1024;

  private QueueFinder() {}

  /**
   * The queue of a {@code taskq serve} session: Claude Code starts the server in the folder {@code
   * claude} was started in (maybe a subfolder of the project, or a worktree) and passes it as
   * {@code CLAUDE_PROJECT_DIR}.
   */
  public static QueueLocation forSession(Map<String, String> env, Path cwd) {
    String project = env.get("CLAUDE_PROJECT_DIR");
    Path start = project == null || project.isBlank() ? cwd : cwd.resolve(project);
    return find(env, cwd, start);
  }

  /** The queue of a command run in {@code cwd}; {@code dir} is its {@code --dir}, or null. */
  public static QueueLocation forCommand(Map<String, String> env, Path cwd, Path dir) {
    if (dir != null) {
      Path d = cwd.resolve(dir).toAbsolutePath().normalize();
      return new QueueLocation(d, QueueLocation.Source.OPTION, label(d, env));
    }
    return find(env, cwd, cwd);
  }

  /**
   * TASKQ_DIR (relative to {@code cwd}) when set, else the nearest queue at or above {@code start};
   * throws NOT_FOUND, one line naming where it looked, when there is none.
   */
  public static QueueLocation find(Map<String, String> env, Path cwd, Path start) {
    String named = env.get("TASKQ_DIR");
    if (named != null && !named.isBlank()) {
      Path d = cwd.resolve(named.strip()).toAbsolutePath().normalize();
      return new QueueLocation(d, QueueLocation.Source.TASKQ_DIR, label(d, env));
    }
    Path from = start.toAbsolutePath().normalize();
    Path main = GitCheckout.inMainCheckout(from);
    Path walkFrom = main == null ? from : main;
    Path found = walkUp(walkFrom);
    if (found == null) {
      throw notFound(from, main, env);
    }
    QueueLocation.Source source =
        main == null ? QueueLocation.Source.FOUND : QueueLocation.Source.WORKTREE;
    return new QueueLocation(found, source, label(found, env));
  }

  /**
   * Where {@code taskq init} run in {@code project} sets the queue up: its {@code tasks/}, or in a
   * linked git worktree the main checkout's, since that is where every session looks.
   */
  public static Path initTarget(Path project) {
    Path p = project.toAbsolutePath().normalize();
    Path main = GitCheckout.inMainCheckout(p);
    return (main == null ? p : main).resolve(TASKS);
  }

  /**
   * Whether a session or command started in {@code start} would find {@code queue} once it is set
   * up: it is the {@code tasks/} of {@code start} (mapped into the main checkout in a worktree) or
   * of a folder above, and no queue closer to {@code start} hides it.
   */
  public static boolean wouldFind(Path start, Path queue) {
    Path from = start.toAbsolutePath().normalize();
    Path main = GitCheckout.inMainCheckout(from);
    Path q = queue.toAbsolutePath().normalize();
    for (Path d = main == null ? from : main; d != null; d = d.getParent()) {
      Path tasks = d.resolve(TASKS);
      if (tasks.equals(q)) {
        return true;
      }
      if (isQueue(tasks)) {
        return false;
      }
    }
    return false;
  }

  /** The queue at or above {@code start}, or null; never throws. */
  public static Path walkUp(Path start) {
    for (Path d = start.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
      Path tasks = d.resolve(TASKS);
      if (isQueue(tasks)) {
        return tasks;
      }
    }
    return null;
  }

  /**
   * Whether {@code dir} is a queue {@code taskq init} set up: it has the state folders, or the
   * machine-local {@code .taskq/}, or (in a fresh clone, where git kept neither empty folders nor
   * the ignored {@code .taskq/}) the {@code .gitignore} init writes, which names {@code .taskq/}. A
   * plain {@code tasks/} folder of some other tool (an Ansible role, a Rake project) is none of
   * these and is walked past.
   */
  public static boolean isQueue(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    if (Files.isDirectory(dir.resolve("pending")) || Files.isDirectory(dir.resolve(".taskq"))) {
      return true;
    }
    Path ignore = dir.resolve(".gitignore");
    try {
      return Files.isRegularFile(ignore)
          && Files.size(ignore) <= MAX_GITIGNORE_BYTES
          && Files.readString(ignore).lines().anyMatch(l -> l.strip().startsWith(".taskq"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** {@code ~/src/shop/tasks} for a folder under HOME, else the absolute path. */
  public static String label(Path dir, Map<String, String> env) {
    String home = env.get("HOME");
    if (home != null && !home.isBlank()) {
      Path h = Path.of(home).toAbsolutePath().normalize();
      if (dir.startsWith(h) && !dir.equals(h) && h.getNameCount() > 0) {
        return "~/" + h.relativize(dir);
      }
    }
    return dir.toString();
  }

  private static TaskqException notFound(Path from, Path main, Map<String, String> env) {
    String where =
        main == null
            ? label(from, env)
            : label(main, env)
                + " (the main checkout of the git worktree "
                + label(from, env)
                + ")";
    return new TaskqException(
        ErrorCode.NOT_FOUND,
        "queue",
        "no taskq queue: no tasks/ folder set up by `taskq init` in " + where + " or above it",
        "ask the user to run `taskq init` in the project's root folder, then call again; do not"
            + " create tasks/ yourself",
        "run `taskq init` in your project's root folder (or set TASKQ_DIR)",
        null);
  }
}

package dev.taskq.project;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real git binary for tests that need repositories and worktrees, isolated from the
 * machine's and the user's git configuration.
 */
public final class Git {
  private Git() {}

  /** Runs {@code git args...} in {@code dir}; fails with git's output when it does. */
  public static String run(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=taskq-test"));
    command.addAll(List.of("-c", "user.email=test@taskq.invalid", "-c", "init.defaultBranch=main"));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    pb.environment().remove("GIT_DIR");
    pb.environment().remove("GIT_WORK_TREE");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("git " + String.join(" ", args) + " did not finish in 60 s");
    }
    if (p.exitValue() != 0) {
      throw new IOException("git " + String.join(" ", args) + " failed: " + out.strip());
    }
    return out;
  }

  /** A repository at {@code dir} with everything in it committed. */
  public static Path commitAll(Path dir) throws IOException, InterruptedException {
    if (!dir.resolve(".git").toFile().exists()) {
      run(dir, "init", "-q");
    }
    run(dir, "add", "-A");
    run(dir, "commit", "-q", "--allow-empty", "-m", "test");
    return dir;
  }

  /** {@code git worktree add} of a new branch at {@code at}. */
  public static Path addWorktree(Path repo, Path at, String branch)
      throws IOException, InterruptedException {
    run(repo, "worktree", "add", "-q", "-b", branch, at.toString());
    return at;
  }
}

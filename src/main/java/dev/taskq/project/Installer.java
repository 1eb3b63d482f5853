package dev.taskq.project;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code taskq install}: copies this jar to {@code ~/.local/share/taskq/<version>/}, writes the
 * launcher beside it, makes the class-data archive for this Java, and links {@code
 * ~/.local/bin/taskq} to the launcher. Installing the same version again changes nothing;
 * installing another version switches the link (an upgrade or a downgrade) and keeps the older
 * folders, which running sessions may still use. Checks come before the first write.
 */
public final class Installer {
  /** One line of the report: what happened ("installed", "unchanged", ...) and to what. */
  public record Step(String what, String detail) {}

  /**
   * @param steps what was done, in order
   * @param notes what the person should know or do (PATH, older versions), possibly empty
   */
  public record Result(String version, InstallPaths paths, List<Step> steps, List<String> notes) {}

  private final Map<String, String> env;
  private final Path sourceJar;
  private final Path java;

  /**
   * @param env the environment: HOME, XDG_*_HOME, PATH
   * @param sourceJar the jar to install (the one running)
   * @param java the java binary the launcher will run (the one running)
   */
  public Installer(Map<String, String> env, Path sourceJar, Path java) {
    this.env = env;
    this.sourceJar = sourceJar.toAbsolutePath().normalize();
    this.java = java.toAbsolutePath().normalize();
  }

  public Result run(boolean makeArchive) {
    String version = TaskqVersion.current();
    if (version.equals("development build")) {
      throw refuse(
          "this taskq carries no version: it was not built by Maven",
          "build it with `mvn package` and install target/taskq.jar");
    }
    if (!Files.isRegularFile(sourceJar)) {
      throw refuse(
          "cannot find the taskq jar at " + sourceJar, "build it with `mvn -DskipTests package`");
    }
    InstallPaths paths = InstallPaths.of(env);
    Path command = paths.command();
    Launcher before = existingCommand(command, paths);
    Path jar = paths.jar(version);
    Path launcherFile = paths.launcher(version);
    Path archive = paths.archive(version, StartupArchive.javaKey());
    List<Step> steps = new ArrayList<>();
    try {
      steps.add(installJar(jar));
      String script = new Launcher(version, jar, java, archive).render();
      steps.add(writeLauncher(launcherFile, script));
      if (makeArchive) {
        steps.add(archive(jar, archive));
      } else {
        steps.add(
            new Step(
                "skipped",
                "start-up archive (--no-archive): servers start about twice as slowly until"
                    + " `taskq install` runs again"));
      }
      steps.add(link(command, launcherFile, before, version));
    } catch (IOException e) {
      throw TaskqException.storeError(
          "installing to " + paths.versionDir(version) + " failed: " + e.getMessage(), e);
    }
    return new Result(version, paths, steps, notes(paths, version));
  }

  /** The launcher {@code taskq install} wrote earlier, null for none; refuses anything else. */
  private Launcher existingCommand(Path command, InstallPaths paths) {
    if (!Files.exists(command, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    Launcher ours = Launcher.read(command);
    if (ours != null) {
      return ours;
    }
    if (Files.isSymbolicLink(command)) {
      try {
        Path target = command.getParent().resolve(Files.readSymbolicLink(command)).normalize();
        // 0.1.0's README linked the clone's own launcher here, and a dangling link into our own
        // folder is a removed version: both are ours to replace.
        if (target.startsWith(paths.data()) || isCloneLauncher(target)) {
          return null;
        }
      } catch (IOException e) {
        // fall through to the refusal
      }
    }
    throw refuse(
        command + " exists and was not written by taskq install",
        "move it away (or remove it), then run taskq install again; nothing was changed");
  }

  private static boolean isCloneLauncher(Path target) {
    try {
      return Files.isRegularFile(target)
          && Files.size(target) < 64 * 1024
          && Files.readString(target, StandardCharsets.UTF_8).contains("# taskq launcher:");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private Step installJar(Path jar) throws IOException {
    if (Files.isRegularFile(jar)
        && (Files.isSameFile(jar, sourceJar) || Files.mismatch(jar, sourceJar) == -1)) {
      return new Step("unchanged", shown(jar) + " is this build");
    }
    boolean replacing = Files.exists(jar);
    Files.createDirectories(jar.getParent());
    Path tmp = jar.resolveSibling("." + jar.getFileName() + "." + ProcessHandle.current().pid());
    try {
      Files.copy(sourceJar, tmp, StandardCopyOption.REPLACE_EXISTING);
      // A rename, never a rewrite in place: running sessions keep the jar they opened.
      Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return new Step(
        replacing ? "replaced" : "installed",
        shown(jar) + (replacing ? " with this build of the same version" : ""));
  }

  private Step writeLauncher(Path file, String script) throws IOException {
    if (Files.isRegularFile(file)
        && Files.readString(file, StandardCharsets.UTF_8).equals(script)) {
      return new Step("unchanged", shown(file));
    }
    Path tmp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid());
    try {
      Files.writeString(tmp, script, StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      } catch (UnsupportedOperationException e) {
        tmp.toFile().setExecutable(true, false);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return new Step("wrote", shown(file) + " (runs " + java + ")");
  }

  private Step archive(Path jar, Path archive) throws IOException {
    if (StartupArchive.fits(java, archive, jar)) {
      return new Step(
          "unchanged", "start-up archive " + shown(archive) + " fits this Java and jar");
    }
    try {
      long ms = StartupArchive.make(java, jar, archive);
      return new Step(
          "made", "start-up archive " + shown(archive) + " (" + ms + " ms; servers start faster)");
    } catch (IOException e) {
      return new Step(
          "skipped",
          "start-up archive: "
              + e.getMessage()
              + " (taskq works without it, only slower; run taskq install again to retry)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Step("skipped", "start-up archive: interrupted");
    }
  }

  private Step link(Path command, Path launcher, Launcher before, String version)
      throws IOException {
    Files.createDirectories(command.getParent());
    if (Files.isSymbolicLink(command)
        && command
            .getParent()
            .resolve(Files.readSymbolicLink(command))
            .normalize()
            .equals(launcher)) {
      return new Step("unchanged", shown(command) + " runs taskq " + version);
    }
    Path tmp =
        command.resolveSibling("." + command.getFileName() + "." + ProcessHandle.current().pid());
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, launcher);
    try {
      Files.move(tmp, command, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    String was =
        before == null || before.version().equals(version) ? "" : " (was " + before.version() + ")";
    return new Step("linked", shown(command) + " → " + shown(launcher) + was);
  }

  private List<String> notes(InstallPaths paths, String version) {
    List<String> notes = new ArrayList<>();
    Path found = CommandPath.find(InstallPaths.COMMAND, env);
    if (found == null || !onPath(paths.bin())) {
      notes.add(
          shown(paths.bin())
              + " is not on your PATH, and Claude Code starts `taskq serve` through it: add"
              + " `export PATH=\"$HOME/.local/bin:$PATH\"` to your shell's profile (~/.profile,"
              + " ~/.bashrc or ~/.zshrc) and open a new terminal");
    } else if (!found.equals(paths.command())) {
      notes.add(
          "another taskq comes first on your PATH: "
              + found
              + "; remove it, or put "
              + shown(paths.bin())
              + " before its folder");
    }
    try (Stream<Path> versions = Files.list(paths.data())) {
      List<String> others =
          versions
              .filter(Files::isDirectory)
              .map(p -> p.getFileName().toString())
              .filter(v -> !v.equals(version))
              .sorted()
              .toList();
      if (!others.isEmpty()) {
        notes.add(
            "kept "
                + String.join(", ", others)
                + " in "
                + shown(paths.data())
                + ": a running session may still use it; delete a version's folder once none does");
      }
    } catch (IOException e) {
      // only a note
    }
    return notes;
  }

  private boolean onPath(Path dir) {
    return CommandPath.folders(env).contains(dir);
  }

  private String shown(Path p) {
    return QueueFinder.label(p, env);
  }

  private static TaskqException refuse(String problem, String hint) {
    return new TaskqException(ErrorCode.INVALID_ARGUMENT, "install", problem, hint, null);
  }
}

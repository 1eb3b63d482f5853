package dev.taskq.cli;

import dev.taskq.cli.Doctor.Finding;
import dev.taskq.cli.Doctor.Level;
import dev.taskq.project.CommandPath;
import dev.taskq.project.InstallPaths;
import dev.taskq.project.Launcher;
import dev.taskq.project.QueueFinder;
import dev.taskq.project.StartupArchive;
import dev.taskq.project.TaskqVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code taskq} command sessions start: is it on PATH, which version is it, and does its
 * start-up archive fit the Java it runs (an archive that does not fit is ignored by the JVM, so a
 * server still starts, only about twice as slowly).
 */
final class InstallCheck {
  private final Map<String, String> env;

  InstallCheck(Map<String, String> env) {
    this.env = env;
  }

  List<Finding> findings() {
    List<Finding> out = new ArrayList<>();
    Path found = CommandPath.find(InstallPaths.COMMAND, env);
    if (found == null) {
      out.add(
          new Finding(
              Level.fail,
              "no `taskq` on PATH, and that is what .mcp.json starts: run `./taskq install` in a"
                  + " taskq clone, and make sure ~/.local/bin is on PATH"));
      return out;
    }
    Launcher launcher = Launcher.read(found);
    if (launcher == null) {
      out.add(
          new Finding(
              Level.warn,
              "`taskq` on PATH is "
                  + found
                  + ", which taskq install did not write (a clone's launcher runs whatever that"
                  + " clone last built): run `./taskq install` in a taskq clone"));
      return out;
    }
    String running = TaskqVersion.current();
    String also = launcher.version().equals(running) ? "" : " (this command is " + running + ")";
    out.add(
        new Finding(
            Level.ok,
            "`taskq` on PATH is "
                + shown(found)
                + ": taskq "
                + launcher.version()
                + " installed in "
                + shown(realFolder(found))
                + also));
    if (!Files.isRegularFile(launcher.jar())) {
      out.add(
          new Finding(
              Level.fail,
              shown(launcher.jar()) + " is missing: run `./taskq install` in a taskq clone"));
      return out;
    }
    out.add(archive(launcher));
    return out;
  }

  private Finding archive(Launcher l) {
    if (!Files.isExecutable(l.java())) {
      return new Finding(
          Level.warn,
          "the Java taskq was installed with ("
              + l.java()
              + ") is gone, so it runs java from PATH without its start-up archive: run `taskq"
              + " install` again");
    }
    if (!Files.isRegularFile(l.archive())) {
      return new Finding(
          Level.warn,
          "start-up archive "
              + shown(l.archive())
              + " is missing, so servers start about twice as slowly: run `taskq install` to make"
              + " it");
    }
    if (!StartupArchive.fits(l.java(), l.archive(), l.jar())) {
      return new Finding(
          Level.warn,
          "start-up archive "
              + shown(l.archive())
              + " does not fit "
              + l.java()
              + " any more (was Java upgraded?), so servers start about twice as slowly: run"
              + " `taskq install` to re-make it");
    }
    return new Finding(
        Level.ok, "start-up archive " + shown(l.archive()) + " fits " + l.java() + " and the jar");
  }

  private static Path realFolder(Path command) {
    try {
      return command.toRealPath().getParent();
    } catch (java.io.IOException e) {
      return command.getParent();
    }
  }

  private String shown(Path p) {
    return QueueFinder.label(p, env);
  }
}

package dev.taskq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.project.InstalledTaskq;
import dev.taskq.project.Launcher;
import dev.taskq.project.StartupArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code taskq install} makes the class-data archive the launcher uses, keeps it while it fits, and
 * re-makes it for a rebuilt jar; a server whose archive no longer fits still starts with a clean
 * stdout, and {@code taskq doctor} says to re-make it.
 */
class StartupArchiveIT {
  @TempDir Path tmp;

  @Test
  void install_makes_the_archive_the_launcher_uses_keeps_it_and_remakes_it_for_a_rebuilt_jar()
      throws Exception {
    Path home = tmp.resolve("home");
    InstalledTaskq taskq = InstalledTaskq.into(home, InstalledTaskq.builtJar(), true);
    Launcher l = Launcher.read(taskq.command());
    Path project = Files.createDirectories(tmp.resolve("shop"));
    taskq.run(project, "init");
    List<String> serve = List.of(taskq.command().toString(), "serve");

    assertThat(StartupArchive.fits(l.java(), l.archive(), l.jar())).isTrue();
    assertThat(InitializeProbe.run(serve, project, null).firstLine())
        .startsWith("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\"");
    assertThat(taskq.run(project, "doctor")).contains("ok    start-up archive");

    // A jar whose time changed (what a rebuild in place would do): the JVM ignores the archive,
    // silently thanks to -Xlog:disable, so the server must still start cleanly.
    Files.setLastModifiedTime(l.jar(), FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    assertThat(StartupArchive.fits(l.java(), l.archive(), l.jar())).isFalse();
    assertThat(InitializeProbe.run(serve, project, null).firstLine())
        .startsWith("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\"");
    assertThat(taskq.run(project, "doctor"))
        .contains("warn  start-up archive ~/.cache/taskq/")
        .contains("does not fit " + l.java() + " any more (was Java upgraded?)");

    assertThat(taskq.run(project, "install")).contains("made      start-up archive");
    assertThat(StartupArchive.fits(l.java(), l.archive(), l.jar())).isTrue();

    // The same version built again with other bytes: installed over by rename, archive re-made.
    Path rebuilt =
        InstalledTaskq.withVersion(
            InstalledTaskq.builtJar(),
            dev.taskq.project.TaskqVersion.current(),
            tmp.resolve("rebuilt/taskq.jar"));
    try (var zip =
        java.nio.file.FileSystems.newFileSystem(
            java.net.URI.create("jar:" + rebuilt.toUri()), java.util.Map.of())) {
      Files.writeString(zip.getPath("dev/taskq/rebuilt.txt"), "another build\n");
    }
    Process install =
        taskq
            .processBuilder(
                project,
                List.of(InstalledTaskq.java(), "-jar", rebuilt.toString(), "install"),
                java.util.Map.of())
            .start();
    String again = new String(install.getInputStream().readAllBytes());
    assertThat(install.waitFor()).as(again).isZero();
    assertThat(again)
        .contains("replaced  ~/.local/share/taskq/")
        .contains("made      start-up archive");
    assertThat(StartupArchive.fits(l.java(), l.archive(), l.jar())).isTrue();
  }
}

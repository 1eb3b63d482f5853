package dev.taskq.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code taskq install} into a temp HOME with the built jar, run as a person runs it. */
class InstallIT {
  @TempDir Path tmp;

  private static String version() {
    return TaskqVersion.current();
  }

  private static Map<String, FileTime> times(Path... files) throws Exception {
    Map<String, FileTime> m = new LinkedHashMap<>();
    for (Path f : files) {
      m.put(f.toString(), Files.getLastModifiedTime(f, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }
    return m;
  }

  @Test
  void install_puts_a_versioned_jar_a_launcher_and_an_archive_in_per_user_places_idempotently()
      throws Exception {
    Path home = tmp.resolve("home");
    InstalledTaskq taskq = InstalledTaskq.into(home, InstalledTaskq.builtJar(), true);
    Path versionDir = home.resolve(".local/share/taskq/" + version());
    Path jar = versionDir.resolve("taskq.jar");
    Path launcher = versionDir.resolve("taskq");
    Path command = home.resolve(".local/bin/taskq");
    Path archive;
    try (Stream<Path> archives = Files.list(home.resolve(".cache/taskq/" + version()))) {
      archive = archives.filter(p -> p.toString().endsWith(".jsa")).findFirst().orElseThrow();
    }

    assertThat(Files.mismatch(jar, InstalledTaskq.builtJar())).isEqualTo(-1);
    assertThat(Files.isExecutable(launcher)).isTrue();
    assertThat(Files.isSymbolicLink(command)).isTrue();
    assertThat(command.getParent().resolve(Files.readSymbolicLink(command))).isEqualTo(launcher);
    assertThat(archive.getFileName().toString()).startsWith("java-" + Runtime.version());
    assertThat(StartupArchive.fits(Path.of(InstalledTaskq.java()), archive, jar)).isTrue();
    Launcher baked = Launcher.read(command);
    assertThat(baked)
        .isEqualTo(new Launcher(version(), jar, Path.of(InstalledTaskq.java()), archive));
    assertThat(taskq.run(tmp, "--version")).startsWith("taskq " + version() + "\n");
    try (Stream<Path> left = Files.list(home.resolve(".cache/taskq/" + version()))) {
      assertThat(left).containsExactly(archive);
    }

    Map<String, FileTime> before = times(jar, launcher, command, archive);
    String again = taskq.run(tmp, "install");

    assertThat(again)
        .contains("unchanged ~/.local/share/taskq/" + version() + "/taskq.jar is this build")
        .contains("unchanged ~/.local/share/taskq/" + version() + "/taskq\n")
        .contains("unchanged start-up archive ~/.cache/taskq/" + version() + "/java-")
        .contains("unchanged ~/.local/bin/taskq runs taskq " + version());
    assertThat(again.lines().filter(l -> l.startsWith("  ") && !l.startsWith("  unchanged ")))
        .as("steps that did something")
        .isEmpty();
    assertThat(times(jar, launcher, command, archive)).isEqualTo(before);
  }

  @Test
  void xdg_folders_are_honoured_and_a_relative_one_is_ignored() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    InstalledTaskq user = InstalledTaskq.at(home);
    Map<String, String> env = new LinkedHashMap<>(user.env());
    env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
    env.put("XDG_BIN_HOME", tmp.resolve("bin").toString());
    env.put("XDG_CACHE_HOME", "relative/cache");
    ProcessBuilder pb =
        user.processBuilder(
            tmp,
            List.of(InstalledTaskq.java(), "-jar", InstalledTaskq.builtJar().toString(), "install"),
            env);
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());

    assertThat(p.waitFor()).as(out).isZero();
    assertThat(tmp.resolve("data/taskq/" + version() + "/taskq.jar")).isRegularFile();
    assertThat(Files.isSymbolicLink(tmp.resolve("bin/taskq"))).isTrue();
    assertThat(home.resolve(".cache/taskq/" + version())).isDirectory();
    assertThat(tmp.resolve("relative")).doesNotExist();
    assertThat(home.resolve(".local")).doesNotExist();
  }

  @Test
  void a_newer_version_installs_beside_the_old_one_and_takes_over_the_command() throws Exception {
    Path home = tmp.resolve("home");
    InstalledTaskq taskq = InstalledTaskq.into(home);
    Path newer =
        InstalledTaskq.withVersion(
            InstalledTaskq.builtJar(), "9.9.9", tmp.resolve("new/taskq.jar"));

    InstalledTaskq.into(home, newer, false);

    assertThat(taskq.run(tmp, "--version")).startsWith("taskq 9.9.9\n");
    Path oldLauncher = home.resolve(".local/share/taskq/" + version() + "/taskq");
    assertThat(oldLauncher).isRegularFile();
    // A session that started before the upgrade keeps running its own version.
    Process old =
        taskq.processBuilder(tmp, List.of(oldLauncher.toString(), "--version"), Map.of()).start();
    assertThat(new String(old.getInputStream().readAllBytes())).startsWith("taskq " + version());
    assertThat(old.waitFor()).isZero();

    String back =
        taskq.run(tmp, "install", "--no-archive"); // 9.9.9 installing itself again: nothing to do
    assertThat(back).contains("unchanged ~/.local/bin/taskq runs taskq 9.9.9");
    assertThat(back).contains("note      kept " + version() + " in ~/.local/share/taskq");

    InstalledTaskq.into(home); // and back down
    assertThat(taskq.run(tmp, "--version")).startsWith("taskq " + version() + "\n");
  }

  @Test
  void a_command_someone_else_put_there_is_never_overwritten() throws Exception {
    Path home = tmp.resolve("home");
    Path command = Files.createDirectories(home.resolve(".local/bin")).resolve("taskq");
    Files.writeString(command, "#!/bin/sh\necho mine\n");

    InstalledTaskq user = InstalledTaskq.at(home);
    ProcessBuilder pb =
        user.processBuilder(
            tmp,
            List.of(InstalledTaskq.java(), "-jar", InstalledTaskq.builtJar().toString(), "install"),
            Map.of());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    String err = new String(p.getErrorStream().readAllBytes());

    assertThat(p.waitFor()).isEqualTo(1);
    assertThat(out).isEmpty();
    assertThat(err.lines()).hasSize(1);
    assertThat(err)
        .contains(command + " exists and was not written by taskq install", "move it away");
    assertThat(Files.readString(command)).isEqualTo("#!/bin/sh\necho mine\n");
    assertThat(home.resolve(".local/share")).doesNotExist();
  }

  @Test
  void a_link_to_a_clones_launcher_left_by_0_1_0_is_replaced() throws Exception {
    Path home = tmp.resolve("home");
    Path clone = Files.createDirectories(tmp.resolve("taskq-clone"));
    Path cloneLauncher = clone.resolve("taskq");
    Files.writeString(cloneLauncher, "#!/usr/bin/env bash\n# taskq launcher: builds target/...\n");
    Path command = Files.createDirectories(home.resolve(".local/bin")).resolve("taskq");
    Files.createSymbolicLink(command, cloneLauncher);

    InstalledTaskq taskq = InstalledTaskq.into(home);

    assertThat(Launcher.read(command)).isNotNull();
    assertThat(taskq.run(tmp, "--version")).startsWith("taskq " + version());
    assertThat(cloneLauncher)
        .hasContent("#!/usr/bin/env bash\n# taskq launcher: builds target/...");
  }

  @Test
  void install_says_so_when_its_folder_is_not_on_path() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    InstalledTaskq user = InstalledTaskq.at(home);
    Map<String, String> env = new LinkedHashMap<>(user.env());
    env.put("PATH", "/usr/bin:/bin");
    Process p =
        user.processBuilder(
                tmp,
                List.of(
                    InstalledTaskq.java(),
                    "-jar",
                    InstalledTaskq.builtJar().toString(),
                    "install",
                    "--no-archive"),
                env)
            .start();
    String out = new String(p.getInputStream().readAllBytes());

    assertThat(p.waitFor()).isZero();
    assertThat(out)
        .contains(
            "note      ~/.local/bin is not on your PATH, and Claude Code starts `taskq serve`"
                + " through it: add `export PATH=\"$HOME/.local/bin:$PATH\"`");
  }
}

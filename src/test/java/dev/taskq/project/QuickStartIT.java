package dev.taskq.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Quick start as written: {@code ./taskq install} in a clone, {@code taskq init} in a
 * project; then the clone's tests rebuild its jar. {@code taskq doctor} must stay clean: 0.1.0
 * registered the clone's jar and kept the archive in the project, so a rebuild staled it.
 */
class QuickStartIT {
  @TempDir Path tmp;

  @Test
  void install_then_init_leave_doctor_clean_even_after_the_clone_rebuilds_its_jar()
      throws Exception {
    Path repoLauncher = Path.of("taskq").toAbsolutePath();
    assertThat(repoLauncher)
        .as("the clone's launcher, run from the repository root")
        .isRegularFile();
    Path clone = Files.createDirectories(tmp.resolve("taskq-clone"));
    Files.copy(repoLauncher, clone.resolve("taskq"));
    Path jar =
        Files.copy(
            InstalledTaskq.builtJar(),
            Files.createDirectories(clone.resolve("target")).resolve("taskq.jar"));
    InstalledTaskq user = InstalledTaskq.at(tmp.resolve("home"));
    Path project = Files.createDirectories(tmp.resolve("shop"));

    Process install =
        user.processBuilder(clone, List.of("./taskq", "install"), Map.of())
            .redirectErrorStream(true)
            .start();
    String installed = new String(install.getInputStream().readAllBytes());
    assertThat(install.waitFor()).as(installed).isZero();
    assertThat(installed).contains("made      start-up archive").doesNotContain("note");
    String init = user.run(project, "init");
    assertThat(init)
        .contains("claude mcp add taskq --scope project -- taskq serve")
        .doesNotContain("note");

    // `bash .ci/run` / `mvn verify` in the clone: a new target/taskq.jar.
    InstalledTaskq.withVersion(jar, "9.9.9-SNAPSHOT", jar);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));

    InstalledTaskq.Result doctor = user.result(project, "doctor");

    assertThat(doctor.code()).as(doctor.out()).isZero();
    assertThat(doctor.out())
        .contains("ok    start-up archive ~/.cache/taskq/")
        .contains("ok    " + project.resolve(".mcp.json") + " starts `taskq serve`")
        .endsWith("0 problem(s), 0 warning(s)\n");
  }
}

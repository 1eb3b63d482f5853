package dev.taskq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.project.TaskqVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The built jar and the ./taskq launcher as separate processes, the way people run them. */
class CliIT {
  static final Path JAR =
      Path.of(System.getProperty("taskq.jar", "target/taskq.jar")).toAbsolutePath();
  static final Path REPO = JAR.getParent().getParent();

  @TempDir Path project;

  record Run(int code, String out, String err) {}

  @BeforeEach
  void jarIsBuilt() {
    assertThat(JAR).isRegularFile();
  }

  Run run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile());
    pb.environment().remove("TASKQ_DIR");
    pb.environment().remove("CLAUDE_PROJECT_DIR");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    var out = p.getInputStream().readAllBytes();
    var err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  Run taskq(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    return run(cmd, Map.of());
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Test
  void exit_codes_are_0_1_and_2_with_one_line_errors() throws Exception {
    Run ok = taskq("--version");
    Run failure = taskq("status", "--dir", project.resolve("none").toString());
    Run usage = taskq("frobnicate");

    assertThat(ok.code()).isZero();
    assertThat(ok.out()).startsWith("taskq " + TaskqVersion.current() + "\n");
    assertThat(failure.code()).isEqualTo(1);
    assertThat(failure.err().lines()).hasSize(1);
    assertThat(failure.err()).startsWith("taskq: NOT_FOUND: no queue at ");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err().lines()).hasSize(1);
  }

  @Test
  void init_registers_taskq_serve_and_copies_the_claude_md_template_the_jar_carries()
      throws Exception {
    Run init = taskq("init");

    assertThat(init.code()).as(init.err()).isZero();
    JsonNode entry =
        JsonText.MAPPER
            .readTree(Files.readString(project.resolve(".mcp.json")))
            .path("mcpServers")
            .path("taskq");
    assertThat(entry.toString())
        .isEqualTo("{\"type\":\"stdio\",\"command\":\"taskq\",\"args\":[\"serve\"]}");
    assertThat(init.out()).contains("claude mcp add taskq --scope project -- taskq serve");

    // The jar carries the repository's CLAUDE.md.template, and init copies it in whole.
    Path template = REPO.resolve("CLAUDE.md.template");
    assertThat(Files.readString(project.resolve("CLAUDE.md")))
        .contains(Files.readString(template).strip());
  }

  @Test
  void the_launcher_runs_the_jar_from_any_directory_and_through_a_symlink() throws Exception {
    Path launcher = REPO.resolve("taskq");

    Path link = Files.createSymbolicLink(project.resolve("taskq-link"), launcher);
    Run version = run(List.of(link.toString(), "--version"), Map.of());
    Run init = run(List.of(launcher.toString(), "init"), Map.of());

    assertThat(version.code()).as(version.err()).isZero();
    assertThat(version.out()).startsWith("taskq " + TaskqVersion.current() + "\n");
    assertThat(init.code()).as(init.err()).isZero();
    assertThat(init.out()).contains("  " + launcher + " status --watch");
    assertThat(project.resolve("tasks/pending")).isDirectory();
  }
}

package dev.taskq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code taskq init} makes the class-data archive the registered command uses, keeps it while it
 * fits, and re-makes it when the jar changes; a server started with it keeps stdout clean.
 */
class StartupCacheIT {
  @TempDir Path project;
  @TempDir Path bin;

  private record Run(int code, String out) {}

  private Run init(Path jar) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(CliIT.javaBin(), "-jar", jar.toString(), "init")
            .directory(project.toFile())
            .redirectErrorStream(true);
    pb.environment().remove("TASKQ_DIR");
    pb.environment().remove("CLAUDE_PROJECT_DIR");
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  private List<String> registeredCommand() throws Exception {
    JsonNode entry =
        JsonText.MAPPER
            .readTree(Files.readString(project.resolve(".mcp.json")))
            .path("mcpServers")
            .path("taskq");
    List<String> command = new ArrayList<>();
    command.add(entry.path("command").asString());
    entry.path("args").forEach(a -> command.add(a.asString()));
    return command;
  }

  @Test
  void init_makes_the_archive_the_server_uses_keeps_it_and_remakes_it_for_a_rebuilt_jar()
      throws Exception {
    Path jar = Files.copy(CliIT.JAR, bin.resolve("taskq.jar"));
    Path archive = project.resolve("tasks/.taskq/server.jsa");

    Run first = init(jar);

    assertThat(first.code()).as(first.out()).isZero();
    assertThat(first.out()).contains("made      start-up cache .taskq/server.jsa");
    assertThat(archive).isRegularFile();
    List<String> command = registeredCommand();
    assertThat(command).contains("-XX:SharedArchiveFile=" + archive, "-Xlog:disable");
    assertThat(archiveFits(command)).isTrue();
    assertThat(firstStdoutLine(command)).startsWith("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\"");
    assertThat(project.resolve("tasks/.taskq")).isDirectoryNotContaining("glob:**/warmup-*");

    String registration = Files.readString(project.resolve(".mcp.json"));
    Run second = init(jar);

    assertThat(second.out()).contains("unchanged start-up cache .taskq/server.jsa fits");
    assertThat(Files.readString(project.resolve(".mcp.json"))).isEqualTo(registration);

    // A rebuild changes the jar's time: the JVM would ignore the archive (silently, thanks to
    // -Xlog:disable), so the server must still start cleanly, and init must re-make it.
    Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    assertThat(archiveFits(command)).isFalse();
    assertThat(firstStdoutLine(command)).startsWith("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\"");

    Run third = init(jar);

    assertThat(third.out()).contains("made      start-up cache");
    assertThat(archiveFits(command)).isTrue();
  }

  /** The same check init makes: a JVM that refuses to start unless it can map the archive. */
  private static boolean archiveFits(List<String> command) throws Exception {
    List<String> check = new ArrayList<>(List.of(command.get(0), "-Xshare:on"));
    for (String a : command) {
      if (a.startsWith("-XX:SharedArchiveFile=")) {
        check.add(a);
      }
    }
    check.addAll(List.of("-cp", command.get(command.indexOf("-jar") + 1), "-version"));
    Process p = new ProcessBuilder(check).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() == 0;
  }

  private String firstStdoutLine(List<String> command) throws Exception {
    return InitializeProbe.run(command, project, project.resolve("tasks").toString()).firstLine();
  }
}

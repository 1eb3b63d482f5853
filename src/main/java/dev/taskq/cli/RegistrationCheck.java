package dev.taskq.cli;

import dev.taskq.cli.Doctor.Finding;
import dev.taskq.cli.Doctor.Level;
import dev.taskq.project.InstallPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What the project's .mcp.json (the nearest one at or above the working folder, as Claude Code
 * finds it) registers for taskq: {@code taskq serve}, or 0.1.0's machine-specific command.
 */
final class RegistrationCheck {
  private final Path cwd;

  RegistrationCheck(Path cwd) {
    this.cwd = cwd;
  }

  List<Finding> findings() {
    Path file = nearest(cwd);
    if (file == null) {
      return List.of(
          new Finding(
              Level.info,
              "no .mcp.json in " + cwd + " or above: run `taskq init` in your project's root"));
    }
    JsonNode entry;
    try {
      entry = JsonText.MAPPER.readTree(Files.readString(file)).path("mcpServers").path("taskq");
    } catch (JacksonException | IOException e) {
      return List.of(
          new Finding(Level.fail, file + " is not valid JSON: fix it, then run `taskq init`"));
    }
    if (entry.isMissingNode()) {
      return List.of(new Finding(Level.info, file + " has no taskq server: run `taskq init`"));
    }
    String command = entry.path("command").asString("");
    List<String> args = new ArrayList<>();
    entry.path("args").forEach(a -> args.add(a.asString("")));
    String env = entry.path("env").path("TASKQ_DIR").asString("");
    if (command.equals(InstallPaths.COMMAND) && args.equals(Registration.ARGS)) {
      String named = env.isEmpty() ? "" : " with TASKQ_DIR=" + env;
      return List.of(new Finding(Level.ok, file + " starts `taskq serve`" + named));
    }
    if (args.contains("-jar")) {
      String dir =
          env.contains("${CLAUDE_PROJECT_DIR")
              ? ", and its TASKQ_DIR gives a session started in a subfolder or a worktree a queue"
                  + " of its own"
              : "";
      return List.of(
          new Finding(
              Level.warn,
              file
                  + " starts taskq the 0.1.0 way, with this machine's java and jar paths: a"
                  + " teammate's clone cannot start it and a rebuild of that jar breaks it"
                  + dir
                  + "; run `taskq init` to register `taskq serve`"));
    }
    return List.of(
        new Finding(
            Level.info,
            file
                + " starts taskq as `"
                + command
                + " "
                + String.join(" ", args)
                + "`, not what taskq init writes (`taskq serve`)"));
  }

  private static Path nearest(Path from) {
    for (Path d = from; d != null; d = d.getParent()) {
      Path f = d.resolve(".mcp.json");
      if (Files.isRegularFile(f)) {
        return f;
      }
    }
    return null;
  }
}

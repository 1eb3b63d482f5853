package dev.taskq.hooks;

import dev.taskq.claude.ClaudeBinary;
import dev.taskq.claude.ClaudeRunner;
import dev.taskq.claude.ScriptedModel;
import dev.taskq.claude.TaskqJar;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A project set up by {@code taskq init} (so its .claude/settings.json has taskq's hooks, exactly
 * as users get them) and a {@code taskq} command on claude's PATH that works like the installed
 * launcher: the fast hooks in {@code hooks.sh}, everything else in the built jar.
 */
final class HookedProject {
  final Path root;
  final Path project;
  final Path queue;
  final Path bin;
  final Path mcpConfig;
  final Map<String, String> env = new HashMap<>();

  HookedProject(Path root) throws Exception {
    this.root = root;
    project = Files.createDirectories(root.resolve("project"));
    queue = project.resolve("tasks");
    bin = Files.createDirectories(root.resolve("bin"));
    Path hooks = bin.resolve("hooks.sh");
    try (InputStream in = Hooks.class.getResourceAsStream("hooks.sh")) {
      Files.write(hooks, in.readAllBytes());
    }
    Path taskq = bin.resolve("taskq");
    Files.writeString(
        taskq,
        "#!/bin/sh\n"
            + "case \"${1:-} ${2:-}\" in\n"
            + "  'hook pre-tool-use' | 'hook post-tool-use' | 'hook user-prompt-submit')\n"
            + "    . '"
            + hooks
            + "'\n"
            + "    exit 0 ;;\n"
            + "esac\n"
            + "exec '"
            + TaskqJar.java()
            + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -jar '"
            + TaskqJar.path()
            + "' \"$@\"\n");
    Files.setPosixFilePermissions(taskq, PosixFilePermissions.fromString("rwxr-xr-x"));
    env.put("PATH", bin + ":" + System.getenv("PATH"));
    TaskqJar.run(project, Map.of("HOME", root.toString()), "init");
    mcpConfig = root.resolve("mcp.json");
    Files.writeString(
        mcpConfig,
        "{\"mcpServers\":{\"taskq\":{\"type\":\"stdio\",\"command\":\""
            + taskq
            + "\",\"args\":[\"serve\"]}}}");
  }

  /** Sets a variable for claude, its hooks and its taskq server alike. */
  HookedProject with(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** Claude in the project root (project hooks run only there), talking to {@code model}. */
  ClaudeRunner runner(ScriptedModel model, String name) throws IOException {
    Path home = Files.createDirectories(root.resolve("home"));
    ClaudeRunner r =
        new ClaudeRunner(ClaudeBinary.require(), model.clientEnv(home))
            .cwd(project)
            .mcpConfig(mcpConfig)
            .allowedTools("mcp__taskq__*", "Read", "ToolSearch")
            .logDir(Files.createDirectories(root.resolve("runs").resolve(name)));
    env.forEach(r::env);
    return r;
  }

  /** A store on the project's queue, standing in for another worker. */
  TaskStore store(Duration lease) {
    return StoreFactory.open(new StoreConfig(queue, lease, Clock.systemUTC()));
  }

  String log() throws IOException {
    Path log = queue.resolve("log.txt");
    return Files.exists(log) ? Files.readString(log) : "";
  }
}

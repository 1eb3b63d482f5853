package dev.taskq.hooks;

import dev.taskq.claude.ClaudeBinary;
import dev.taskq.claude.ClaudeRunner;
import dev.taskq.claude.ScriptedModel;
import dev.taskq.project.InstalledTaskq;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A project set up by the installed taskq's {@code taskq init}, the way users get it: {@code taskq
 * install} into a temp HOME (the launcher that answers the fast hooks in sh), {@code init} in the
 * project (its .mcp.json registers {@code taskq serve}, its .claude/settings.json taskq's hooks),
 * and claude started in the project root with that {@code taskq} on its PATH.
 */
final class HookedProject {
  final Path root;
  final Path home;
  final Path project;
  final Path queue;
  final InstalledTaskq taskq;
  final Map<String, String> env = new HashMap<>();

  HookedProject(Path root) throws Exception {
    this.root = root;
    home = Files.createDirectories(root.resolve("home"));
    taskq = InstalledTaskq.into(home);
    project = Files.createDirectories(root.resolve("project"));
    queue = project.resolve("tasks");
    env.putAll(taskq.env());
    taskq.run(project, "init");
  }

  /** Sets a variable for claude, its hooks and its taskq server alike. */
  HookedProject with(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** A taskq command, as a person types it in the project. */
  String run(String... args) throws Exception {
    return taskq.run(project, args);
  }

  /**
   * Claude in the project root (project hooks run only there), talking to {@code model}; the
   * project's .mcp.json starts the server, as {@code claude -p} loads it without approval.
   */
  ClaudeRunner runner(ScriptedModel model, String name) throws IOException {
    ClaudeRunner r =
        new ClaudeRunner(ClaudeBinary.require(), model.clientEnv(home))
            .cwd(project)
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

package dev.taskq.cli;

import dev.taskq.core.TaskState;
import dev.taskq.core.TaskqException;
import dev.taskq.project.CommandPath;
import dev.taskq.project.InstallPaths;
import dev.taskq.project.QueueFinder;
import dev.taskq.project.QueueLocation;
import dev.taskq.project.ShellQuote;
import dev.taskq.store.StoreConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code taskq init}: the queue folders, the server registration and the CLAUDE.md section. Every
 * check runs before the first write, so a refused .mcp.json leaves the whole project untouched.
 */
final class ProjectInit {
  /** Where the registration goes: .mcp.json for the team, or Claude Code's own per-user config. */
  enum Scope {
    project,
    local
  }

  static final List<String> FOLDERS = folders();

  /**
   * Teams may commit the task files; the lock, journal, temp files and worker and session state in
   * .taskq/ are per machine. Committed, this file also marks the queue in a fresh clone.
   */
  static final String GITIGNORE =
      "# taskq's lock, index journal, temp files, worker and session state: per machine, never"
          + " commit.\n"
          + ".taskq/\n";

  private ProjectInit() {}

  /**
   * Sets up {@code ctx.cwd()} as a project. {@code named} is the queue --dir or TASKQ_DIR named, or
   * null for the project's own tasks/ (in a git worktree: the main checkout's, which every session
   * there uses).
   */
  static void run(CliContext ctx, QueueLocation named, Scope scope) {
    run(ctx, named, scope, null, null, null, true);
  }

  /**
   * As {@link #run(CliContext, QueueLocation, Scope)}, with the queue in PostgreSQL when {@code
   * databaseUrl} is given (or the project's tasks/queue.json already says so): {@code queue} and
   * {@code schema} name it there (null: the defaults). {@code hooks}: also register taskq's Claude
   * Code hooks (false for --no-hooks).
   */
  static void run(
      CliContext ctx,
      QueueLocation named,
      Scope scope,
      String databaseUrl,
      String queue,
      String schema,
      boolean hooks) {
    Path project = ctx.cwd();
    Path queueDir = named != null ? named.dir() : QueueFinder.initTarget(project);
    if (named == null) {
      Path existing = QueueFinder.walkUp(queueDir.getParent());
      if (existing != null && !existing.equals(queueDir)) {
        throw TaskqException.invalid(
            "queue",
            "a queue is already set up above this folder, at "
                + QueueFinder.label(existing, ctx.env())
                + ", and every session and command here uses it; run `taskq init` in "
                + QueueFinder.label(existing.getParent(), ctx.env())
                + ", or pass --dir tasks to set up a separate queue for this folder");
      }
    }
    if (Files.exists(queueDir) && !Files.isDirectory(queueDir)) {
      throw TaskqException.invalid("--dir", queueDir + " exists and is not a directory");
    }
    DatabaseInit database = DatabaseInit.choose(ctx, queueDir, databaseUrl, queue, schema);
    Registration registration =
        new Registration(
            QueueFinder.wouldFind(project, queueDir) ? null : queueDir.toString(),
            database != null);
    // A queue in a database keeps no task files: tasks/ holds only machine-local state and the
    // settings file, so no empty state folders invite a person to drop a task file there.
    List<String> missing =
        database != null
            ? (Files.isDirectory(queueDir) ? List.of() : List.of("."))
            : FOLDERS.stream().filter(f -> !Files.isDirectory(queueDir.resolve(f))).toList();
    String checked = database == null ? null : database.check(queueDir);
    McpJsonFile.Plan mcp =
        scope == Scope.project
            ? McpJsonFile.plan(project.resolve(".mcp.json"), registration)
            : null;
    String memory = scope == Scope.project ? "CLAUDE.md" : "CLAUDE.local.md";
    String template = ClaudeMdFile.template();
    ClaudeMdFile.Plan claudeMd =
        template == null ? null : ClaudeMdFile.plan(project.resolve(memory), template);
    String settingsName = scope == Scope.project ? "settings.json" : "settings.local.json";
    ClaudeSettingsFile.Plan claudeSettings =
        hooks ? ClaudeSettingsFile.plan(project.resolve(".claude").resolve(settingsName)) : null;

    List<String> report = new ArrayList<>();
    String shownDir = shown(ctx, project, queueDir);
    if (missing.isEmpty()) {
      report.add(line("unchanged", shownDir + "/ is already set up"));
    } else {
      createFolders(queueDir, missing);
      report.add(
          line(
              "created",
              shownDir + "/" + (database != null ? "" : " with " + String.join(", ", missing))));
    }
    if (database != null) {
      report.add(line(database.url() == null ? "note" : "connected", checked));
      Path settings = queueDir.resolve(StoreConfig.SETTINGS_FILE);
      String text = database.settingsText();
      boolean same = Files.isRegularFile(settings) && text.equals(readQuietly(settings));
      if (!same) {
        AtomicText.write(settings, text);
      }
      report.add(
          line(
              same ? "unchanged" : "wrote",
              shownDir
                  + "/"
                  + StoreConfig.SETTINGS_FILE
                  + ": queue "
                  + database.queue()
                  + " in PostgreSQL, schema "
                  + database.schema()
                  + " (no secret in it: commit it)"));
      int files = DatabaseInit.taskFiles(queueDir);
      if (files > 0) {
        report.add(
            line(
                "note",
                files
                    + " task file(s) in "
                    + shownDir
                    + "/ stay as they are; `taskq import "
                    + shownDir
                    + "` moves them into the database"));
      }
    }
    Path ignore = queueDir.resolve(".gitignore");
    if (!Files.exists(ignore)) {
      AtomicText.write(ignore, GITIGNORE);
      report.add(line("wrote", shownDir + "/.gitignore: tasks can be committed, .taskq/ is not"));
    }
    if (mcp != null) {
      if (mcp.changes()) {
        AtomicText.write(mcp.file(), mcp.text());
      }
      report.add(line(mcp.changes() ? "wrote" : "unchanged", ".mcp.json " + describe(mcp)));
    }
    if (claudeMd == null) {
      report.add(line("skipped", memory + ": this build of taskq carries no CLAUDE.md.template"));
    } else if (claudeMd.changes()) {
      AtomicText.write(claudeMd.file(), claudeMd.text());
      report.add(line("wrote", memory + ": " + claudeMd.action() + " the taskq section"));
    } else {
      report.add(line("unchanged", memory + " already has the taskq section"));
    }
    if (registration.queueDir() != null) {
      report.add(
          line(
              "note",
              "sessions started in this project would not find "
                  + shownDir
                  + " by themselves, so the entry names it in TASKQ_DIR: a path of this machine"));
    }
    report.add(hooksLine(claudeSettings, ".claude/" + settingsName));
    Path installed = CommandPath.find(InstallPaths.COMMAND, ctx.env());
    if (installed == null) {
      report.add(
          line(
              "note",
              "`taskq` is not on this machine's PATH, so sessions cannot start the server yet:"
                  + " run `./taskq install` in a taskq clone (README, Quick start)"));
    }
    print(ctx.out(), project, scope, registration, report, selfCommand(ctx));
    if (database != null) {
      database.printNextSteps(ctx.out(), shownDir);
    }
  }

  private static String readQuietly(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      return null;
    }
  }

  /** Writes the hooks' settings when they change, and says what happened. */
  private static String hooksLine(ClaudeSettingsFile.Plan settings, String shown) {
    if (settings == null) {
      return line("skipped", shown + ": no hooks (--no-hooks)");
    }
    String kept =
        settings.kept() == 0
            ? ""
            : " (kept " + settings.kept() + " other hook" + (settings.kept() == 1 ? ")" : "s)");
    if (!settings.changes()) {
      return line("unchanged", shown + " already has taskq's hooks" + kept);
    }
    try {
      Files.createDirectories(settings.file().getParent());
    } catch (IOException e) {
      throw TaskqException.storeError(
          "cannot create " + settings.file().getParent() + ": " + e.getMessage(), e);
    }
    AtomicText.write(settings.file(), settings.text());
    return line(
        "wrote",
        shown
            + ": "
            + settings.action()
            + " taskq's hooks (SessionStart, UserPromptSubmit, PreToolUse, PostToolUse, Stop,"
            + " StopFailure)"
            + kept);
  }

  /**
   * How the user runs taskq: plain "taskq" when that is what PATH finds, "./taskq" for a clone's
   * launcher right here, else the launcher's path.
   */
  static String selfCommand(CliContext ctx) {
    Path onPath = CommandPath.find(InstallPaths.COMMAND, ctx.env());
    String launcher = ctx.env().get("TASKQ_LAUNCHER");
    if (launcher == null || launcher.isBlank()) {
      return onPath != null
          ? InstallPaths.COMMAND
          : "java -jar " + ShellQuote.quote(ctx.jar().toString());
    }
    Path l = ctx.cwd().resolve(launcher).normalize();
    if (onPath != null && sameFile(onPath, l)) {
      return InstallPaths.COMMAND;
    }
    return ctx.cwd().equals(l.getParent())
        ? "./" + l.getFileName()
        : ShellQuote.quote(l.toString());
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static void print(
      PrintWriter out,
      Path project,
      Scope scope,
      Registration registration,
      List<String> report,
      String self) {
    out.println("taskq init in " + project);
    report.forEach(out::println);
    out.println();
    if (scope == Scope.project) {
      out.println("The same registration by hand:");
    } else {
      out.println("Register taskq for you only in this project (Claude Code keeps local servers");
      out.println("in its own ~/.claude.json, which taskq does not edit):");
    }
    out.println("  " + registration.claudeMcpAdd(scope.name()));
    out.println();
    out.println(
        "Next: start Claude Code here and approve the taskq server (claude -p needs no approval),");
    out.println(
        "then run /mcp__taskq__plan with a goal, or /mcp__taskq__work in a few sessions. Watch:");
    out.println("  " + self + " status --watch");
  }

  private static String describe(McpJsonFile.Plan p) {
    String kept = p.others().isEmpty() ? "" : " (kept " + String.join(", ", p.others()) + ")";
    return switch (p.action()) {
      case "created" -> "created with the taskq server";
      case "added" -> "added the taskq server" + kept;
      case "updated" -> "updated the taskq server to `taskq serve`" + kept;
      default -> "already registers taskq with these settings";
    };
  }

  private static String line(String what, String detail) {
    return "  " + HumanFormat.pad(what, 10) + detail;
  }

  private static String shown(CliContext ctx, Path project, Path queueDir) {
    Path q = queueDir.toAbsolutePath().normalize();
    return q.startsWith(project) && !q.equals(project)
        ? project.relativize(q).toString()
        : QueueFinder.label(q, ctx.env());
  }

  private static void createFolders(Path queueDir, List<String> missing) {
    try {
      for (String f : missing) {
        Files.createDirectories(queueDir.resolve(f));
      }
    } catch (IOException e) {
      throw TaskqException.storeError("cannot create " + queueDir + ": " + e.getMessage(), e);
    }
  }

  private static List<String> folders() {
    List<String> f = new ArrayList<>();
    for (TaskState s : TaskState.values()) {
      f.add(s.folder());
    }
    f.add("checkpoints");
    return List.copyOf(f);
  }
}

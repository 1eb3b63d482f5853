package dev.taskq.cli;

import dev.taskq.project.Installer;
import java.io.PrintWriter;

/** {@code taskq install}: runs the {@link Installer} and prints what it did, one line a step. */
final class UserInstall {
  private UserInstall() {}

  static void run(CliContext ctx, boolean makeArchive) {
    Installer.Result r = new Installer(ctx.env(), ctx.jar(), ctx.java()).run(makeArchive);
    PrintWriter out = ctx.out();
    out.println("taskq install " + r.version());
    r.steps().forEach(s -> out.println("  " + HumanFormat.pad(s.what(), 10) + s.detail()));
    r.notes().forEach(n -> out.println("  " + HumanFormat.pad("note", 10) + n));
    out.println();
    out.println("Next: in each project, run `taskq init` (once; commit what it writes). Its");
    out.println(
        ".mcp.json entry is `taskq serve`, the same on every machine that installed taskq.");
  }
}

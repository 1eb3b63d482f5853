package dev.taskq;

import dev.taskq.cli.Cli;
import dev.taskq.cli.CliContext;
import dev.taskq.hooks.Hooks;
import dev.taskq.mcp.TaskqServer;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;

/**
 * The only class that touches System.in/out/err, the environment and System.exit. Everything below
 * it takes streams, an environment map and a clock, so tests drive it directly.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
    if (args.length == 1 && args[0].equals("serve")) {
      // The command Claude Code runs for every session: straight to the server, without building
      // the CLI's picocli model, since start-up time is the session's wait.
      System.exit(serve(stdout));
    }
    if (args.length >= 1 && args[0].equals("hook") && !Arrays.asList(args).contains("--help")) {
      // Claude Code runs this on session events: straight to the hook, no CLI model to build.
      System.exit(
          Hooks.run(
              args.length > 1 ? args[1] : "",
              System.getenv(),
              Path.of("").toAbsolutePath(),
              new FileInputStream(FileDescriptor.in),
              new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8)),
              new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8)),
              Clock.systemUTC()));
    }
    PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8));
    PrintWriter err =
        new PrintWriter(
            new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8),
            true);
    CliContext ctx =
        new CliContext(
            System.getenv(),
            Path.of("").toAbsolutePath(),
            new FileInputStream(FileDescriptor.in),
            stdout,
            out,
            err,
            Clock.systemUTC(),
            isTerminal(),
            thisJar(),
            Path.of(System.getProperty("java.home"), "bin", "java"));
    if (args.length > 0 && args[0].equals("serve")) {
      System.setOut(System.err); // serve with options: same stdout guard as above
    }
    System.exit(Cli.run(ctx, args));
  }

  private static int serve(FileOutputStream protocol) {
    // stdout is the JSON-RPC stream: anything else printed by mistake goes to stderr instead.
    System.setOut(System.err);
    return TaskqServer.serve(
        System.getenv(),
        Path.of("").toAbsolutePath(),
        new FileInputStream(FileDescriptor.in),
        protocol,
        Clock.systemUTC());
  }

  /** Whether stdout is a terminal (colour and in-place redraw only then). */
  private static boolean isTerminal() {
    Console c = System.console();
    if (c == null) {
      return false;
    }
    if (Runtime.version().feature() < 22) {
      return true; // before 22 a console exists only when stdin and stdout are terminals
    }
    try {
      // Java 22+ hands out a console even when redirected; isTerminal() tells the truth.
      return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  /** The jar this class runs from; when run from target/classes, the jar the build makes there. */
  private static Path thisJar() {
    try {
      Path p = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(p) ? p : p.resolveSibling("taskq.jar");
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return Path.of("target", "taskq.jar").toAbsolutePath();
    }
  }
}

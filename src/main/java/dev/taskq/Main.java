package dev.taskq;

import dev.taskq.mcp.TaskqServer;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The only class that touches System.in/out/err, the environment and System.exit. Everything below
 * it takes streams, an environment map and a clock, so tests drive it directly.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length == 1 && args[0].equals("serve")) {
      // stdout is the JSON-RPC stream: anything else printed by mistake goes to stderr instead.
      FileOutputStream protocol = new FileOutputStream(FileDescriptor.out);
      System.setOut(System.err);
      System.exit(
          TaskqServer.serve(
              System.getenv(),
              Path.of("").toAbsolutePath(),
              new FileInputStream(FileDescriptor.in),
              protocol,
              Clock.systemUTC()));
    }
    // The CLI issue adds the other commands.
    System.err.println("usage: taskq serve");
    System.exit(2);
  }
}

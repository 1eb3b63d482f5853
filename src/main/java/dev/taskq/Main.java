package dev.taskq;

/**
 * The only class that touches System.in/out/err, the environment and System.exit. Everything below
 * it takes streams, an environment map and a clock, so tests drive it directly.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // Filled in by the MCP server (serve) and CLI issues.
    System.err.println("taskq: not built yet");
    System.exit(1);
  }
}

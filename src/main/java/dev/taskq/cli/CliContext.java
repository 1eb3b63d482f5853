package dev.taskq.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Everything the CLI takes from the outside world, so tests run every command in-process with real
 * files and captured streams.
 *
 * @param cwd the directory the user ran taskq in (the project for {@code init})
 * @param stdout the raw standard output, for the JSON-RPC stream of {@code serve}
 * @param out standard output as text
 * @param tty true when stdout is a terminal: colour and in-place refresh only then
 * @param jar the absolute path of the taskq jar that {@code init} registers
 * @param java the absolute path of the java binary that runs this process
 */
public record CliContext(
    Map<String, String> env,
    Path cwd,
    InputStream in,
    OutputStream stdout,
    PrintWriter out,
    PrintWriter err,
    Clock clock,
    boolean tty,
    Path jar,
    Path java) {

  public CliContext {
    env = Map.copyOf(env);
    cwd = cwd.toAbsolutePath().normalize();
  }

  /** How to draw: colour only on a terminal and never when NO_COLOR is set (no-color.org). */
  public Style style() {
    boolean colour = tty && !env.containsKey("NO_COLOR") && !"dumb".equals(env.get("TERM"));
    return new Style(colour, columns());
  }

  private int columns() {
    try {
      int c = Integer.parseInt(env.getOrDefault("COLUMNS", "").trim());
      return Math.max(40, Math.min(c, 400));
    } catch (NumberFormatException e) {
      return 120;
    }
  }
}

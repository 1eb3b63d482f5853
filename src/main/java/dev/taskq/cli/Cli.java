package dev.taskq.cli;

import dev.taskq.core.Audience;
import dev.taskq.core.TaskqException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Runs one taskq command line: 0 on success, 1 on failure, 2 on a usage error. Errors are one line
 * on stderr; the stack trace follows only with --verbose.
 */
public final class Cli {
  private Cli() {}

  public static int run(CliContext ctx, String... args) {
    TaskqCommand root = new TaskqCommand(ctx);
    CommandLine cl = new CommandLine(root);
    cl.addSubcommand("workers", new WorkersCommand(ctx, root));
    cl.setOut(ctx.out());
    cl.setErr(ctx.err());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(Cli::usageError);
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> failure(ex, cmd.getErr(), root.verbose()));
    try {
      return cl.execute(args);
    } finally {
      ctx.out().flush();
      ctx.err().flush();
    }
  }

  private static int usageError(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName();
    String guess = "";
    if (ex instanceof UnmatchedArgumentException u) {
      List<String> close = close(u);
      if (!close.isEmpty()) {
        guess = "; did you mean " + String.join(" or ", close) + "?";
      }
    }
    cmd.getErr().println(name + ": " + ex.getMessage() + guess + " (see `" + name + " --help`)");
    return 2;
  }

  /**
   * picocli's suggestions, kept only when they are a typo away (at most 2 edits, transpositions
   * counting 1, and fewer than half the word): its own guesses are loose, and "taskq cancel"
   * answered "did you mean release?" sends a person down the wrong road.
   */
  private static List<String> close(UnmatchedArgumentException u) {
    List<String> typed = u.getUnmatched();
    if (typed.isEmpty()) {
      return List.of();
    }
    String word = typed.get(0).replaceFirst("^-+", "");
    return u.getSuggestions().stream()
        .filter(
            s -> {
              int d = TypoDistance.of(word, s.replaceFirst("^-+", ""));
              return d <= 2 && d * 2 < Math.max(word.length(), 2);
            })
        .toList();
  }

  private static int failure(Exception ex, PrintWriter err, boolean verbose) {
    if (ex instanceof TaskqException t) {
      err.println(oneLine("taskq: " + t.describe(Audience.PERSON)));
    } else {
      String msg = ex.getMessage() == null ? "" : ": " + ex.getMessage();
      err.println(
          oneLine(
              "taskq: unexpected "
                  + ex.getClass().getSimpleName()
                  + msg
                  + (verbose ? "" : " (run again with --verbose for details)")));
    }
    if (verbose) {
      ex.printStackTrace(err);
    }
    return 1;
  }

  /** Messages from parsers and the OS can span lines; the error line must stay one line. */
  private static String oneLine(String s) {
    return s.replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}

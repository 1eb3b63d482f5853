package dev.taskq.cli;

/**
 * How terminal output is drawn.
 *
 * @param colour whether to emit ANSI colour codes
 * @param width the line width to fit text into
 */
public record Style(boolean colour, int width) {
  public String bold(String s) {
    return ansi("1", s);
  }

  public String dim(String s) {
    return ansi("2", s);
  }

  public String red(String s) {
    return ansi("31", s);
  }

  public String green(String s) {
    return ansi("32", s);
  }

  public String yellow(String s) {
    return ansi("33", s);
  }

  public String cyan(String s) {
    return ansi("36", s);
  }

  private String ansi(String code, String s) {
    return colour ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
  }
}

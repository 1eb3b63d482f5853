package dev.taskq.project;

import java.util.regex.Pattern;

/** Quotes one word for a POSIX shell, so printed commands can be pasted as they are. */
public final class ShellQuote {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=+,@%-]+");

  private ShellQuote() {}

  public static String quote(String word) {
    if (!word.isEmpty() && SAFE.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}

package dev.taskq.cli;

import java.util.regex.Pattern;

/** Quotes one word for a POSIX shell, so printed commands can be pasted as they are. */
final class ShellQuote {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=+,@%-]+");

  private ShellQuote() {}

  static String quote(String word) {
    if (!word.isEmpty() && SAFE.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}

package dev.taskq.cli;

import dev.taskq.core.Limits;
import dev.taskq.core.TaskqException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code taskq add --instructions-file FILE}: long instructions from a file (or {@code -}, standard
 * input), read as UTF-8 and refused before anything is written when they are not text or too long.
 */
final class InstructionsFile {
  static final String OPTION = "--instructions-file";

  /** UTF-8 takes at most 4 bytes a character: more than this cannot fit the limit. */
  private static final int MAX_BYTES = Limits.INSTRUCTIONS_MAX * 4;

  private InstructionsFile() {}

  static String read(CliContext ctx, String name) {
    byte[] bytes;
    String shown = name.equals("-") ? "standard input" : name;
    try {
      if (name.equals("-")) {
        bytes = readBounded(ctx.in());
      } else {
        Path file = ctx.cwd().resolve(name);
        if (Files.isDirectory(file)) {
          throw TaskqException.invalid(OPTION, name + " is a folder; give a text file");
        }
        try (InputStream in = Files.newInputStream(file)) {
          bytes = readBounded(in);
        }
      }
    } catch (NoSuchFileException e) {
      throw TaskqException.invalid(OPTION, "no file " + name + " (relative to " + ctx.cwd() + ")");
    } catch (IOException e) {
      throw TaskqException.invalid(OPTION, "cannot read " + shown + ": " + e.getMessage());
    }
    if (bytes == null) {
      throw TaskqException.invalid(
          OPTION,
          shown
              + " is longer than instructions may be ("
              + String.format("%,d", Limits.INSTRUCTIONS_MAX)
              + " characters); put the details in a file in the project and name it instead");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw TaskqException.invalid(OPTION, shown + " is not UTF-8 text");
    }
  }

  /** The bytes, or null when there are more than {@link #MAX_BYTES}. */
  private static byte[] readBounded(InputStream in) throws IOException {
    byte[] b = in.readNBytes(MAX_BYTES + 1);
    return b.length > MAX_BYTES ? null : b;
  }
}

package dev.taskq.store.file;

import dev.taskq.store.LogLine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * {@code log.txt}: one {@link LogLine} per event. Each change's lines go out in one append under
 * the queue lock, so lines are never torn or interleaved.
 */
final class EventLog {
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final int TAIL_CHUNK = 64 * 1024;
  private final Path file;

  EventLog(Path file) {
    this.file = file;
  }

  /** Appends whole lines in one write (caller holds the queue lock). */
  void append(List<String> lines) throws IOException {
    if (lines.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l).append('\n');
    }
    ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
    // NOFOLLOW_LINKS: a log.txt that is a link must not make taskq append to a file elsewhere.
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND,
            java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    } catch (IOException e) {
      if (java.nio.file.Files.isSymbolicLink(file)) {
        throw new IOException(
            file + " is a symbolic link; taskq appends only to a plain log.txt in the queue folder",
            e);
      }
      throw e;
    }
  }

  /** The last {@code n} lines, oldest first. */
  List<String> tail(int n) throws IOException {
    Deque<String> out = new ArrayDeque<>();
    readBackwards(
        line -> {
          out.addFirst(line);
          return out.size() < n;
        });
    return new ArrayList<>(out);
  }

  /**
   * The last {@code n} lines about task {@code id}, oldest first, looking back a bounded amount.
   */
  List<String> recentFor(String id, int n) throws IOException {
    Deque<String> out = new ArrayDeque<>();
    long[] scanned = {0};
    readBackwards(
        line -> {
          if (LogLine.isAbout(line, id)) {
            out.addFirst(line);
          }
          scanned[0] += line.length();
          return out.size() < n && scanned[0] < 4L * TAIL_CHUNK;
        });
    return new ArrayList<>(out);
  }

  /** True when {@code line} is among the last lines (used to finish an interrupted operation). */
  boolean recentlyContains(String line) throws IOException {
    boolean[] found = {false};
    long[] scanned = {0};
    readBackwards(
        l -> {
          found[0] = l.equals(line);
          scanned[0] += l.length();
          return !found[0] && scanned[0] < TAIL_CHUNK;
        });
    return found[0];
  }

  interface LineVisitor {
    /** Returns false to stop. */
    boolean visit(String line);
  }

  private void readBackwards(LineVisitor visitor) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long pos = ch.size();
      byte[] carry = new byte[0];
      while (pos > 0) {
        int len = (int) Math.min(TAIL_CHUNK, pos);
        pos -= len;
        ByteBuffer buf = ByteBuffer.allocate(len + carry.length);
        ch.read(buf.limit(len), pos);
        buf.limit(len + carry.length).put(len, carry, 0, carry.length);
        byte[] bytes = buf.array();
        int end = bytes.length;
        for (int i = bytes.length - 1; i >= 0; i--) {
          if (bytes[i] == '\n') {
            if (i + 1 < end
                && !visitor.visit(new String(bytes, i + 1, end - i - 1, StandardCharsets.UTF_8))) {
              return;
            }
            end = i;
          }
        }
        carry = java.util.Arrays.copyOf(bytes, end);
      }
      if (carry.length > 0) {
        visitor.visit(new String(carry, StandardCharsets.UTF_8));
      }
    } catch (NoSuchFileException e) {
      // no log yet
    }
  }
}

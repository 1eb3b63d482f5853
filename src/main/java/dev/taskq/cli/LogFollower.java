package dev.taskq.cli;

import dev.taskq.core.TaskqException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * {@code taskq log -f}: the last lines of log.txt, then every new line as it is appended. It reads
 * the file itself (not the store) so the tail and the follow meet at one byte offset: no line is
 * printed twice or skipped. Only whole lines are printed; the store never tears a line.
 */
final class LogFollower {
  private final Path file;
  private final PrintWriter out;

  LogFollower(Path file, PrintWriter out) {
    this.file = file;
    this.out = out;
  }

  /** Prints the last {@code lines} lines, then follows until interrupted or stdout closes. */
  void follow(int lines, Duration poll) {
    long pos = size();
    tail(pos, lines).forEach(out::println);
    out.flush();
    while (!Thread.currentThread().isInterrupted() && !out.checkError()) {
      pos = printNew(pos);
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private long size() {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw TaskqException.storeError("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The last {@code n} lines of the file's first {@code end} bytes. */
  private Deque<String> tail(long end, int n) {
    Deque<String> last = new ArrayDeque<>();
    if (end == 0 || n == 0) {
      return last;
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      // Read backwards in blocks until n line breaks are in hand; log lines are short.
      long start = end;
      int breaks = 0;
      byte[] block = new byte[8192];
      while (start > 0 && breaks <= n) {
        int len = (int) Math.min(block.length, start);
        start -= len;
        f.seek(start);
        f.readFully(block, 0, len);
        for (int i = 0; i < len; i++) {
          if (block[i] == '\n') {
            breaks++;
          }
        }
      }
      byte[] bytes = new byte[(int) (end - start)];
      f.seek(start);
      f.readFully(bytes);
      String[] all = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
      // The first piece may be a partial line when we did not read from 0; the last is after the
      // final newline (empty, or a line still being written).
      int from = start == 0 ? 0 : 1;
      for (int i = from; i < all.length - 1; i++) {
        last.addLast(all[i]);
        if (last.size() > n) {
          last.removeFirst();
        }
      }
    } catch (IOException e) {
      throw TaskqException.storeError("cannot read " + file + ": " + e.getMessage(), e);
    }
    return last;
  }

  /** Prints whole lines appended since {@code pos}; returns the offset after the last one. */
  private long printNew(long pos) {
    long size = size();
    if (size < pos) {
      pos = 0; // the file was replaced or truncated by hand: start over
    }
    if (size == pos) {
      return pos;
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      byte[] bytes = new byte[(int) Math.min(size - pos, 1 << 20)];
      f.seek(pos);
      f.readFully(bytes);
      int lastNl = -1;
      for (int i = bytes.length - 1; i >= 0; i--) {
        if (bytes[i] == '\n') {
          lastNl = i;
          break;
        }
      }
      if (lastNl < 0) {
        return pos;
      }
      out.print(new String(bytes, 0, lastNl + 1, StandardCharsets.UTF_8));
      out.flush();
      return pos + lastNl + 1;
    } catch (IOException e) {
      throw TaskqException.storeError("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}

package dev.taskq.cli;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import dev.taskq.workers.PoolFiles;
import dev.taskq.workers.RunText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code taskq workers logs WORKER [-f]}: a run's transcript as a person reads it; with {@code -f}
 * it keeps printing what the run adds, then moves on to the worker's next run when one starts.
 */
final class RunFollower {
  private final PoolFiles files;
  private final String worker;
  private final PrintWriter out;

  RunFollower(PoolFiles files, String worker, PrintWriter out) {
    this.files = files;
    this.worker = worker;
    this.out = out;
  }

  void show(Integer run, boolean follow) throws IOException {
    int n = run != null ? run : latest();
    if (n == 0 && !follow) {
      out.println(worker + " has no runs on " + files.queueDir());
      return;
    }
    if (run != null && !Files.exists(files.transcript(worker, n))) {
      throw new TaskqException(
          ErrorCode.NOT_FOUND,
          "--run",
          "no run " + n + " of " + worker + " is kept (the newest 10 runs are)",
          "leave out --run for the latest, or see " + files.worker(worker),
          null);
    }
    long offset = 0;
    if (n > 0) {
      header(n);
      offset = printFrom(files.transcript(worker, n), 0);
    }
    while (follow && !out.checkError() && !Thread.currentThread().isInterrupted()) {
      int newest = latest();
      if (newest > n) {
        if (n > 0) {
          printFrom(files.transcript(worker, n), offset); // what the old run wrote last
        }
        n = newest;
        offset = 0;
        header(n);
      }
      if (n > 0) {
        offset = printFrom(files.transcript(worker, n), offset);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void header(int n) {
    out.println("── " + worker + " run " + n + " · " + files.transcript(worker, n));
    out.flush();
  }

  /** Prints the whole lines after {@code offset}; returns the offset after the last one. */
  private long printFrom(Path file, long offset) throws IOException {
    if (!Files.exists(file)) {
      return offset;
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long end = f.length();
      if (end <= offset) {
        return offset;
      }
      f.seek(offset);
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      long pos = offset;
      long lineStart = offset;
      byte[] buf = new byte[64 * 1024];
      while (pos < end) {
        int n = f.read(buf, 0, (int) Math.min(buf.length, end - pos));
        if (n < 0) {
          break;
        }
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            RunText.lines(line.toString(StandardCharsets.UTF_8)).forEach(out::println);
            line.reset();
            lineStart = pos + i + 1;
          } else {
            line.write(buf[i]);
          }
        }
        pos += n;
      }
      out.flush();
      return lineStart; // a line still being written is read again next time, whole
    }
  }

  private int latest() throws IOException {
    Path dir = files.worker(worker);
    int max = 0;
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "run-*.jsonl")) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        try {
          max = Math.max(max, Integer.parseInt(name.substring(4, name.length() - 6)));
        } catch (NumberFormatException e) {
          // not a run transcript
        }
      }
    }
    return max;
  }
}

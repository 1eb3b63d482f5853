package dev.taskq.workers;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One run's stream-json, line by line as Claude Code printed it, so a person (or {@code taskq
 * workers logs}) can read exactly what happened. Bounded so a runaway run cannot fill the disk:
 * past {@link #MAX_BYTES} only the {@code result} line is still written, after one marker line; and
 * a worker keeps only its newest {@link #KEEP_RUNS} runs.
 */
public final class Transcript implements AutoCloseable {
  static final long MAX_BYTES = 8L << 20;
  static final int KEEP_RUNS = 10;

  private final BufferedWriter out;
  private long written;
  private boolean truncated;

  public Transcript(Path file) {
    try {
      Files.createDirectories(file.getParent());
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes one line; flushed, so {@code workers logs -f} sees it at once. */
  public void line(String line) throws IOException {
    long size = line.length() + 1L;
    if (written + size > MAX_BYTES) {
      if (!line.startsWith("{\"type\":\"result\"")) {
        if (!truncated) {
          truncated = true;
          out.write("{\"type\":\"taskq_truncated\",\"after_bytes\":" + written + "}\n");
          out.flush();
        }
        return;
      }
    }
    out.write(line);
    out.write('\n');
    out.flush();
    written += size;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /** The next run number in a worker's folder: one more than the highest there. */
  static int nextRun(Path workerDir) throws IOException {
    int max = 0;
    for (Path p : runs(workerDir)) {
      max = Math.max(max, runNumber(p));
    }
    return max + 1;
  }

  /** Deletes all but the newest {@code keep} runs (transcript and stderr) of a worker. */
  static void prune(Path workerDir, int keep) throws IOException {
    List<Path> all = runs(workerDir);
    all.sort((a, b) -> Integer.compare(runNumber(b), runNumber(a)));
    for (Path old : all.subList(Math.min(keep, all.size()), all.size())) {
      Files.deleteIfExists(old);
      Files.deleteIfExists(
          old.resolveSibling(old.getFileName().toString().replace(".jsonl", ".stderr")));
    }
  }

  /** A worker's transcripts, in no particular order. */
  static List<Path> runs(Path workerDir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(workerDir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(workerDir, "run-*.jsonl")) {
      ds.forEach(out::add);
    }
    return out;
  }

  static int runNumber(Path transcript) {
    String n = transcript.getFileName().toString();
    try {
      return Integer.parseInt(n.substring(4, n.length() - ".jsonl".length()));
    } catch (RuntimeException e) {
      return 0;
    }
  }
}

package dev.taskq.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a contention run must show afterwards, whoever drained the queue: every task claimed exactly
 * once, one DONE line per task in log.txt, every task file in completed/.
 */
record Drain(
    int tasks, long claims, int distinctClaims, int doneLines, int completedFiles, double seconds) {

  static Drain check(Path dir, int tasks, List<String> claimedIds, double seconds)
      throws IOException {
    Set<String> distinct = new HashSet<>(claimedIds);
    Set<String> done = new HashSet<>();
    int doneLines = 0;
    for (String line : Files.readAllLines(dir.resolve("log.txt"))) {
      int at = line.indexOf(" DONE: ");
      if (at > 0) {
        doneLines++;
        done.add(line.substring(at + 7).split(" ", 2)[0]);
      }
    }
    int files = 0;
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir.resolve("completed"), "*.md")) {
      for (Path ignored : s) {
        files++;
      }
    }
    if (done.size() != doneLines) {
      doneLines = -doneLines; // marks a duplicate DONE line; fails the check below
    }
    return new Drain(tasks, claimedIds.size(), distinct.size(), doneLines, files, seconds);
  }

  long duplicates() {
    return claims - distinctClaims;
  }

  boolean clean() {
    return duplicates() == 0
        && distinctClaims == tasks
        && doneLines == tasks
        && completedFiles == tasks;
  }

  double tasksPerSecond() {
    return tasks / seconds;
  }

  String describe() {
    return String.format(
        "%,d claims, %,d distinct, %,d DONE lines, %,d files in completed/, %.2f s",
        claims, distinctClaims, doneLines, completedFiles, seconds);
  }
}

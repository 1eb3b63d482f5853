package dev.taskq.cli;

import dev.taskq.store.TaskStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code taskq log -f} for a queue with no log file (PostgreSQL): the last lines, then every new
 * line as the store's change signal announces it. Each look reads the latest {@link #WINDOW} lines
 * and prints those after the longest overlap with what it printed; more than that many lines
 * between two looks would show as a gap, said so in one line.
 */
final class StoreLogFollower {
  static final int WINDOW = 500;
  private static final Duration WAIT = Duration.ofSeconds(2);

  private final TaskStore store;
  private final PrintWriter out;

  StoreLogFollower(TaskStore store, PrintWriter out) {
    this.store = store;
    this.out = out;
  }

  /** Prints the last {@code lines} lines, then follows until interrupted or stdout closes. */
  void follow(int lines) {
    long mark = store.changeMark();
    List<String> shown = new ArrayList<>(store.tailLog(WINDOW));
    shown.subList(Math.max(0, shown.size() - lines), shown.size()).forEach(out::println);
    out.flush();
    while (!Thread.currentThread().isInterrupted() && !out.checkError()) {
      long now = store.awaitChange(mark, WAIT);
      if (now == mark) {
        continue;
      }
      mark = now;
      List<String> latest = store.tailLog(WINDOW);
      List<String> fresh = after(shown, latest);
      fresh.forEach(out::println);
      out.flush();
      shown = latest;
    }
  }

  /**
   * The lines of {@code latest} that come after what {@code shown} ends with: {@code latest}'s
   * longest prefix that is also a suffix of {@code shown} is skipped.
   */
  static List<String> after(List<String> shown, List<String> latest) {
    for (int k = Math.min(shown.size(), latest.size()); k > 0; k--) {
      if (shown.subList(shown.size() - k, shown.size()).equals(latest.subList(0, k))) {
        return latest.subList(k, latest.size());
      }
    }
    if (!shown.isEmpty() && latest.size() >= WINDOW) {
      List<String> out = new ArrayList<>();
      out.add("… (more than " + WINDOW + " lines since the last look; see the rest with -n)");
      out.addAll(latest);
      return out;
    }
    return latest;
  }
}

package dev.taskq.hooks;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tasks that finished since the session's last prompt, as the UserPromptSubmit hook prints them:
 * one short line per task ({@code DONE: db-audit — result in tasks/completed/db-audit.md}), the
 * tasks this session enqueued first, at most {@link #SHOWN} lines, then one line for the rest. Kept
 * by the session's taskq server, which watches the queue; the hook only prints {@link #render} and
 * acknowledges its number.
 */
final class News {
  /** Lines shown before "and N more". */
  static final int SHOWN = 5;

  private static final Pattern FINISHED = Pattern.compile("^(\\S+) (DONE|FAILED): (\\S+)(?: .*)?$");

  /** One finished task. {@code seq} grows with every item. */
  record Item(long seq, String id, boolean done, boolean own, String line) {}

  /** A DONE or FAILED line of the log: its time stamp, event and task id; null for other lines. */
  record Finished(String at, boolean done, String id) {}

  private final List<Item> items = new ArrayList<>();
  private final Set<String> own = new LinkedHashSet<>();
  private long seq;

  /** Parses a log line; null unless it says a task finished. */
  static Finished finished(String logLine) {
    Matcher m = FINISHED.matcher(logLine);
    return m.matches() ? new Finished(m.group(1), m.group(2).equals("DONE"), m.group(3)) : null;
  }

  /** Tasks this session enqueued come first. */
  synchronized void enqueued(List<String> ids) {
    own.addAll(ids);
  }

  synchronized void add(String id, boolean done, String line) {
    items.removeIf(i -> i.id().equals(id)); // requeued and finished again: the latest counts
    items.add(new Item(++seq, id, done, own.contains(id), line));
  }

  /** Drops what a prompt already showed (items numbered up to {@code ack}); true when any. */
  synchronized boolean acknowledge(long ack) {
    return items.removeIf(i -> i.seq() <= ack);
  }

  synchronized boolean isEmpty() {
    return items.isEmpty();
  }

  /**
   * The news file: its number (the newest item's) on the first line, then the lines to print; null
   * when there is nothing to tell.
   */
  synchronized String render() {
    if (items.isEmpty()) {
      return null;
    }
    List<Item> ordered = new ArrayList<>(items.size());
    items.stream().filter(Item::own).forEach(ordered::add);
    items.stream().filter(i -> !i.own()).forEach(ordered::add);
    StringBuilder sb = new StringBuilder();
    sb.append(seq).append('\n');
    int shown = ordered.size() > SHOWN ? SHOWN - 1 : ordered.size();
    for (Item i : ordered.subList(0, shown)) {
      sb.append(i.line()).append('\n');
    }
    List<Item> rest = ordered.subList(shown, ordered.size());
    if (!rest.isEmpty()) {
      long done = rest.stream().filter(Item::done).count();
      sb.append("… and ")
          .append(rest.size())
          .append(" more finished since (")
          .append(done)
          .append(" done, ")
          .append(rest.size() - done)
          .append(" failed): read taskq://queue\n");
    }
    return sb.toString();
  }
}

package dev.taskq.cli;

import dev.taskq.cli.Doctor.Finding;
import dev.taskq.cli.Doctor.Level;
import dev.taskq.core.Holder;
import dev.taskq.store.ProcessIdentity;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Claims that have ended but are still in in-progress/: the lease ran out, or the holder's process
 * is gone. It reads the front matter lines itself, because the store ends such claims as soon as it
 * lists the queue and would hide exactly what the doctor wants to report.
 */
final class LeaseCheck {
  private final Path queue;
  private final Instant now;

  LeaseCheck(Path queue, Instant now) {
    this.queue = queue;
    this.now = now;
  }

  List<Finding> findings() {
    List<String> expired = new ArrayList<>();
    List<String> orphaned = new ArrayList<>();
    int claims = 0;
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(queue.resolve("in-progress"), "*.md")) {
      for (Path f : files) {
        Map<String, String> fm = frontMatter(f);
        String id = f.getFileName().toString().replaceFirst("\\.md$", "");
        claims++;
        if (leaseOver(fm.get("lease_until"))) {
          expired.add(id);
        } else if (holderGone(fm)) {
          orphaned.add(id);
        }
      }
    } catch (IOException e) {
      return List.of(new Finding(Level.warn, "cannot read in-progress/: " + e.getMessage()));
    }
    List<Finding> out = new ArrayList<>();
    // The doctor lists the queue next, and listing ends such claims: say so, not "run X".
    String fix =
        " (listing the queue just ended them: back in pending, or failed after max attempts)";
    if (!expired.isEmpty()) {
      out.add(
          new Finding(
              Level.warn, expired.size() + " claim(s) past their lease: " + names(expired) + fix));
    }
    if (!orphaned.isEmpty()) {
      out.add(
          new Finding(
              Level.warn,
              orphaned.size()
                  + " claim(s) whose session process is gone: "
                  + names(orphaned)
                  + fix));
    }
    if (out.isEmpty()) {
      out.add(new Finding(Level.ok, claims + " live claim(s), none stale"));
    }
    return out;
  }

  private boolean leaseOver(String until) {
    if (until == null) {
      return false;
    }
    try {
      return !now.isBefore(Instant.parse(until));
    } catch (DateTimeParseException e) {
      return false; // the store reports an unreadable file as corrupt
    }
  }

  private static boolean holderGone(Map<String, String> fm) {
    try {
      long pid = Long.parseLong(fm.getOrDefault("holder_pid", "0"));
      long start = Long.parseLong(fm.getOrDefault("holder_start", "0"));
      Holder h = new Holder(fm.get("holder_session"), fm.get("holder_host"), pid, start);
      return pid > 0 && !ProcessIdentity.isAlive(h);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String names(List<String> ids) {
    return ids.size() <= 5 ? String.join(", ", ids) : String.join(", ", ids.subList(0, 5)) + ", …";
  }

  /** The flat "key: value" lines between the opening and closing "---". */
  static Map<String, String> frontMatter(Path f) throws IOException {
    Map<String, String> out = new HashMap<>();
    List<String> lines = Files.readAllLines(f);
    if (lines.isEmpty() || !lines.get(0).strip().equals("---")) {
      return out;
    }
    for (int i = 1; i < lines.size() && !lines.get(i).strip().equals("---"); i++) {
      String l = lines.get(i);
      int colon = l.indexOf(':');
      if (colon > 0 && !Character.isWhitespace(l.charAt(0))) {
        String v = l.substring(colon + 1).strip();
        int hash = v.indexOf(" #");
        v = hash >= 0 ? v.substring(0, hash).strip() : v;
        if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'"))) {
          v = v.substring(1, v.length() - 1);
        }
        out.put(l.substring(0, colon).strip(), v);
      }
    }
    return out;
  }
}

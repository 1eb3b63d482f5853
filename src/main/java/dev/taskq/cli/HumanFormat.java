package dev.taskq.cli;

import dev.taskq.core.Progress;
import java.time.Duration;

/** Short renderings people read at a glance: "12m04s", "[██████░░░░] 60/180". */
final class HumanFormat {
  private HumanFormat() {}

  /** "45s", "12m04s", "2h05m", "3d04h"; "expired" for zero. */
  static String duration(Duration d) {
    long s = d.getSeconds();
    if (s <= 0) {
      return "expired";
    }
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }
    return String.format("%dd%02dh", s / 86_400, (s % 86_400) / 3600);
  }

  /** A bar of {@code cells} characters; rounds down so a bar is full only when the work is. */
  static String bar(Progress p, int cells) {
    int filled = (int) (p.done() * cells / p.total());
    return "█".repeat(filled) + "░".repeat(cells - filled);
  }

  /** Cuts {@code s} to {@code max} characters, marking the cut with an ellipsis. */
  static String truncate(String s, int max) {
    if (s == null) {
      return "";
    }
    if (s.length() <= max) {
      return s;
    }
    return max <= 1 ? s.substring(0, Math.max(0, max)) : s.substring(0, max - 1) + "…";
  }

  static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}

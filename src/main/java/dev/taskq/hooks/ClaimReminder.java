package dev.taskq.hooks;

import dev.taskq.core.Checkpoint;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What the SessionStart hook puts into the context when the session holds claims: after {@code
 * /compact}, {@code /clear} or a resume the model no longer remembers them, and would start over or
 * leave the claim to run out. Everything needed to go on is here: id, title, criterion, token,
 * lease, the latest checkpoint and its "next".
 */
final class ClaimReminder {
  private ClaimReminder() {}

  /**
   * The text for {@code found} (not empty), at {@code now}, for a session started by {@code
   * source}.
   */
  static String render(List<HeldClaim> found, String source, Instant now) {
    StringBuilder sb = new StringBuilder(1024);
    sb.append("taskq: ").append(opening(found, source)).append('\n');
    for (HeldClaim f : found) {
      sb.append('\n');
      claim(sb, f, now);
    }
    return sb.toString();
  }

  private static String opening(List<HeldClaim> found, String source) {
    String what =
        found.size() == 1
            ? "this session holds a claim on task " + found.get(0).id()
            : "this session holds claims on " + found.size() + " tasks";
    String why =
        switch (source == null ? "" : source) {
          case "compact" -> " (from before the context was compacted)";
          case "clear" -> " (from before /clear)";
          case "resume" -> " (from before this session was resumed)";
          default -> "";
        };
    return what
        + why
        + ". Continue "
        + (found.size() == 1 ? "it" : "them")
        + " from the latest checkpoint instead of starting over, and do not claim another task"
        + " first.";
  }

  private static void claim(StringBuilder sb, HeldClaim c, Instant now) {
    sb.append("id: ").append(c.id()).append('\n');
    sb.append("title: ").append(c.title()).append('\n');
    sb.append("criterion: ").append(oneLine(c.criterion(), 400)).append('\n');
    sb.append("token: ").append(c.token()).append('\n');
    sb.append("attempt: ").append(c.attempt()).append(" of ").append(c.maxAttempts()).append('\n');
    if (c.interrupted()) {
      sb.append("lease: ended when the session's previous process stopped (")
          .append(c.claimEnded())
          .append("); this session's taskq server takes it back as it starts, with the same")
          .append(" token, unless another session took it over meanwhile (then a call answers")
          .append(" FENCED)\n");
    } else if (c.lapsed() || c.leaseUntil() != null && !now.isBefore(c.leaseUntil())) {
      sb.append("lease: ran out at ")
          .append(instant(c.leaseUntil()))
          .append(" while the session was quiet; nobody has taken the task since, so it is still")
          .append(" yours and is renewed as soon as you work on it again (a checkpoint does it at")
          .append(" once)\n");
    } else {
      sb.append("lease: until ")
          .append(instant(c.leaseUntil()))
          .append(", renewed while this session works; only a checkpoint resets its progress")
          .append(" deadline\n");
    }
    Checkpoint k = c.latest();
    if (k == null) {
      sb.append("latest checkpoint: none yet (claimed ")
          .append(ago(c.progressAt(), now))
          .append("); the instructions are in taskq://tasks/")
          .append(c.id())
          .append('\n');
    } else {
      sb.append("latest checkpoint: #").append(k.n()).append(", ").append(ago(k.at(), now));
      if (k.progress() != null) {
        sb.append(", progress ").append(k.progress());
      }
      sb.append(": ").append(oneLine(k.summary(), 600)).append('\n');
      if (k.next() != null && !k.next().isBlank()) {
        sb.append("next: ").append(oneLine(k.next(), 600)).append('\n');
      }
    }
    sb.append("How to go on: pick up from ")
        .append(k == null ? "the instructions" : "that checkpoint's next step")
        .append("; call write_checkpoint {id:\"")
        .append(c.id())
        .append("\", token:\"")
        .append(c.token())
        .append("\", summary, progress, next} as you go, and complete_task with the same id and")
        .append(" token when the criterion is met (outcome \"released\" hands it back). If a call")
        .append(" answers FENCED, the task was taken over: drop it and call claim_next.\n");
  }

  static String instant(Instant i) {
    return i == null ? "unknown" : i.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** "12 min ago (2026-11-24T13:05:00Z)". */
  static String ago(Instant at, Instant now) {
    if (at == null) {
      return "at an unknown time";
    }
    Duration d = Duration.between(at, now);
    String rel;
    if (d.isNegative() || d.toSeconds() < 60) {
      rel = "just now";
    } else if (d.toMinutes() < 120) {
      rel = d.toMinutes() + " min ago";
    } else {
      rel = d.toHours() + " h ago";
    }
    return rel + " (" + instant(at) + ")";
  }

  /** One line of at most {@code max} characters. */
  static String oneLine(String s, int max) {
    if (s == null) {
      return "";
    }
    String t = s.strip().replaceAll("\\s*\\R\\s*", " / ");
    return t.length() > max ? t.substring(0, max - 3) + "..." : t;
  }
}

package dev.taskq.store.file;

import dev.taskq.core.Definition;
import dev.taskq.core.Ending;
import dev.taskq.core.Holder;
import dev.taskq.core.Lease;
import dev.taskq.core.Outcome;
import dev.taskq.core.Progress;
import dev.taskq.core.Task;
import dev.taskq.core.TaskState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One journal record as one line of tab-separated fields. Every process reads every other process's
 * records under the queue lock, so this runs inside the queue's serial section: a hand-written
 * format here parses about ten times faster than JSON data binding did, which is what lets eight
 * sessions share a queue without queueing behind each other's catch-up.
 *
 * <p>Fields are escaped ({@code \\ \t \n \r}); {@code \N} is null; a list is its size then its
 * items. A line that does not decode is reported as null, and the caller rescans the folders.
 */
final class JournalCodec {
  private static final String NULL = "\\N";

  private JournalCodec() {}

  static byte[] encode(JournalRecord r) {
    StringBuilder sb = new StringBuilder(256);
    if (r.commit()) {
      sb.append('C');
      num(sb, r.seq());
      if (r.mtimes() == null) {
        num(sb, -1);
      } else {
        num(sb, r.mtimes().size());
        for (Long m : r.mtimes()) {
          num(sb, m);
        }
      }
      // Stamps trail the commit (added in 0.2): a commit without them decodes as before.
      if (!r.stampsOrEmpty().isEmpty()) {
        num(sb, r.stampsOrEmpty().size());
        for (Map.Entry<String, Stamp> e : r.stampsOrEmpty().entrySet()) {
          str(sb, e.getKey());
          num(sb, e.getValue().mtime());
          num(sb, e.getValue().size());
          num(sb, e.getValue().key());
        }
      }
    } else {
      sb.append('B');
      num(sb, r.seq());
      num(sb, r.undoable() ? 1 : 0);
      num(sb, r.putOrEmpty().size());
      for (Task t : r.putOrEmpty()) {
        task(sb, t);
      }
      strings(sb, r.delOrEmpty());
      num(sb, r.badOrEmpty().size());
      for (CorruptFile c : r.badOrEmpty()) {
        str(sb, c.path());
        str(sb, c.reason());
      }
      strings(sb, r.goodOrEmpty());
      strings(sb, r.logOrEmpty());
    }
    return sb.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The record on one line (without its newline), or null when it is not one. */
  static JournalRecord decode(byte[] bytes, int start, int len) {
    try {
      Fields f = new Fields(new String(bytes, start, len, StandardCharsets.UTF_8));
      String kind = f.next();
      if ("C".equals(kind)) {
        long seq = f.num();
        int n = (int) f.num();
        List<Long> mtimes = null;
        if (n >= 0) {
          mtimes = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            mtimes.add(f.num());
          }
        }
        Map<String, Stamp> stamps = new HashMap<>();
        if (f.hasMore()) {
          int s = (int) f.num();
          for (int i = 0; i < s; i++) {
            stamps.put(f.str(), new Stamp(f.num(), f.num(), f.num()));
          }
        }
        return f.done(JournalRecord.commit(seq, mtimes, stamps));
      }
      if (!"B".equals(kind)) {
        return null;
      }
      long seq = f.num();
      boolean undoable = f.num() == 1;
      int n = (int) f.num();
      List<Task> put = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        put.add(task(f));
      }
      List<String> del = f.strings();
      int b = (int) f.num();
      List<CorruptFile> bad = new ArrayList<>(b);
      for (int i = 0; i < b; i++) {
        bad.add(new CorruptFile(f.str(), f.str()));
      }
      List<String> good = f.strings();
      List<String> log = f.strings();
      return f.done(JournalRecord.begin(seq, put, del, bad, good, log, undoable));
    } catch (RuntimeException e) {
      return null; // torn, garbled or from another format: the caller rescans
    }
  }

  private static void task(StringBuilder sb, Task t) {
    str(sb, t.id());
    str(sb, t.title());
    str(sb, t.criterion());
    str(sb, t.instructions());
    str(sb, t.lane());
    num(sb, t.priority());
    strings(sb, t.after());
    num(sb, t.attempt());
    num(sb, t.maxAttempts());
    instant(sb, t.created());
    str(sb, t.dedupeKey());
    str(sb, t.state().name());
    Lease l = t.lease();
    if (l == null) {
      str(sb, null);
    } else {
      str(sb, l.token());
      str(sb, l.holder().session());
      str(sb, l.holder().host());
      num(sb, l.holder().pid());
      num(sb, l.holder().processStart());
      instant(sb, l.until());
      instant(sb, l.progressAt());
    }
    num(sb, t.checkpoints());
    str(sb, t.progress() == null ? null : t.progress().toString());
    str(sb, t.outcome() == null ? null : t.outcome().wire());
    instant(sb, t.finished());
    str(sb, t.result());
    str(sb, t.reason());
    num(sb, t.rev());
  }

  private static Task task(Fields f) {
    String id = f.str();
    String title = f.str();
    String criterion = f.str();
    String instructions = f.str();
    String lane = f.str();
    int priority = (int) f.num();
    List<String> after = f.strings();
    int attempt = (int) f.num();
    int maxAttempts = (int) f.num();
    Instant created = f.instant();
    String dedupeKey = f.str();
    TaskState state = TaskState.valueOf(f.str());
    String token = f.str();
    Lease lease = null;
    if (token != null) {
      Holder h = new Holder(f.str(), f.str(), f.num(), f.num());
      lease = new Lease(h, token, f.instant(), f.instant());
    }
    int checkpoints = (int) f.num();
    Progress progress = Progress.parse(f.str());
    String outcome = f.str();
    Instant finished = f.instant();
    String result = f.str();
    String reason = f.str();
    return new Task(
        new Definition(
            id,
            title,
            criterion,
            instructions,
            lane,
            priority,
            after,
            maxAttempts,
            created,
            dedupeKey),
        state,
        attempt,
        lease,
        checkpoints,
        progress,
        Ending.of(outcome == null ? null : Outcome.parse(outcome), finished, reason),
        result,
        f.num());
  }

  private static void strings(StringBuilder sb, List<String> items) {
    num(sb, items.size());
    for (String s : items) {
      str(sb, s);
    }
  }

  private static void num(StringBuilder sb, long n) {
    sb.append('\t').append(n);
  }

  private static void instant(StringBuilder sb, Instant i) {
    if (i == null) {
      str(sb, null);
    } else {
      sb.append('\t').append(i.getEpochSecond()).append('.').append(i.getNano());
    }
  }

  private static void str(StringBuilder sb, String s) {
    sb.append('\t');
    if (s == null) {
      sb.append(NULL);
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\t' -> sb.append("\\t");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        default -> sb.append(c);
      }
    }
  }

  /** Reads the fields of one line in order; any mismatch throws, and the line is rejected. */
  private static final class Fields {
    private final String line;
    private int pos;

    Fields(String line) {
      this.line = line;
    }

    String next() {
      if (pos > line.length()) {
        throw new IllegalArgumentException("line ends early");
      }
      int end = line.indexOf('\t', pos);
      end = end < 0 ? line.length() : end;
      String raw = line.substring(pos, end);
      pos = end + 1;
      return raw;
    }

    String str() {
      String raw = next();
      if (raw.equals(NULL)) {
        return null;
      }
      if (raw.indexOf('\\') < 0) {
        return raw;
      }
      StringBuilder sb = new StringBuilder(raw.length());
      for (int i = 0; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = raw.charAt(++i);
        sb.append(
            switch (e) {
              case '\\' -> '\\';
              case 't' -> '\t';
              case 'n' -> '\n';
              case 'r' -> '\r';
              default -> throw new IllegalArgumentException("bad escape");
            });
      }
      return sb.toString();
    }

    long num() {
      return Long.parseLong(next());
    }

    boolean hasMore() {
      return pos <= line.length();
    }

    Instant instant() {
      String raw = next();
      if (raw.equals(NULL)) {
        return null;
      }
      int dot = raw.indexOf('.');
      return Instant.ofEpochSecond(
          Long.parseLong(raw.substring(0, dot)), Long.parseLong(raw.substring(dot + 1)));
    }

    List<String> strings() {
      int n = (int) num();
      List<String> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(str());
      }
      return out;
    }

    JournalRecord done(JournalRecord r) {
      if (pos <= line.length()) {
        throw new IllegalArgumentException("trailing fields");
      }
      return r;
    }
  }
}

package dev.taskq.store.file;

import dev.taskq.core.Definition;
import dev.taskq.core.Ending;
import dev.taskq.core.Holder;
import dev.taskq.core.Lease;
import dev.taskq.core.Limits;
import dev.taskq.core.Outcome;
import dev.taskq.core.Progress;
import dev.taskq.core.Task;
import dev.taskq.core.TaskId;
import dev.taskq.core.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A task as a Markdown file with YAML front matter: the one format people and agents both read. */
final class TaskFile {
  static final String RESULT_MARK = "<!-- taskq:result -->";
  static final String NO_CRITERION = "(none given: judge by the instructions)";

  private TaskFile() {}

  static String render(Task t) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("id", t.id());
    f.put("title", t.title());
    f.put("criterion", t.criterion());
    putIf(f, "lane", t.lane());
    f.put("priority", t.priority());
    if (!t.after().isEmpty()) {
      f.put("after", t.after());
    }
    f.put("attempt", t.attempt());
    f.put("max_attempts", t.maxAttempts());
    f.put("created", t.created().toString());
    putIf(f, "dedupe_key", t.dedupeKey());
    if (t.checkpoints() > 0) {
      f.put("checkpoints", t.checkpoints());
    }
    putIf(f, "progress", t.progress() == null ? null : t.progress().toString());
    Lease l = t.lease();
    if (l != null) {
      f.put("holder", l.holder().label());
      f.put("holder_session", l.holder().session());
      f.put("holder_host", l.holder().host());
      f.put("holder_pid", l.holder().pid());
      f.put("holder_start", l.holder().processStart());
      f.put("token", l.token());
      f.put("lease_until", l.until().toString());
      putIf(f, "progress_at", l.progressAt() == null ? null : l.progressAt().toString());
    }
    putIf(f, "outcome", t.outcome() == null ? null : t.outcome().wire());
    putIf(f, "finished", t.finished() == null ? null : t.finished().toString());
    putIf(f, "reason", t.reason());
    f.put("rev", t.rev());
    StringBuilder body = new StringBuilder(t.instructions());
    if (t.result() != null) {
      if (body.length() > 0 && body.charAt(body.length() - 1) != '\n') {
        body.append('\n');
      }
      body.append('\n').append(RESULT_MARK).append("\n## Result\n\n").append(t.result());
    }
    if (body.length() > 0 && body.charAt(body.length() - 1) != '\n') {
      body.append('\n');
    }
    return FrontMatter.render(f, body.toString());
  }

  /**
   * Reads a task from the text of {@code <state>/<fileId>.md}. A file without front matter is a
   * hand-written task. Throws IllegalArgumentException saying what is wrong.
   */
  static Task parse(String text, String fileId, TaskState state, Instant fileTime) {
    String idProblem = TaskId.problem(fileId);
    if (idProblem != null) {
      throw new IllegalArgumentException("file name is not a valid task id: " + idProblem);
    }
    FrontMatter.Parts parts = FrontMatter.parse(text);
    String[] bodyAndResult = splitResult(parts.body());
    if (!parts.hadFrontMatter()) {
      return handWritten(bodyAndResult[0], fileId, state, fileTime);
    }
    Map<String, Object> f = parts.fields();
    String id = str(f, "id", fileId);
    if (!id.equals(fileId)) {
      throw new IllegalArgumentException(
          "id in front matter (" + id + ") differs from the file name (" + fileId + ")");
    }
    String title = str(f, "title", null);
    if (title == null || title.isBlank()) {
      throw new IllegalArgumentException("front matter has no title");
    }
    Lease lease = null;
    String token = str(f, "token", null);
    if (token != null && (state == TaskState.IN_PROGRESS || state == TaskState.FAILED)) {
      Holder h =
          new Holder(
              str(f, "holder_session", ""),
              str(f, "holder_host", ""),
              num(f, "holder_pid", 0),
              num(f, "holder_start", 0));
      lease =
          new Lease(
              h,
              token,
              instant(f, "lease_until", Instant.EPOCH),
              f.containsKey("progress_at") ? instant(f, "progress_at", null) : null);
    }
    Definition d =
        new Definition(
            id,
            title.strip(),
            str(f, "criterion", NO_CRITERION),
            bodyAndResult[0],
            lane(emptyToNull(str(f, "lane", null))),
            (int) num(f, "priority", 0),
            list(f, "after"),
            (int) num(f, "max_attempts", Limits.DEFAULT_MAX_ATTEMPTS),
            instant(f, "created", fileTime),
            emptyToNull(str(f, "dedupe_key", null)));
    Ending ending =
        Ending.of(
            outcome(str(f, "outcome", null)),
            f.containsKey("finished") ? instant(f, "finished", fileTime) : null,
            str(f, "reason", null));
    return new Task(
        d,
        state,
        (int) num(f, "attempt", 0),
        lease,
        (int) num(f, "checkpoints", 0),
        Progress.parse(str(f, "progress", null)),
        ending,
        bodyAndResult[1],
        num(f, "rev", 0));
  }

  private static Task handWritten(String body, String id, TaskState state, Instant fileTime) {
    String title = null;
    StringBuilder rest = new StringBuilder();
    for (String line : body.split("\n", -1)) {
      if (title == null) {
        String t = line.replaceFirst("^#+\\s*", "").strip();
        if (!t.isEmpty()) {
          title = t.length() > Limits.TITLE_MAX ? t.substring(0, Limits.TITLE_MAX) : t;
        }
      } else {
        rest.append(line).append('\n');
      }
    }
    if (title == null) {
      throw new IllegalArgumentException("file is empty: write the task's title on its first line");
    }
    String instructions = rest.toString().strip();
    Definition d =
        new Definition(
            id,
            title,
            NO_CRITERION,
            instructions.isEmpty() ? "" : instructions + "\n",
            null,
            0,
            List.of(),
            Limits.DEFAULT_MAX_ATTEMPTS,
            fileTime,
            null);
    return new Task(d, state, 0, null, 0, null, null, null, 0);
  }

  private static String[] splitResult(String body) {
    int mark = body.lastIndexOf(RESULT_MARK);
    if (mark < 0) {
      return new String[] {body, null};
    }
    String instructions = body.substring(0, mark).stripTrailing();
    String after = body.substring(mark + RESULT_MARK.length());
    after = after.replaceFirst("^\\s*## Result[ \\t]*\\n\\n?", "");
    if (after.endsWith("\n")) {
      after = after.substring(0, after.length() - 1);
    }
    return new String[] {instructions.isEmpty() ? "" : instructions + "\n", after};
  }

  private static void putIf(Map<String, Object> f, String key, Object value) {
    if (value != null) {
      f.put(key, value);
    }
  }

  /**
   * A lane a worker can ask for, or the file is reported (never silently run by the wrong workers
   * or by none): hand-written files are checked like enqueued tasks.
   */
  private static String lane(String lane) {
    if (lane != null && (TaskId.problem(lane) != null || lane.length() > Limits.LANE_MAX)) {
      throw new IllegalArgumentException(
          "lane '"
              + lane
              + "' is not a lane any worker can ask for: lanes are a-z, 0-9, '.', '_' and '-' (at"
              + " most "
              + Limits.LANE_MAX
              + " characters), e.g. "
              + suggestion(lane));
    }
    return lane;
  }

  private static String suggestion(String lane) {
    String s = lane.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
    s = s.replaceAll("^[-.]+|-+$", "");
    return s.isEmpty() ? "db" : s.length() > Limits.LANE_MAX ? s.substring(0, Limits.LANE_MAX) : s;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String str(Map<String, Object> f, String key, String dflt) {
    Object v = f.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Map || v instanceof List) {
      throw new IllegalArgumentException(key + " must be a plain value");
    }
    return String.valueOf(v);
  }

  private static long num(Map<String, Object> f, String key, long dflt) {
    Object v = f.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got " + v);
    }
  }

  private static Instant instant(Map<String, Object> f, String key, Instant dflt) {
    Object v = f.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      return Instant.parse(String.valueOf(v).trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          key + " must be an ISO-8601 instant like 2026-01-31T12:00:00Z");
    }
  }

  private static List<String> list(Map<String, Object> f, String key) {
    Object v = f.get(key);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (v instanceof List<?> l) {
      for (Object o : l) {
        out.add(String.valueOf(o));
      }
    } else {
      for (String s : String.valueOf(v).split(",")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
    }
    for (String s : out) {
      if (TaskId.problem(s) != null) {
        throw new IllegalArgumentException(key + " names an invalid task id: " + s);
      }
    }
    return out;
  }

  private static Outcome outcome(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Outcome.parse(s);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("outcome must be done, failed or released, got " + s);
    }
  }
}

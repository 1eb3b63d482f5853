package dev.taskq.dashboard;

import dev.taskq.core.Audience;
import dev.taskq.core.EnqueueResult;
import dev.taskq.core.ErrorCode;
import dev.taskq.core.Limits;
import dev.taskq.core.NewTask;
import dev.taskq.core.Task;
import dev.taskq.core.TaskqException;
import dev.taskq.store.TaskStore;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a person can do from the page: the CLI's {@code add}, {@code requeue}, {@code release},
 * {@code cancel} and {@code priority}, with the CLI's checks, answers and error texts (both end in
 * the store, which names the field at fault).
 */
final class Actions {
  private final TaskStore store;
  private final JsonMapper json;
  private final String person;

  Actions(TaskStore store, JsonMapper json, String person) {
    this.store = store;
    this.json = json;
    this.person = person;
  }

  /** An answer to the page: the HTTP status and a JSON body. */
  record Reply(int status, ObjectNode body) {}

  /** {@code taskq add}: the body is {@code {title, criterion, instructions?, lane?, ...}}. */
  Reply add(byte[] body) {
    JsonNode in = parse(body);
    NewTask task =
        new NewTask(
            optionalText(in, "id"),
            text(in, "title"),
            text(in, "criterion"),
            optionalText(in, "instructions"),
            optionalText(in, "lane"),
            integer(in, "priority", 0),
            ids(in, "after"),
            integer(in, "max_attempts", Limits.DEFAULT_MAX_ATTEMPTS),
            null);
    EnqueueResult r = store.enqueue(task);
    Task t = r.task();
    String waits = t.after().isEmpty() ? "" : " (after " + String.join(", ", t.after()) + ")";
    return ok(201, t.id(), "added " + t.id() + ": " + t.title() + waits);
  }

  Reply requeue(String id) {
    Task t = store.requeue(id);
    return ok(
        200,
        t.id(),
        "requeued " + t.id() + ": pending again with " + t.maxAttempts() + " attempts");
  }

  Reply release(String id) {
    Task t = store.forceRelease(id);
    return ok(
        200,
        t.id(),
        "released " + t.id() + ": back in pending; the old holder's next call gets FENCED");
  }

  /** {@code taskq cancel ID [--reason TEXT]}: the body is {@code {"reason": …}} or empty. */
  Reply cancel(String id, byte[] body) {
    JsonNode in = body.length == 0 ? json.createObjectNode() : parse(body);
    boolean held = store.get(id).task().isClaimed();
    Task t = store.cancel(id, person, optionalText(in, "reason"));
    return ok(
        200,
        t.id(),
        "cancelled "
            + t.id()
            + ": in failed, never claimed again"
            + (held ? "; its holder's next call gets FENCED" : ""));
  }

  /** {@code taskq priority ID N}: the body is {@code {"priority": N}}. */
  Reply priority(String id, byte[] body) {
    JsonNode in = parse(body);
    if (in.get("priority") == null || in.get("priority").isNull()) {
      throw TaskqException.invalid("priority", "is required: a whole number from -1000 to 1000");
    }
    int wanted = integer(in, "priority", 0);
    int before = store.get(id).task().priority();
    Task t = store.setPriority(id, wanted, person);
    return ok(
        200,
        t.id(),
        before == t.priority()
            ? "priority of " + t.id() + " is already " + t.priority()
            : "priority of " + t.id() + ": " + before + " → " + t.priority());
  }

  /** The error as the CLI prints it ({@code taskq: CODE: message; hint}), with its parts. */
  Reply error(TaskqException e) {
    ObjectNode root = json.createObjectNode();
    ObjectNode err = root.putObject("error");
    err.put("code", e.code().name());
    if (e.field() != null) {
      err.put("field", e.field());
    }
    err.put("message", e.getMessage());
    // A person reads the page: the hint names commands, as the CLI's does.
    err.put("hint", e.hint(Audience.PERSON));
    err.put("line", "taskq: " + e.describe(Audience.PERSON).replaceAll("\\s*[\\r\\n]+\\s*", " "));
    return new Reply(status(e.code()), root);
  }

  static int status(ErrorCode code) {
    return switch (code) {
      case INVALID_ARGUMENT -> 400;
      case NOT_FOUND -> 404;
      case FENCED, CONFLICT -> 409;
      case STORE_ERROR -> 500;
    };
  }

  private Reply ok(int status, String id, String message) {
    ObjectNode o = json.createObjectNode();
    o.put("id", id).put("message", message);
    return new Reply(status, o);
  }

  private JsonNode parse(byte[] body) {
    try {
      JsonNode n = json.readTree(body);
      if (n == null || !n.isObject()) {
        throw TaskqException.invalid("body", "must be a JSON object such as {\"title\": …}");
      }
      return n;
    } catch (JacksonException e) {
      throw TaskqException.invalid("body", "is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String text(JsonNode in, String field) {
    JsonNode v = in.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw TaskqException.invalid(field, "must be text");
    }
    return v.asString();
  }

  private static String optionalText(JsonNode in, String field) {
    String s = text(in, field);
    return s == null || s.isBlank() ? null : s;
  }

  private static int integer(JsonNode in, String field, int dflt) {
    JsonNode v = in.get(field);
    if (v == null || v.isNull() || (v.isString() && v.asString().isBlank())) {
      return dflt;
    }
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return v.asInt();
    }
    if (v.isString()) {
      try {
        return Integer.parseInt(v.asString().trim());
      } catch (NumberFormatException e) {
        // falls through to the error below
      }
    }
    throw TaskqException.invalid(field, "must be a whole number");
  }

  /** Ids as a JSON array or as "a, b" (what a person types in one field). */
  private static List<String> ids(JsonNode in, String field) {
    JsonNode v = in.get(field);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isString()) {
      for (String s : v.asString().split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
      return out;
    }
    if (v.isArray()) {
      for (JsonNode e : v) {
        if (!e.isString()) {
          throw TaskqException.invalid(field, "must list task ids as text");
        }
        out.add(e.asString().trim());
      }
      return out;
    }
    throw TaskqException.invalid(field, "must be a list of task ids");
  }
}

package dev.taskq.mcp;

import dev.taskq.core.Audience;
import dev.taskq.core.Checkpoint;
import dev.taskq.core.CheckpointRequest;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.EnqueueResult;
import dev.taskq.core.Holder;
import dev.taskq.core.Limits;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.core.Progress;
import dev.taskq.core.Task;
import dev.taskq.core.TaskId;
import dev.taskq.core.TaskqException;
import dev.taskq.hooks.SessionKeeper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The five tool handlers: arguments in, the text the model reads out. */
final class QueueTools {
  static final Set<String> TASK_FIELDS =
      Set.of(
          "id",
          "title",
          "criterion",
          "instructions",
          "lane",
          "priority",
          "after",
          "max_attempts",
          "dedupe_key");

  private final LazyStore store;
  private final Holder holder;
  private final Notifier notifier;
  private final SessionKeeper session;

  QueueTools(LazyStore store, Holder holder, Notifier notifier, SessionKeeper session) {
    this.store = store;
    this.holder = holder;
    this.notifier = notifier;
    this.session = session;
  }

  String enqueue(Map<String, Object> arguments) {
    List<NewTask> tasks = tasks(arguments == null ? Map.of() : arguments);
    session.request();
    List<EnqueueResult> results = store.get().enqueue(tasks);
    session.enqueued(results.stream().map(r -> r.task().id()).toList());
    notifier.stateChanged(results.stream().map(r -> r.task().id()).toList());
    return Replies.enqueued(results, store.location().label());
  }

  /**
   * The tasks of an enqueue_task call: {@code {tasks:[...]}}, or one task's fields at the top
   * level, which is how models write a single task. Both at once is refused with the call as it
   * should be.
   */
  private static List<NewTask> tasks(Map<String, Object> arguments) {
    List<String> flat = arguments.keySet().stream().filter(TASK_FIELDS::contains).sorted().toList();
    if (!arguments.containsKey("tasks") && !flat.isEmpty()) {
      return List.of(newTask(arguments, null));
    }
    if (!flat.isEmpty()) {
      throw TaskqException.invalid(
          "tasks",
          "give the tasks in tasks only, not also "
              + String.join(", ", flat)
              + " at the top level; call enqueue_task {tasks:[{title, criterion, ...}, ...]}, or"
              + " for one task its fields alone: {title, criterion, ...}");
    }
    Args args = new Args(arguments, "", Set.of("tasks"));
    List<Object> items = args.list("tasks");
    if (items.isEmpty() || items.size() > Limits.BATCH_MAX) {
      throw TaskqException.invalid(
          "tasks", "give 1 to " + Limits.BATCH_MAX + " tasks (got " + items.size() + ")");
    }
    List<NewTask> tasks = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      tasks.add(newTask(items.get(i), "tasks[" + i + "]"));
    }
    return tasks;
  }

  /** One task; {@code path} names it in errors ("tasks[2]"), null for the top-level form. */
  @SuppressWarnings("unchecked")
  private static NewTask newTask(Object item, String path) {
    Args a =
        path == null
            ? new Args((Map<String, Object>) item, "", TASK_FIELDS)
            : Args.nested(item, path, TASK_FIELDS);
    if (a == null) {
      throw TaskqException.invalid(path, "must be an object with title and criterion");
    }
    try {
      return new NewTask(
          a.text("id"),
          a.text("title"),
          a.text("criterion"),
          a.text("instructions"),
          a.text("lane"),
          a.integer("priority", 0),
          a.texts("after"),
          a.integer("max_attempts", Limits.DEFAULT_MAX_ATTEMPTS),
          a.text("dedupe_key"));
    } catch (TaskqException e) {
      if (path == null || e.field() == null || e.field().startsWith(path)) {
        throw e;
      }
      throw new TaskqException(
          e.code(),
          path + "." + e.field(),
          path + "." + e.getMessage(),
          e.hint(Audience.MODEL),
          e.hint(Audience.PERSON),
          e);
    }
  }

  String claimNext(Map<String, Object> arguments) {
    String lane = new Args(arguments, "", Set.of("lane")).text("lane");
    if (lane != null && lane.isBlank()) {
      lane = null;
    }
    String laneProblem = lane == null ? null : TaskId.problem(lane);
    if (laneProblem != null) {
      throw TaskqException.invalid(
          "lane", "must be a lane name such as 'db' or 'frontend', which " + laneProblem);
    }
    session.request();
    ClaimResult result = store.get().claimNext(holder, lane);
    if (result instanceof ClaimResult.Claimed c) {
      session.claimed(c.claim());
      notifier.stateChanged(List.of(c.claim().task().id()));
      return ClaimPacket.render(c.claim(), store.location().label());
    }
    return ClaimPacket.idle(((ClaimResult.Nothing) result).reason(), store.location().label());
  }

  String writeCheckpoint(Map<String, Object> arguments) {
    Args a =
        new Args(arguments, "", Set.of("id", "token", "summary", "progress", "findings", "next"));
    Args p = a.object("progress", Set.of("done", "total"));
    Progress progress =
        p == null ? null : new Progress(p.wholeNumber("done"), p.wholeNumber("total"));
    CheckpointRequest request =
        new CheckpointRequest(
            a.requiredText("id"),
            a.requiredText("token"),
            a.text("summary"),
            progress,
            a.text("findings"),
            a.text("next"));
    session.request();
    Checkpoint c = store.get().writeCheckpoint(request);
    session.checkpointed(c);
    notifier.updated(List.of(c.taskId()));
    return Replies.checkpointed(c);
  }

  String complete(Map<String, Object> arguments) {
    Args a = new Args(arguments, "", Set.of("id", "token", "outcome", "result"));
    String id = a.requiredText("id");
    String token = a.requiredText("token");
    Outcome outcome = Outcome.forHolder(a.requiredText("outcome"));
    String result = a.text("result");
    if (outcome != Outcome.RELEASED) {
      Limits.requireText("result", result, Limits.RESULT_MAX);
    } else {
      Limits.optionalText("result", result, Limits.RESULT_MAX);
    }
    session.request();
    session.finishedHere(id, true); // before the DONE line can reach the session's news
    Task t;
    try {
      t = store.get().complete(id, token, outcome, result);
    } catch (RuntimeException e) {
      session.finishedHere(id, false);
      throw e;
    }
    session.released(t.id());
    notifier.stateChanged(List.of(t.id()));
    return Replies.completed(t, outcome);
  }

  String appendLog(Map<String, Object> arguments) {
    Args a = new Args(arguments, "", Set.of("message", "id", "token"));
    String message = Limits.requireText("message", a.text("message"), Limits.LOG_MESSAGE_MAX);
    String id = a.text("id");
    String token = a.text("token");
    if (token != null && id == null) {
      throw TaskqException.invalid("id", "is required when token is given");
    }
    if (id != null) {
      TaskId.check("id", id);
    }
    session.request();
    String line = store.get().appendLog(message, id, token);
    notifier.updated(id == null ? List.of() : List.of(id));
    return "Logged: " + line + (token == null ? "" : "\nYour lease on " + id + " was renewed.");
  }
}

package dev.taskq.mcp;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.TaskId;
import dev.taskq.core.TaskqException;
import dev.taskq.store.TaskStore;
import io.modelcontextprotocol.server.McpServerFeatures.SyncCompletionSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CompleteResult;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceReference;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/** taskq://queue, taskq://log and the taskq://tasks/{id} template. */
final class Resources {
  static final String QUEUE = "taskq://queue";
  static final String LOG = "taskq://log";
  static final String TASK_TEMPLATE = "taskq://tasks/{id}";
  static final String TASK_PREFIX = "taskq://tasks/";
  static final int LOG_LINES = 200;

  private final LazyStore store;
  private final Clock clock;

  Resources(LazyStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  static String taskUri(String id) {
    return TASK_PREFIX + id;
  }

  List<SyncResourceSpecification> fixed() {
    return List.of(
        new SyncResourceSpecification(
            Resource.builder(QUEUE, "queue")
                .description(
                    "The task queue at a glance: counts per state and a row per task (state, lane,"
                        + " holder, attempt, progress, lease left, blocked by).")
                .mimeType("text/markdown")
                .build(),
            (ex, req) -> text(req.uri(), "text/markdown", this::queue)),
        new SyncResourceSpecification(
            Resource.builder(LOG, "log")
                .description("The last " + LOG_LINES + " lines of the queue's log.txt.")
                .mimeType("text/plain")
                .build(),
            (ex, req) ->
                text(req.uri(), "text/plain", () -> lines(store.get().tailLog(LOG_LINES)))));
  }

  SyncResourceTemplateSpecification task() {
    return new SyncResourceTemplateSpecification(
        ResourceTemplate.builder(TASK_TEMPLATE, "task")
            .description("One task: criterion, instructions, checkpoints in brief, result.")
            .mimeType("text/markdown")
            .build(),
        (ex, req) -> text(req.uri(), "text/markdown", () -> task(req.uri())));
  }

  /** Completes task ids for the template, for clients that offer completion. */
  SyncCompletionSpecification taskIdCompletion() {
    return new SyncCompletionSpecification(
        new ResourceReference(TASK_TEMPLATE),
        (ex, req) -> {
          String prefix = req.argument() == null ? "" : req.argument().value();
          List<String> ids =
              store.get().list(QueueQuery.firstPage(QueueView.ROWS)).rows().stream()
                  .map(r -> r.id())
                  .filter(id -> id.startsWith(prefix == null ? "" : prefix))
                  .toList();
          return new CompleteResult(new CompleteResult.CompleteCompletion(ids, ids.size(), false));
        });
  }

  String queue() {
    TaskStore s = store.get();
    return QueueView.render(
        s.list(QueueQuery.firstPage(QueueView.ROWS)), s.warnings(), store.location().label());
  }

  private String task(String uri) {
    String id = uri.startsWith(TASK_PREFIX) ? uri.substring(TASK_PREFIX.length()) : "";
    if (TaskId.problem(id) != null) {
      throw McpError.RESOURCE_NOT_FOUND.apply(uri);
    }
    return TaskView.render(store.get().get(id), clock.instant());
  }

  private static String lines(List<String> lines) {
    return lines.isEmpty() ? "(the log is empty)\n" : String.join("\n", lines) + "\n";
  }

  private static ReadResourceResult text(String uri, String mime, Supplier<String> body) {
    String content;
    try {
      content = body.get();
    } catch (TaskqException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        throw McpError.RESOURCE_NOT_FOUND.apply(uri);
      }
      throw McpError.builder(ErrorCodes.INTERNAL_ERROR).message(e.describe()).build();
    }
    return ReadResourceResult.builder(
            List.of(TextResourceContents.builder(uri, content).mimeType(mime).build()))
        .build();
  }
}

package dev.taskq.mcp;

import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptArgument;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The prompts Claude Code offers as /mcp__taskq__work, /mcp__taskq__plan, /mcp__taskq__status. */
final class Prompts {
  private Prompts() {}

  static List<SyncPromptSpecification> all(Supplier<String> queueView) {
    return List.of(
        new SyncPromptSpecification(
            Prompt.builder("work")
                .description("Work through the taskq task queue: claim, do, checkpoint, complete.")
                .arguments(
                    List.of(
                        arg("lane", "only tasks of this lane, e.g. db", false),
                        arg("max_tasks", "stop after this many tasks", false)))
                .build(),
            (ex, req) -> result("taskq worker loop", work(req.arguments()))),
        new SyncPromptSpecification(
            Prompt.builder("plan")
                .description("Split a big job into independent tasks and put them on the queue.")
                .arguments(List.of(arg("goal", "the job to split up", true)))
                .build(),
            (ex, req) -> result("plan a job onto taskq", plan(req.arguments()))),
        new SyncPromptSpecification(
            Prompt.builder("status")
                .description("Summarize the taskq task queue: what is done, running, stuck.")
                .build(),
            (ex, req) -> result("taskq status", status(queueView.get()))));
  }

  static String work(Map<String, Object> args) {
    String lane = value(args, "lane");
    String max = value(args, "max_tasks");
    if (max != null && !max.matches("[1-9][0-9]{0,5}")) {
      throw McpError.builder(ErrorCodes.INVALID_PARAMS)
          .message("max_tasks must be a whole number of 1 or more, got " + max)
          .build();
    }
    String claim = lane == null ? "claim_next" : "claim_next with lane \"" + lane + "\"";
    return "Work through the taskq task queue as a worker:\n"
        + "1. Call "
        + claim
        + ". If it says nothing is claimable, follow its next step (wait and retry only if it"
        + " says work is in progress or blocked), else stop.\n"
        + "2. Do the task as its instructions say. If the packet has a Resume section, continue"
        + " from that checkpoint instead of starting over.\n"
        + "3. While working, call write_checkpoint with the id and token at a steady cadence"
        + " (about every 10 minutes or 20 files): summary of what is done, progress {done,total},"
        + " findings so far, next step. This renews the lease; without it the claim expires and"
        + " another session takes the task over.\n"
        + "4. When finished, judge the work against the success criterion and call complete_task:"
        + " done with a result that shows the criterion is met, failed with why, or released if"
        + " you must stop before finishing.\n"
        + "5. If any call answers FENCED, drop that task at once (someone else holds it now) and"
        + " go back to step 1.\n"
        + "6. Repeat"
        + (max == null
            ? " until nothing is claimable."
            : " until " + max + " tasks are finished" + " or nothing is claimable.")
        + " Then report what you completed, failed or released.";
  }

  static String plan(Map<String, Object> args) {
    String goal = value(args, "goal");
    if (goal == null) {
      throw McpError.builder(ErrorCodes.INVALID_PARAMS)
          .message("goal is required: describe the job to split into tasks")
          .build();
    }
    return "Plan this job for the taskq task queue:\n\n"
        + goal
        + "\n\nRead enough of the project to split the job into independent tasks that separate"
        + " sessions can do in parallel without editing the same files, e.g. one lane per area"
        + " (frontend, api, db). For each task give a one-line title, a success criterion someone"
        + " else can check, instructions with the files and context a fresh session needs, a"
        + " lane, and `after` ids only where one task truly needs another's result. Then call"
        + " enqueue_task once with all tasks.\n\n"
        + "Then, unless the user asked only for a plan, have the work done in the background:"
        + " call start_workers (it returns at once; its workers may only read files, so say so if"
        + " the tasks need edits: the user can start wider workers with `taskq workers start"
        + " --allowed-tools …`). Run `taskq wait --timeout 110m` with the Bash tool's"
        + " run_in_background and its timeout at 7200000 ms, tell the user the ids and that the work"
        + " runs in the background, and"
        + " keep working on what they ask next. When the wait exits you are told: read its output,"
        + " report what was done and what failed, and run it again if it timed out (exit 124).";
  }

  static String status(String queue) {
    return "Summarize this taskq queue for the user in a few lines: what is done, what is running"
        + " (who holds it, progress, lease left), what is blocked and on what, what failed and"
        + " why, and anything that needs a person (unreadable files, tasks near max attempts).\n\n"
        + queue;
  }

  private static PromptArgument arg(String name, String description, boolean required) {
    return PromptArgument.builder(name).description(description).required(required).build();
  }

  private static String value(Map<String, Object> args, String name) {
    Object v = args == null ? null : args.get(name);
    String s = v == null ? null : v.toString().strip();
    return s == null || s.isEmpty() ? null : s;
  }

  private static GetPromptResult result(String description, String text) {
    return GetPromptResult.builder(
            List.of(PromptMessage.builder(Role.USER, TextContent.builder(text).build()).build()))
        .description(description)
        .build();
  }
}

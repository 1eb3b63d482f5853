package dev.taskq.core;

/** What a holder sends to save progress. Validated on construction. */
public record CheckpointRequest(
    String id, String token, String summary, Progress progress, String findings, String next) {
  public CheckpointRequest {
    TaskId.check("id", id);
    Limits.requireText("token", token, 100);
    summary = Limits.requireText("summary", summary, Limits.SUMMARY_MAX);
    findings = Limits.optionalText("findings", findings, Limits.FINDINGS_MAX);
    next = Limits.optionalText("next", next, Limits.NEXT_MAX);
  }
}

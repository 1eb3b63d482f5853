package dev.taskq.core;

import java.time.Instant;

/**
 * A holder's saved progress, so a later attempt can resume: "files processed 60/180, issues so far,
 * next: start from payment.js".
 *
 * @param n checkpoint number, growing by one per task
 * @param attempt the attempt that wrote it
 */
public record Checkpoint(
    String taskId,
    int n,
    int attempt,
    Instant at,
    String holder,
    String summary,
    Progress progress,
    String findings,
    String next) {}

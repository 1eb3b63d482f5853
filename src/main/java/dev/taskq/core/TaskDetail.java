package dev.taskq.core;

import java.util.List;

/**
 * One task in full: the task, its checkpoints (oldest first) and, while blocked, what it waits for.
 *
 * @param stuck while blocked on a task that failed, was cancelled or does not exist: why and what
 *     to do; else null
 * @param claimEnded for an in-progress task whose claim is over but not taken back yet, why ("lease
 *     expired", "holder process gone"); else null
 */
public record TaskDetail(
    Task task,
    List<Checkpoint> checkpoints,
    List<String> blockedBy,
    String stuck,
    String claimEnded) {}

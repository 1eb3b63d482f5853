package dev.taskq.core;

import java.util.List;

/**
 * One task in full: the task, its checkpoints (oldest first) and, while blocked, what it waits for.
 */
public record TaskDetail(Task task, List<Checkpoint> checkpoints, List<String> blockedBy) {}

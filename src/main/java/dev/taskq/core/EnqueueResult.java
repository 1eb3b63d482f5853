package dev.taskq.core;

/**
 * @param created false when a task with the same dedupe key already existed and was returned as is
 */
public record EnqueueResult(Task task, boolean created) {}

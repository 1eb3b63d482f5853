package dev.taskq.core;

/**
 * A file in a state folder that taskq cannot read as a task. Never dropped: listed with its reason.
 *
 * @param path relative to the queue directory, e.g. "pending/db-audit.md"
 */
public record CorruptFile(String path, String reason) {}

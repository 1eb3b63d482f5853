package dev.taskq.store.file;

/**
 * A file in a state folder that taskq cannot read as a task. Never dropped: the index keeps it, the
 * journal shares it, and views report it as a {@link dev.taskq.core.Unreadable}.
 *
 * @param path relative to the queue directory, e.g. "pending/db-audit.md"
 */
record CorruptFile(String path, String reason) {}

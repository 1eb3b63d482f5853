package dev.taskq.core;

/**
 * Something the store holds that it cannot read as a task: never claimed, never dropped, reported
 * with why. The file store reports files ({@code where} = "pending/notes.md", relative to the queue
 * folder); another store names its own kind of entry.
 *
 * @param where what cannot be read, as a person finds it
 * @param reason why, and so what to fix
 */
public record Unreadable(String where, String reason) {}

package dev.taskq.core;

/**
 * A task the claimed one waited for ({@code after}), as its work packet shows it: what it was, how
 * it ended, where its full result is, and the first lines of that result.
 *
 * @param outcome DONE for a completed dependency (the only kind a claim waits for)
 * @param where where the full result can be read: a file for the file store, else null (then {@code
 *     taskq://tasks/<id>})
 * @param excerpt the result's first lines, at most a bounded size; "" when there is none
 * @param cut true when the excerpt is not the whole result
 */
public record Upstream(
    String id, String title, Outcome outcome, String where, String excerpt, boolean cut) {}

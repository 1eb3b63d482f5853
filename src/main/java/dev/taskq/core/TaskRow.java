package dev.taskq.core;

import java.time.Duration;
import java.util.List;

/**
 * One line of a status view.
 *
 * @param leaseLeft time left on the claim, or null when not claimed
 * @param blockedBy unfinished tasks this one waits for (empty when claimable or finished)
 * @param stuck for a blocked task whose wait cannot end as things stand, why and what to do ("waits
 *     for audit, which failed: requeue audit or cancel report"); else null
 * @param claimEnded for an in-progress task whose claim is over but not yet taken back, why: "lease
 *     expired" or "holder process gone" (the next claim takes the task; until then its holder's
 *     token still works); else null
 * @param problem for a corrupt file, why it cannot be read; else null
 */
public record TaskRow(
    String id,
    TaskState state,
    String title,
    String lane,
    int priority,
    String holder,
    int attempt,
    int maxAttempts,
    Progress progress,
    Duration leaseLeft,
    List<String> blockedBy,
    String stuck,
    String claimEnded,
    String problem) {}

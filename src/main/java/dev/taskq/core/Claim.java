package dev.taskq.core;

import java.time.Instant;

/**
 * A granted claim. The token must accompany every later call for this task.
 *
 * @param resume what earlier attempts left, or null when this is a clean start
 */
public record Claim(
    Task task, String token, int attempt, Instant leaseUntil, ResumePacket resume) {}

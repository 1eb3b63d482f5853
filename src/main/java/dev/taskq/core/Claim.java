package dev.taskq.core;

import java.time.Instant;
import java.util.List;

/**
 * A granted claim. The token must accompany every later call for this task.
 *
 * @param resume what earlier attempts left, or null when this is a clean start
 * @param upstream the tasks this one waited for, with their results (empty without {@code after})
 */
public record Claim(
    Task task,
    String token,
    int attempt,
    Instant leaseUntil,
    ResumePacket resume,
    List<Upstream> upstream) {
  public Claim {
    upstream = upstream == null ? List.of() : List.copyOf(upstream);
  }
}

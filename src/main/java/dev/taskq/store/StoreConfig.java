package dev.taskq.store;

import dev.taskq.core.TaskqException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Where the queue lives and how long leases last.
 *
 * @param dir the queue directory (holds pending/, in-progress/, ...)
 * @param lease how long a claim lasts without renewal
 */
public record StoreConfig(Path dir, Duration lease, Clock clock) {
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(15);

  public StoreConfig {
    dir = dir.toAbsolutePath().normalize();
    if (lease.isNegative() || lease.isZero()) {
      throw TaskqException.invalid("TASKQ_LEASE_SECONDS", "must be a positive number of seconds");
    }
  }

  public static StoreConfig of(Path dir) {
    return new StoreConfig(dir, DEFAULT_LEASE, Clock.systemUTC());
  }

  /**
   * The queue at {@code dir} (found by {@code dev.taskq.project.QueueFinder}) with the lease from
   * {@code TASKQ_LEASE_SECONDS}.
   */
  public static StoreConfig fromEnv(Path dir, Map<String, String> env, Clock clock) {
    return new StoreConfig(dir, leaseFromEnv(env), clock);
  }

  private static Duration leaseFromEnv(Map<String, String> env) {
    String s = env.get("TASKQ_LEASE_SECONDS");
    if (s == null || s.isBlank()) {
      return DEFAULT_LEASE;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(s.trim()));
    } catch (NumberFormatException e) {
      throw TaskqException.invalid(
          "TASKQ_LEASE_SECONDS", "must be a whole number of seconds, got " + s);
    }
  }
}

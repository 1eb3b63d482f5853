package dev.taskq.core;

import java.time.Instant;

/** A live claim on a task: who holds it, the fencing token, and until when. */
public record Lease(Holder holder, String token, Instant until) {
  public boolean expiredAt(Instant now) {
    return !now.isBefore(until);
  }

  public Lease renewedUntil(Instant newUntil) {
    return new Lease(holder, token, newUntil);
  }
}

package dev.taskq.core;

/** The answer to claimNext: a claim, or why nothing could be claimed. */
public sealed interface ClaimResult {
  record Claimed(Claim claim) implements ClaimResult {}

  record Nothing(IdleReason reason) implements ClaimResult {}
}

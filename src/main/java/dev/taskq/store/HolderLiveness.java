package dev.taskq.store;

import dev.taskq.core.Holder;
import java.util.HashMap;
import java.util.Map;

/**
 * Whether a holder's process still runs, asked at most twice a second per holder: every claim
 * checks every in-progress task, and reading /proc for each would add up.
 */
final class HolderLiveness {
  private static final long TTL_NANOS = 500_000_000L;
  private final Map<Holder, long[]> cache = new HashMap<>();

  boolean isAlive(Holder h) {
    long now = System.nanoTime();
    long[] cached = cache.get(h);
    if (cached != null && now - cached[0] < TTL_NANOS) {
      return cached[1] == 1;
    }
    boolean alive = ProcessIdentity.isAlive(h);
    if (cache.size() > 1000) {
      cache.clear();
    }
    cache.put(h, new long[] {now, alive ? 1 : 0});
    return alive;
  }
}

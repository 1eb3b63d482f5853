package dev.taskq.store.file;

import dev.taskq.core.Holder;
import dev.taskq.store.ProcessIdentity;
import java.util.HashMap;
import java.util.Map;

/**
 * Whether a holder's process still runs, asked at most every two seconds per holder: every claim
 * checks every in-progress task under the queue lock, and with eight sessions a half-second cache
 * still cost about 0.1 ms of /proc reads per claim. A dead holder's task comes back within two
 * seconds instead of half a second, against a lease of minutes.
 */
final class HolderLiveness {
  private static final long TTL_NANOS = 2_000_000_000L;
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

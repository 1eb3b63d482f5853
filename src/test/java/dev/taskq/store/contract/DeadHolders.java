package dev.taskq.store.contract;

import dev.taskq.core.Holder;
import dev.taskq.store.ProcessIdentity;
import java.io.IOException;

/** Holders whose process really ran on this host and has exited: a session that died. */
final class DeadHolders {
  private DeadHolders() {}

  /**
   * Starts {@code true}, takes its identity while it may still run, and waits for it to exit.
   * Retries until the start time was captured, so a later pid reuse cannot make the holder look
   * alive.
   */
  static Holder make(String session) {
    for (int tries = 0; tries < 50; tries++) {
      try {
        Process p = new ProcessBuilder("true").start();
        Holder h = ProcessIdentity.of(p.toHandle(), session);
        p.waitFor();
        if (h.processStart() != 0 && !ProcessIdentity.isAlive(h)) {
          return h;
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot start `true`", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("could not capture the start time of a short-lived process");
  }
}

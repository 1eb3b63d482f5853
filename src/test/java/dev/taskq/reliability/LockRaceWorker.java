package dev.taskq.reliability;

import dev.taskq.core.ClaimResult;
import dev.taskq.core.Outcome;
import dev.taskq.core.QueueQuery;
import dev.taskq.store.FileTaskStore;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A session in its own JVM: claims and completes until the queue is empty, printing "CLAIMED id"
 * for each claim. Args: queue dir, session name, a file to wait for. Prints READY once the queue is
 * open, then starts when the file exists.
 */
public final class LockRaceWorker {
  private LockRaceWorker() {}

  public static void main(String[] args) throws InterruptedException {
    var holder = ProcessIdentity.current(args[1]);
    try (FileTaskStore store = new FileTaskStore(StoreConfig.of(Path.of(args[0])))) {
      store.list(QueueQuery.firstPage(1));
      System.out.println("READY");
      System.out.flush();
      while (!Files.exists(Path.of(args[2]))) {
        Thread.sleep(5);
      }
      while (true) {
        ClaimResult r = store.claimNext(holder, null);
        if (!(r instanceof ClaimResult.Claimed c)) {
          break;
        }
        System.out.println("CLAIMED " + c.claim().task().id());
        store.complete(c.claim().task().id(), c.claim().token(), Outcome.DONE, "done");
      }
    }
  }
}

package dev.taskq.reliability;

import dev.taskq.core.ClaimResult;
import dev.taskq.core.ErrorCode;
import dev.taskq.core.Outcome;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.TaskqException;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A session in its own JVM: claims and completes until the queue is empty, printing "CLAIMED id"
 * for each claim. Args: queue dir, session name, a file to wait for. Prints READY once the queue is
 * open, then starts when the file exists. A STORE_ERROR (the lock file vanished under it) changed
 * nothing, so the call is repeated; "STORE_ERRORS n" at the end says how often.
 */
public final class LockRaceWorker {
  private static int storeErrors;

  private LockRaceWorker() {}

  public static void main(String[] args) throws InterruptedException {
    var holder = ProcessIdentity.current(args[1]);
    try (TaskStore store = StoreFactory.open(StoreConfig.of(Path.of(args[0])))) {
      store.list(QueueQuery.firstPage(1));
      System.out.println("READY");
      System.out.flush();
      while (!Files.exists(Path.of(args[2]))) {
        Thread.sleep(5);
      }
      while (true) {
        ClaimResult r = retrying(() -> store.claimNext(holder, null));
        if (!(r instanceof ClaimResult.Claimed c)) {
          break;
        }
        System.out.println("CLAIMED " + c.claim().task().id());
        retrying(
            () -> store.complete(c.claim().task().id(), c.claim().token(), Outcome.DONE, "done"));
      }
    }
    System.out.println("STORE_ERRORS " + storeErrors);
  }

  private static <T> T retrying(Supplier<T> call) {
    while (true) {
      try {
        return call.get();
      } catch (TaskqException e) {
        if (e.code() != ErrorCode.STORE_ERROR) {
          throw e;
        }
        storeErrors++;
      }
    }
  }
}

package dev.taskq.bench;

import dev.taskq.core.ClaimResult;
import dev.taskq.core.Holder;
import dev.taskq.core.Outcome;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM of the store-level contention figure: opens the queue, says "ready", waits for "go"
 * on stdin, then claims and completes until nothing is claimable, and writes the ids it claimed to
 * a file (one per line) so the parent can look for duplicates.
 *
 * <p>Arguments: queue directory, file for the claimed ids.
 */
public final class StoreDrainer {
  private StoreDrainer() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path idsFile = Path.of(args[1]);
    PrintStream out = System.out;
    List<String> claimed = new ArrayList<>();
    try (TaskStore store = StoreFactory.open(StoreConfig.of(dir))) {
      Holder me = ProcessIdentity.current("bench-drainer");
      store.list(dev.taskq.core.QueueQuery.firstPage(1)); // load the index before the clock runs
      out.println("ready");
      out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      while (store.claimNext(me, null) instanceof ClaimResult.Claimed c) {
        String id = c.claim().task().id();
        claimed.add(id);
        store.complete(id, c.claim().token(), Outcome.DONE, "drained by the benchmark");
      }
    }
    Files.write(idsFile, claimed);
    out.println("done " + claimed.size());
    out.flush();
  }
}

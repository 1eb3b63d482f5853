package dev.taskq.bench;

import dev.taskq.core.ClaimResult;
import dev.taskq.core.Holder;
import dev.taskq.core.Outcome;
import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The store's core operations in-process, at a small and a large queue. A claim is given back
 * (released) so the queue keeps its size however many operations JMH runs; release writes and
 * fsyncs exactly like done. The queue folder comes from {@code -Dtaskq.bench.queue.<pending>} when
 * the harness already built it, else it is built here.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoreBenchmark {
  @Param({"100", "100000"})
  public int pending;

  private Path dir;
  private TaskStore store;
  private Holder holder;

  @Setup(Level.Trial)
  public void open() throws Exception {
    String given = System.getProperty("taskq.bench.queue." + pending);
    if (given != null) {
      dir = Path.of(given);
    } else {
      // Run outside bench/run: a scratch queue in the system temp folder, never the work tree.
      dir = Files.createTempDirectory("taskq-jmh-");
      QueueBuilder.write(dir, pending);
    }
    store = StoreFactory.open(StoreConfig.of(dir));
    holder = ProcessIdentity.current("bench-jmh");
  }

  @TearDown(Level.Trial)
  public void close() {
    store.close();
  }

  @Benchmark
  public Object claimThenRelease() {
    ClaimResult r = store.claimNext(holder, null);
    if (!(r instanceof ClaimResult.Claimed c)) {
      throw new IllegalStateException("queue ran dry: " + r);
    }
    return store.complete(c.claim().task().id(), c.claim().token(), Outcome.RELEASED, null);
  }

  @Benchmark
  public QueuePage listFirstPage() {
    return store.list(QueueQuery.firstPage(50));
  }
}

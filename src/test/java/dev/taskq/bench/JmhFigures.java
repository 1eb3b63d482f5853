package dev.taskq.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs {@link StoreBenchmark} and turns its p50s into figures, small vs large queue. */
final class JmhFigures {
  private JmhFigures() {}

  static List<Figure> run(BenchOptions opt, Path small, Path big, Path scratch)
      throws RunnerException {
    ChainedOptionsBuilder b =
        new OptionsBuilder()
            .include(StoreBenchmark.class.getName())
            .param("pending", String.valueOf(opt.smallQueue()), String.valueOf(opt.bigQueue()))
            .jvmArgsAppend(
                "-Dtaskq.bench.queue." + opt.smallQueue() + "=" + small,
                "-Dtaskq.bench.queue." + opt.bigQueue() + "=" + big)
            .shouldFailOnError(true)
            .timeUnit(TimeUnit.MICROSECONDS)
            .output(scratch.resolve("logs").resolve("jmh.txt").toString());
    if (opt.smoke()) {
      // In-process (no fork) for speed: the benchmark reads its queues from these properties.
      System.setProperty("taskq.bench.queue." + opt.smallQueue(), small.toString());
      System.setProperty("taskq.bench.queue." + opt.bigQueue(), big.toString());
      b.forks(0)
          .warmupIterations(0)
          .measurementIterations(1)
          .measurementTime(TimeValue.milliseconds(200));
    } else {
      b.forks(1)
          .warmupIterations(2)
          .warmupTime(TimeValue.seconds(2))
          .measurementIterations(3)
          .measurementTime(TimeValue.seconds(3));
    }
    Collection<RunResult> results = new Runner(b.build()).run();
    Map<String, double[]> p50 = new HashMap<>(); // method -> {small, big}
    for (RunResult r : results) {
      String method = r.getParams().getBenchmark();
      method = method.substring(method.lastIndexOf('.') + 1);
      int pending = Integer.parseInt(r.getParams().getParam("pending"));
      double v = r.getPrimaryResult().getStatistics().getPercentile(50);
      p50.computeIfAbsent(method, k -> new double[2])[pending == opt.smallQueue() ? 0 : 1] = v;
    }
    List<Figure> out = new ArrayList<>();
    String n = String.format("%,d vs %,d pending", opt.bigQueue(), opt.smallQueue());
    for (Map.Entry<String, double[]> e : p50.entrySet()) {
      double[] v = e.getValue();
      out.add(
          Figure.atMost(
              "jmh: store." + e.getKey() + " p50 ratio, " + n,
              v[1] / v[0],
              "x",
              2,
              String.format("p50 %.0f µs vs %.0f µs (JMH sample time, in-process)", v[1], v[0])));
    }
    return out;
  }
}

package dev.taskq.bench;

/**
 * Sizes of one benchmark run. {@link #fullSize} is what the README's table uses; {@link #smokeSize}
 * only proves that every figure can still be measured (CI), with sizes too small to judge speed.
 */
record BenchOptions(
    boolean smoke,
    int coldStarts,
    int roundTripQueue,
    int roundTrips,
    int smallQueue,
    int bigQueue,
    int growthSamples,
    int warmup,
    int drainers,
    int drainTasks,
    boolean jmh,
    int pgFewServers,
    int pgManyServers,
    int pgRoundTripQueue,
    int pgSmallQueue,
    int pgBigQueue) {

  static BenchOptions fullSize() {
    return new BenchOptions(
        false, 11, 10_000, 1_000, 100, 100_000, 300, 50, 8, 10_000, true, 8, 32, 100_000, 1_000,
        1_000_000);
  }

  static BenchOptions smokeSize() {
    return new BenchOptions(true, 2, 200, 30, 40, 400, 10, 5, 3, 150, true, 2, 3, 300, 50, 500);
  }
}

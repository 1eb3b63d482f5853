package dev.taskq.bench;

/**
 * One measured figure of the benchmark table.
 *
 * @param name what was measured, e.g. "cold start (spawn → initialize answered), median"
 * @param value the measured value, NaN when it could not be measured
 * @param unit "ms", "MB", "bytes", "tasks/s", "ratio", ...
 * @param target the goal as text ("≤ 300 ms"), or "" for a figure shown for information
 * @param pass whether the target is met; null for figures without a target
 * @param note how it was measured, or why it is missing
 */
public record Figure(
    String name, double value, String unit, String target, Boolean pass, String note) {

  /** A figure that must stay at or below {@code limit}. */
  static Figure atMost(String name, double value, String unit, double limit, String note) {
    return new Figure(
        name,
        value,
        unit,
        "≤ " + fmt(limit) + " " + unit,
        !Double.isNaN(value) && value <= limit,
        note);
  }

  /** A figure that must reach at least {@code floor}. */
  static Figure atLeast(String name, double value, String unit, double floor, String note) {
    return new Figure(
        name,
        value,
        unit,
        "≥ " + fmt(floor) + " " + unit,
        !Double.isNaN(value) && value >= floor,
        note);
  }

  /** Growth: the p50 at the big queue over the p50 at the small one, at most 2. */
  static Figure growthRatio(String name, Samples big, Samples small, String how) {
    return atMost(
        name,
        big.medianMillis() / small.medianMillis(),
        "x",
        2,
        String.format(
            "p50 %.3f ms vs %.3f ms (p99 %.3f vs %.3f); %s",
            big.medianMillis(),
            small.medianMillis(),
            big.percentileMillis(99),
            small.percentileMillis(99),
            how));
  }

  /** A figure shown for information, without a target. */
  static Figure info(String name, double value, String unit, String note) {
    return new Figure(name, value, unit, "", null, note);
  }

  /** A figure that could not be measured; it fails its target. */
  static Figure missing(String name, String target, String why) {
    return new Figure(name, Double.NaN, "", target, false, why);
  }

  /** A yes/no check, e.g. "zero duplicates". */
  static Figure check(
      String name, long value, String unit, boolean ok, String target, String note) {
    return new Figure(name, value, unit, target, ok, note);
  }

  String valueText() {
    return Double.isNaN(value) ? "n/a" : fmt(value) + (unit.isEmpty() ? "" : " " + unit);
  }

  String verdict() {
    return pass == null ? "info" : pass ? "PASS" : "FAIL";
  }

  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e12) {
      return String.format("%,d", (long) v);
    }
    return Math.abs(v) >= 100 ? String.format("%,.0f", v) : String.format("%.2f", v);
  }
}

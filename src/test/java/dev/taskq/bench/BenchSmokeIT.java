package dev.taskq.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The benchmark in its tiny configuration, against the built jar: every figure must still be
 * measurable and written to the JSON report. Speed is not judged here (CI machines are noisy);
 * correctness is: contention must never hand one task to two servers.
 */
class BenchSmokeIT {
  private static final Path DIR = Path.of("target", "bench-smoke");

  @Test
  void every_benchmark_figure_is_measured_and_no_task_is_claimed_twice() throws Exception {
    Path out = DIR.resolve("result.json");
    Files.deleteIfExists(out);

    int rc =
        Bench.run(
            new String[] {
              "--smoke",
              "--jar",
              System.getProperty("taskq.jar", "target/taskq.jar"),
              "--out",
              out.toString(),
              "--work",
              DIR.resolve("work").toString(),
              "--command",
              "BenchSmokeIT"
            });

    assertThat(rc).as("exit code of the benchmark (1 = a figure could not be measured)").isZero();
    JsonNode report = McpClient.JSON.readTree(Files.readString(out));
    List<String> names = new ArrayList<>();
    for (JsonNode f : report.path("figures")) {
      names.add(f.path("figure").asString());
      assertThat(f.path("value").isNumber()).as("value of " + f.path("figure")).isTrue();
    }
    assertThat(names)
        .anyMatch(n -> n.startsWith("cold start, spawn → initialize answered"))
        .anyMatch(n -> n.startsWith("cold start, spawn → tools/list answered"))
        .anyMatch(n -> n.startsWith("tool round trip p50"))
        .anyMatch(n -> n.startsWith("tool round trip p99"))
        .anyMatch(n -> n.startsWith("growth: claim_next"))
        .anyMatch(n -> n.startsWith("growth: taskq://queue"))
        .anyMatch(n -> n.startsWith("contention: "))
        .anyMatch(n -> n.startsWith("idle server memory"))
        .anyMatch(n -> n.startsWith("tools/list"))
        .anyMatch(n -> n.startsWith("store: claimNext"))
        .anyMatch(n -> n.startsWith("store: contention"))
        .anyMatch(n -> n.startsWith("jmh: store.claimThenRelease"))
        .anyMatch(n -> n.startsWith("jmh: store.listFirstPage"))
        .anyMatch(n -> n.startsWith("dashboard: "))
        .anyMatch(n -> n.startsWith("postgresql: 2 servers drain"))
        .anyMatch(n -> n.startsWith("postgresql: 3 servers drain"))
        .anyMatch(n -> n.startsWith("postgresql: connections per server"))
        .anyMatch(n -> n.startsWith("postgresql: tool round trip p50"))
        .anyMatch(n -> n.startsWith("postgresql growth: claim_next p50 ratio"));
    for (JsonNode f : report.path("figures")) {
      if (f.path("figure").asString().endsWith("duplicate claims")
          || f.path("figure").asString().endsWith("contention duplicates")) {
        assertThat(f.path("result").asString()).as(f.path("note").asString()).isEqualTo("PASS");
      }
    }
    assertThat(report.path("machine").path("nproc").asInt()).isPositive();
    // Measured with what users run: `taskq serve` from .mcp.json, the installed launcher.
    assertThat(report.path("server_command_source").asString())
        .startsWith("registered by taskq init: `taskq serve` on PATH, the installed launcher");
  }
}

package dev.taskq.claude;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-records src/test/resources/claude/stream/ with the claude binary at hand (after a version
 * bump): one {@code claude -p "say hi"} run per fault, in parallel, ~7 min (the default-retry runs
 * take 3–6.5 min). Off unless asked for:
 *
 * <pre>
 * mvn -B verify -Dit.test=RecordStreamsIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dclaude.record=$PWD/src/test/resources/claude/stream
 * </pre>
 *
 * ({@code -Dclaude.record.only=name,name} records only those.) Then compare with git diff, update
 * the README table and the notes, and run ClaudeFaultsIT.
 */
@EnabledIfSystemProperty(named = "claude.record", matches = ".+")
class RecordStreamsIT {
  @TempDir Path dir;

  /** One recorded run: the file name, whether to log in as a subscriber, faults, extra env. */
  private record Scenario(
      String name, boolean subscriber, Consumer<ScriptedModel> faults, Map<String, String> env) {}

  @Test
  void record_one_stream_per_fault() throws Exception {
    Path out = Files.createDirectories(Path.of(System.getProperty("claude.record")));
    Duration long_ = Duration.ofHours(1);
    List<Scenario> all =
        List.of(
            new Scenario("api-key-ok", false, m -> {}, Map.of()),
            new Scenario("subscriber-ok", true, m -> {}, Map.of()),
            new Scenario(
                "api-key-429-retry-after-1s",
                false,
                m -> m.failFor(long_, r -> Fault.rateLimited(Duration.ofSeconds(1))),
                Map.of()),
            new Scenario(
                "api-key-429-retry-after-1s-max-retries-2",
                false,
                m -> m.failFor(long_, r -> Fault.rateLimited(Duration.ofSeconds(1))),
                Map.of("CLAUDE_CODE_MAX_RETRIES", "2")),
            new Scenario(
                "api-key-429-retry-after-45s-max-retries-1",
                false,
                m -> m.failFor(long_, r -> Fault.rateLimited(Duration.ofSeconds(45))),
                Map.of("CLAUDE_CODE_MAX_RETRIES", "1")),
            new Scenario(
                "api-key-429-retry-after-61s",
                false,
                m -> m.failFor(long_, r -> Fault.rateLimited(Duration.ofSeconds(61))),
                Map.of()),
            new Scenario(
                "api-key-usage-limit-reset-90s",
                false,
                m -> m.failFor(Duration.ofSeconds(90), Fault::usageLimit),
                Map.of()),
            new Scenario(
                "api-key-usage-limit-reset-15s",
                false,
                m -> m.failFor(Duration.ofSeconds(15), Fault::usageLimit),
                Map.of()),
            new Scenario(
                "api-key-usage-limit-reset-90s-no-retry-after",
                false,
                m ->
                    m.failFor(
                        long_,
                        r ->
                            Fault.usageLimit(Instant.now().plusSeconds(90)).without("retry-after")),
                Map.of()),
            new Scenario(
                "subscriber-usage-limit-reset-90s",
                true,
                m -> m.failFor(Duration.ofSeconds(90), Fault::usageLimit),
                Map.of()),
            new Scenario(
                "subscriber-usage-limit-reset-15s",
                true,
                m -> m.failFor(Duration.ofSeconds(15), Fault::usageLimit),
                Map.of()),
            new Scenario(
                "overloaded-529", false, m -> m.failFor(long_, r -> Fault.overloaded()), Map.of()),
            new Scenario(
                "overloaded-529-max-retries-2",
                false,
                m -> m.failFor(long_, r -> Fault.overloaded()),
                Map.of("CLAUDE_CODE_MAX_RETRIES", "2")),
            new Scenario(
                "auth-401", false, m -> m.failFor(long_, r -> Fault.authentication()), Map.of()),
            new Scenario(
                "auth-401-max-retries-0",
                false,
                m -> m.failFor(long_, r -> Fault.authentication()),
                Map.of("CLAUDE_CODE_MAX_RETRIES", "0")));
    String only = System.getProperty("claude.record.only", "");
    List<Scenario> chosen =
        only.isBlank()
            ? all
            : all.stream().filter(s -> List.of(only.split(",")).contains(s.name())).toList();
    assertThat(chosen).as("scenarios named by claude.record.only=%s", only).isNotEmpty();
    ExecutorService pool = Executors.newFixedThreadPool(chosen.size());
    try {
      List<Future<String>> runs = new ArrayList<>();
      for (Scenario s : chosen) {
        runs.add(pool.submit(() -> record(s, out)));
      }
      for (Future<String> f : runs) {
        System.out.println(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private String record(Scenario s, Path out) throws Exception {
    Path runDir = Files.createDirectories(dir.resolve(s.name()));
    Path home = Files.createDirectories(runDir.resolve("home"));
    Path project = Files.createDirectories(runDir.resolve("project"));
    try (ScriptedModel model = ScriptedModel.start(c -> Reply.text("All good."))) {
      s.faults().accept(model);
      ClaudeRunner runner =
          new ClaudeRunner(
                  ClaudeBinary.require(),
                  s.subscriber() ? model.subscriberEnv(home) : model.clientEnv(home))
              .cwd(project)
              .logDir(runDir.resolve("run"));
      s.env().forEach(runner::env);
      Instant started = Instant.now();
      try (ClaudeRun run = runner.start("say hi")) {
        int exit = run.awaitExit(Duration.ofMinutes(15));
        Files.copy(
            runDir.resolve("run/stream.jsonl"),
            out.resolve(s.name() + ".jsonl"),
            StandardCopyOption.REPLACE_EXISTING);
        assertThat(model.brainErrors()).isEmpty();
        return s.name()
            + ": exit "
            + exit
            + " after "
            + Duration.between(started, Instant.now()).toSeconds()
            + " s, "
            + model.messageRequests().size()
            + " requests, "
            + run.events("system", "api_retry").size()
            + " api_retry";
      }
    }
  }
}

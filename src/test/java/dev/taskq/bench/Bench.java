package dev.taskq.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark: every figure of issue 5, measured on this machine, printed as one table and
 * written as JSON. Run it with {@code bench/run} (full sizes) or {@code bench/run --smoke} (tiny
 * sizes, proves only that every figure can be measured).
 *
 * <p>Options: {@code --jar PATH} (default target/taskq.jar), {@code --out FILE} (default
 * bench/results/latest.json), {@code --work DIR} (scratch, default target/bench-work), {@code
 * --smoke}, {@code --skip-jmh}, {@code --skip-store}, {@code --skip-process}, {@code
 * --skip-postgres}, {@code --command TEXT} (the command line to record in the report).
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args));
  }

  /**
   * Measures, prints and writes the report; returns 0 when every figure could be measured (met or
   * not), 1 when a figure could not be measured, 2 for a bad option.
   */
  public static int run(String[] args) throws Exception {
    Path jar = Path.of("target/taskq.jar");
    Path out = Path.of("bench/results/latest.json");
    Path work = Path.of("target/bench-work");
    BenchOptions chosen = BenchOptions.fullSize();
    boolean jmh = true;
    boolean store = true;
    boolean process = true;
    boolean postgres = true;
    String command = "bench/run";
    List<String> only = new ArrayList<>();
    List<String> extraFlags = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--jar" -> jar = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--work" -> work = Path.of(args[++i]);
        case "--smoke" -> chosen = BenchOptions.smokeSize();
        case "--skip-jmh" -> jmh = false;
        case "--skip-store" -> store = false;
        case "--skip-process" -> process = false;
        case "--skip-postgres" -> postgres = false;
        case "--command" -> command = args[++i];
        case "--only" -> only.addAll(List.of(args[++i].split(",")));
        case "--jvm-flag" -> extraFlags.add(args[++i]);
        default -> {
          System.err.println("bench: unknown option " + args[i]);
          return 2;
        }
      }
    }
    final BenchOptions opt = chosen;
    final Path serverJar = jar.toAbsolutePath().normalize();
    Workspace ws = Workspace.at(work);
    String java = ws.javaBinary();
    List<Figure> figures = new ArrayList<>();
    boolean broken = false;

    ServerCommand server = serverCommand(java, serverJar, ws).withFlags(extraFlags);
    progress(
        "server command: " + String.join(" ", server.command()) + " (" + server.source() + ")");

    progress(
        "building queues of " + opt.smallQueue() + " and " + opt.bigQueue() + " pending tasks");
    Path small = ws.fresh("queue-small");
    Path big = ws.fresh("queue-big");
    progress("  small: " + QueueBuilder.write(small, opt.smallQueue()) + " ms");
    progress("  big:   " + QueueBuilder.write(big, opt.bigQueue()) + " ms");

    StoreFigures storeFigures = new StoreFigures(ws, opt);
    ProcessFigures proc = new ProcessFigures(ws, opt, server);
    List<Section> sections = new ArrayList<>();
    if (process) {
      sections.add(new Section("cold start", "≤ 300 ms", () -> proc.coldStart(java, serverJar)));
      sections.add(new Section("tool round trip", "p50 ≤ 2 ms, p99 ≤ 10 ms", proc::roundTrip));
      sections.add(new Section("growth (server)", "≤ 2 x", () -> proc.growth(small, big)));
      sections.add(new Section("contention (servers)", "≥ 1,000 tasks/s", proc::contention));
      sections.add(
          new Section(
              "idle memory and tools/list",
              "≤ 80 MB, ≤ 6,000 bytes",
              proc::idleMemoryAndToolsList));
      HookFigures hooks = new HookFigures(ws, opt, server);
      sections.add(
          new Section(
              "hooks",
              "p50 ≤ 30 ms, p99 ≤ 100 ms (prompt, tool); ≤ 500 ms (start, stop)",
              hooks::measure));
      DashboardFigures dashboard = new DashboardFigures(ws, opt, serverJar);
      sections.add(new Section("dashboard", "≤ 1,000 ms", dashboard::measure));
    }
    if (store) {
      sections.add(new Section("growth (store)", "≤ 2 x", () -> storeFigures.growth(small, big)));
      sections.add(new Section("contention (store)", "≥ 1,000 tasks/s", storeFigures::contention));
    }
    PostgresFigures pg = new PostgresFigures(ws, opt, server);
    if (postgres) {
      String few = "postgresql contention, " + opt.pgFewServers() + " servers";
      String many = "postgresql contention, " + opt.pgManyServers() + " servers";
      sections.add(new Section(few, "every task once", () -> pg.contention(opt.pgFewServers())));
      sections.add(new Section(many, "every task once", () -> pg.contention(opt.pgManyServers())));
      sections.add(new Section("postgresql round trip", "info", pg::roundTrip));
      sections.add(new Section("postgresql growth", "≤ 2 x", pg::growth));
    }
    if (jmh && opt.jmh()) {
      sections.add(new Section("jmh", "≤ 2 x", () -> JmhFigures.run(opt, small, big, ws.root())));
    }
    double diskBefore = DiskProbe.durableWriteP50Millis(ws.root());
    double loadBefore = DiskProbe.loadAverage();
    if (!only.isEmpty()) {
      sections.removeIf(s -> only.stream().noneMatch(o -> s.name.startsWith(o)));
    }
    for (Section s : sections) {
      progress("measuring " + s.name);
      try {
        List<Figure> f = s.body.run();
        f.forEach(x -> progress("  " + x.name() + ": " + x.valueText() + " " + x.verdict()));
        figures.addAll(f);
      } catch (Exception e) {
        broken = true;
        progress("  FAILED: " + e);
        e.printStackTrace();
        figures.add(Figure.missing(s.name, s.target, "could not be measured: " + e));
      }
    }

    pg.close();
    figures.add(
        Figure.info(
            "machine: one durable write (write, fsync, rename, fsync folder), p50 after the run",
            DiskProbe.durableWriteP50Millis(ws.root()),
            "ms",
            String.format(
                "%.2f ms before the run; 1-minute load average %.1f before, %.1f after, on %d cores",
                diskBefore,
                loadBefore,
                DiskProbe.loadAverage(),
                Runtime.getRuntime().availableProcessors())));
    Report report = new Report(Instant.now(), command, Machine.describe(java), server, figures);
    report.print(System.out);
    report.writeJson(out);
    progress("wrote " + out.toAbsolutePath());
    return broken ? 1 : 0;
  }

  private interface Body {
    List<Figure> run() throws Exception;
  }

  private record Section(String name, String target, Body body) {}

  private static ServerCommand serverCommand(String java, Path jar, Workspace ws) {
    try {
      return ServerCommand.registeredByInit(java, jar, ws.root().resolve("install"));
    } catch (Exception e) {
      progress(
          "taskq install/init is not usable, falling back to the harness's flags: "
              + e.getMessage());
      return new ServerCommand(
          List.of(
              java,
              "-XX:TieredStopAtLevel=1",
              "-XX:+UseSerialGC",
              "-Xlog:disable",
              "-Xlog:all=warning:stderr",
              "-jar",
              jar.toString(),
              "serve"),
          "harness defaults, no archive (taskq install/init unavailable)");
    }
  }

  static void progress(String s) {
    System.err.println("[bench] " + s);
  }
}

package dev.taskq.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The benchmark's output: one table on stdout and the same as JSON. */
record Report(
    Instant at, String command, Machine machine, ServerCommand server, List<Figure> figures) {

  boolean allTargetsMet() {
    return figures.stream().allMatch(f -> f.pass() == null || f.pass());
  }

  void print(PrintStream out) {
    out.println();
    out.println("taskq benchmark, " + at);
    out.println("machine: " + machine.line());
    out.println("server:  " + String.join(" ", server.command()) + "  (" + server.source() + ")");
    out.println("command: " + command);
    out.println();
    out.println("| figure | value | target | result |");
    out.println("|---|---|---|---|");
    for (Figure f : figures) {
      out.println(
          "| "
              + f.name()
              + " | "
              + f.valueText()
              + " | "
              + f.target()
              + " | "
              + f.verdict()
              + " |");
    }
    out.println();
    out.println("notes:");
    for (Figure f : figures) {
      if (!f.note().isEmpty()) {
        out.println("- " + f.name() + ": " + f.note());
      }
    }
    out.println();
    out.println(allTargetsMet() ? "ALL TARGETS MET" : "SOME TARGETS MISSED (see FAIL rows)");
  }

  void writeJson(Path file) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("generated", at.toString());
    m.put("command", command);
    m.put(
        "machine",
        Map.of(
            "nproc",
            machine.cores(),
            "cpu",
            machine.cpu(),
            "java",
            machine.java(),
            "os",
            machine.os()));
    m.put("server_command", server.command());
    m.put("server_command_source", server.source());
    m.put("all_targets_met", allTargetsMet());
    m.put(
        "figures",
        figures.stream()
            .map(
                f -> {
                  Map<String, Object> o = new LinkedHashMap<>();
                  o.put("figure", f.name());
                  o.put("value", Double.isNaN(f.value()) ? null : f.value());
                  o.put("unit", f.unit());
                  o.put("target", f.target());
                  o.put("result", f.verdict());
                  o.put("note", f.note());
                  return o;
                })
            .toList());
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    McpClient.JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), m);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}

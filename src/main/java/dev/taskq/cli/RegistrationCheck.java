package dev.taskq.cli;

import dev.taskq.cli.Doctor.Finding;
import dev.taskq.cli.Doctor.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What this project's .mcp.json registers: does the jar exist, and is the start-up cache (a CDS or
 * AOT archive named in the JVM flags) there and newer than the jar? A stale archive is ignored by
 * the JVM, so the server still starts, only slower.
 */
final class RegistrationCheck {
  private final Path project;
  private final Path thisJar;

  RegistrationCheck(Path project, Path thisJar) {
    this.project = project;
    this.thisJar = thisJar;
  }

  List<Finding> findings() {
    Path file = project.resolve(".mcp.json");
    if (!Files.exists(file)) {
      return List.of(
          new Finding(
              Level.info, "no .mcp.json in " + project + ": run `taskq init` to register taskq"));
    }
    JsonNode entry;
    try {
      entry = JsonText.MAPPER.readTree(Files.readString(file)).path("mcpServers").path("taskq");
    } catch (JacksonException | java.io.IOException e) {
      return List.of(
          new Finding(Level.fail, file + " is not valid JSON: fix it, then run `taskq init`"));
    }
    if (entry.isMissingNode()) {
      return List.of(new Finding(Level.info, ".mcp.json has no taskq server: run `taskq init`"));
    }
    List<Finding> out = new ArrayList<>();
    List<String> args = new ArrayList<>();
    entry.path("args").forEach(a -> args.add(a.asString()));
    int jarAt = args.indexOf("-jar");
    Path jar = jarAt >= 0 && jarAt + 1 < args.size() ? Path.of(args.get(jarAt + 1)) : null;
    if (jar == null || !Files.isRegularFile(jar)) {
      out.add(
          new Finding(
              Level.fail,
              ".mcp.json starts taskq from "
                  + jar
                  + ", which does not exist: run `taskq init` again"));
      return out;
    }
    String same = jar.equals(thisJar) ? "" : " (not this jar, " + thisJar + ")";
    out.add(new Finding(Level.ok, ".mcp.json starts " + jar + same));
    out.add(cache(args, jar));
    return out;
  }

  private static Finding cache(List<String> args, Path jar) {
    for (String a : args) {
      for (String flag : List.of("-XX:SharedArchiveFile=", "-XX:AOTCache=")) {
        if (a.startsWith(flag)) {
          Path archive = Path.of(a.substring(flag.length()));
          try {
            if (!Files.exists(archive)) {
              return new Finding(
                  Level.warn,
                  "start-up cache " + archive + " is missing: run `taskq init` to make it");
            }
            if (Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) < 0) {
              return new Finding(
                  Level.warn,
                  "start-up cache "
                      + archive
                      + " is older than the jar: run `taskq init` to re-make it");
            }
          } catch (java.io.IOException e) {
            return new Finding(
                Level.warn, "cannot read start-up cache " + archive + ": " + e.getMessage());
          }
          return new Finding(Level.ok, "start-up cache " + archive + " is up to date");
        }
      }
    }
    return new Finding(
        Level.info, "start-up cache: none registered (the server starts without one)");
  }
}

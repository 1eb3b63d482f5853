package dev.taskq.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client others wrote: the official MCP TypeScript SDK (interop/client.mjs, versions pinned in
 * interop/package-lock.json) spawns the jar and runs enqueue, claim, checkpoint, complete, a stale
 * complete, reads taskq://queue and gets the work prompt.
 */
class InteropIT {
  @TempDir Path dir;

  @Test
  void the_typescript_sdk_client_runs_a_worker_round_trip() throws Exception {
    Path interop = Path.of("interop").toAbsolutePath();
    boolean ready = onPath("node") && Files.isDirectory(interop.resolve("node_modules"));
    if (!ready) {
      System.err.println(
          "\n!!!!! SKIPPED InteropIT: needs `node` on PATH and interop/node_modules"
              + " (run `cd interop && npm ci`; bash .ci/run does) !!!!!\n");
    }
    assumeTrue(ready, "node or interop/node_modules missing");

    Path out = dir.resolve("client.out");
    Path err = dir.resolve("client.err");
    Process p =
        new ProcessBuilder(
                "node",
                interop.resolve("client.mjs").toString(),
                Jar.path().toString(),
                dir.resolve("tasks").toString())
            .directory(interop.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    boolean finished = p.waitFor(90, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(finished).as("client finished; stderr: " + stderr).isTrue();
    assertThat(p.exitValue()).as("exit code; stderr: " + stderr).isZero();
    String seen = Files.readString(out, StandardCharsets.UTF_8);
    System.out.println("TypeScript client saw: " + seen);
    assertThat(seen).contains("\"checks\":\"all passed\"").contains("\"name\":\"taskq\"");
    assertThat(Files.readString(dir.resolve("tasks/log.txt"))).contains("DONE: ts-one");
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }
}

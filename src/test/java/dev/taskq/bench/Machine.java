package dev.taskq.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the figures were measured on. */
record Machine(int cores, String cpu, String java, String os) {

  static Machine describe(String javaBinary) throws IOException, InterruptedException {
    String cpu = "unknown";
    Path info = Path.of("/proc/cpuinfo");
    if (Files.isReadable(info)) {
      for (String l : Files.readAllLines(info)) {
        if (l.startsWith("model name")) {
          cpu = l.substring(l.indexOf(':') + 1).strip();
          break;
        }
      }
    }
    Process p = new ProcessBuilder(javaBinary, "-version").redirectErrorStream(true).start();
    String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    String os = System.getProperty("os.name") + " " + System.getProperty("os.version");
    return new Machine(
        Runtime.getRuntime().availableProcessors(), cpu, version.strip().replace('\n', ';'), os);
  }

  String line() {
    return "nproc " + cores + " | " + cpu + " | " + java + " | " + os;
  }
}

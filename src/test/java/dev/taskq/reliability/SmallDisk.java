package dev.taskq.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted at a folder, so a test can fill a real disk or make it read-only. Needs
 * root with mount rights (a CI container usually has them); elsewhere the test is skipped with a
 * loud line on stderr saying why.
 */
final class SmallDisk implements AutoCloseable {
  final Path mountPoint;

  private SmallDisk(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  static SmallDisk mountOrSkip(Path mountPoint, String size) throws IOException {
    SmallDisk d = tryMount(mountPoint, size);
    if (d == null) {
      skipLoudly("cannot mount a tmpfs at " + mountPoint + "; run as root to test this fault");
    }
    return d;
  }

  /** The mounted disk, or null when this process may not mount. */
  static SmallDisk tryMount(Path mountPoint, String size) throws IOException {
    Files.createDirectories(mountPoint);
    String why =
        run("mount", "-t", "tmpfs", "-o", "size=" + size, "taskq-test", mountPoint.toString());
    return why == null ? new SmallDisk(mountPoint) : null;
  }

  static void skipLoudly(String why) {
    String msg = "SKIPPED LOUDLY: " + why;
    System.err.println(msg);
    Assumptions.abort(msg);
  }

  void readOnly() throws IOException {
    require(run("mount", "-o", "remount,ro", mountPoint.toString()));
  }

  void readWrite() throws IOException {
    require(run("mount", "-o", "remount,rw", mountPoint.toString()));
  }

  /** Writes a filler file until the disk refuses; returns it so the test can free the space. */
  Path fill() throws IOException {
    Path filler = mountPoint.resolve("filler");
    byte[] chunk = new byte[4096];
    try (var out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
        out.flush();
      }
    } catch (IOException full) {
      return filler;
    }
  }

  @Override
  public void close() throws IOException {
    run("umount", "-l", mountPoint.toString());
  }

  private static void require(String error) throws IOException {
    if (error != null) {
      throw new IOException(error);
    }
  }

  /** Runs a command; null when it worked, else its output. */
  private static String run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return String.join(" ", cmd) + " timed out";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
    String out = new String(p.getInputStream().readAllBytes()).strip();
    return p.exitValue() == 0 ? null : String.join(" ", cmd) + ": " + out;
  }
}

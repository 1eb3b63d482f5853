package dev.taskq.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * What one durable write costs on this disk right now (write, fsync, rename, fsync the folder: the
 * store's unit of work), and the machine's load average. Every durable figure moves with these, so
 * the report shows them before and after the run.
 */
final class DiskProbe {
  private DiskProbe() {}

  static double durableWriteP50Millis(Path dir) throws IOException {
    Path d = Files.createDirectories(dir.resolve("disk-probe"));
    Samples s = new Samples();
    byte[] body = new byte[600];
    try (FileChannel folder = FileChannel.open(d, StandardOpenOption.READ)) {
      for (int i = 0; i < 100; i++) {
        Path tmp = d.resolve("t" + i + ".tmp");
        long t0 = System.nanoTime();
        try (FileChannel ch =
            FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          ch.write(ByteBuffer.wrap(body));
          ch.force(true);
        }
        Files.move(tmp, d.resolve("f" + i + ".md"), StandardCopyOption.ATOMIC_MOVE);
        folder.force(true);
        s.add(System.nanoTime() - t0);
      }
    }
    Workspace.delete(d);
    return s.medianMillis();
  }

  /** The 1-minute load average (Linux), or NaN. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}

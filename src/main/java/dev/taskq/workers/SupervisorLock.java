package dev.taskq.workers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One supervisor per queue: it holds an exclusive lock on {@code supervisor.lock} for as long as it
 * runs. The operating system drops the lock when the process dies, however it dies, so a killed
 * supervisor never blocks the next one. The file also says who holds it, for people.
 */
public final class SupervisorLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private SupervisorLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock, or empty when another process holds it. */
  public static Optional<SupervisorLock> tryAcquire(PoolFiles files) throws IOException {
    Files.createDirectories(files.root());
    FileChannel ch =
        FileChannel.open(files.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null; // this JVM holds it already
    }
    if (l == null) {
      ch.close();
      return Optional.empty();
    }
    ch.truncate(0);
    ch.write(
        ByteBuffer.wrap(
            ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
    return Optional.of(new SupervisorLock(ch, l));
  }

  /** True when a running process holds the lock (a look: the lock is not kept). */
  public static boolean isHeld(PoolFiles files) throws IOException {
    Optional<SupervisorLock> l = tryAcquire(files);
    l.ifPresent(SupervisorLock::close);
    return l.isEmpty();
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // closing the channel releases it too
    }
    try {
      channel.close();
    } catch (IOException e) {
      // nothing more to release
    }
  }
}

package dev.taskq.store.file;

import java.nio.file.Path;

/**
 * Holds a queue's lock from its own JVM until its stdin closes: a stuck process, as far as the
 * other sessions can tell. Prints LOCKED once it holds the lock.
 */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    QueueLock lock = new QueueLock(Path.of(args[0]).resolve(".taskq/lock"));
    lock.lock();
    System.out.println("LOCKED");
    System.out.flush();
    while (System.in.read() >= 0) {
      // hold until the test closes our stdin
    }
    lock.unlock();
    lock.close();
  }
}

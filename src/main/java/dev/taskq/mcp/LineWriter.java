package dev.taskq.mcp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes whole lines to stdout from one thread, flushing when the queue runs dry. Handler threads
 * never touch the stream: Reactor interrupts a worker thread when its handler throws, and an
 * interrupted write to an interruptible channel closes it for good (replies were lost that way).
 */
final class LineWriter {
  private static final Logger log = LoggerFactory.getLogger(LineWriter.class);
  private static final byte[] END = new byte[0];

  private final OutputStream out;
  private final BlockingQueue<byte[]> outbox = new LinkedBlockingQueue<>();
  private final Thread thread = new Thread(this::writeAll, "taskq-stdout");

  LineWriter(OutputStream out) {
    this.out = out;
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Queues one JSON document; it is written as one line. */
  void send(String jsonText) {
    byte[] body = jsonText.getBytes(StandardCharsets.UTF_8);
    byte[] line = Arrays.copyOf(body, body.length + 1);
    line[body.length] = '\n';
    outbox.add(line);
  }

  /** Writes what is queued, then stops the thread. */
  void finish() {
    outbox.add(END);
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void writeAll() {
    boolean broken = false;
    while (true) {
      byte[] line;
      try {
        line = outbox.take();
      } catch (InterruptedException e) {
        return;
      }
      if (line == END) {
        break;
      }
      if (!broken) {
        broken = !write(line, outbox.isEmpty());
      }
    }
    if (!broken) {
      write(new byte[0], true);
    }
  }

  private boolean write(byte[] line, boolean flush) {
    try {
      out.write(line);
      if (flush) {
        out.flush();
      }
      return true;
    } catch (IOException e) {
      log.debug("stdout closed; replies dropped from now on: {}", e.toString());
      return false;
    }
  }
}

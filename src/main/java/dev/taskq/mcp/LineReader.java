package dev.taskq.mcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a byte stream into '\n'-terminated lines with a hard size cap. An over-long line is
 * skipped to its end rather than buffered, so a hostile or broken client cannot exhaust memory.
 */
final class LineReader {
  /**
   * One line: its text, or null text when it was longer than the cap; then {@code id} is the
   * request id found in its bytes, if any, so the refusal can be addressed to the request.
   */
  record Line(String text, long length, Object id) {
    boolean tooLong() {
      return text == null;
    }
  }

  private final InputStream in;
  private final int maxBytes;
  private final byte[] buf = new byte[64 * 1024];
  private final ByteArrayOutputStream acc = new ByteArrayOutputStream(1024);
  private RequestIdHint idHint;
  private int pos;
  private int len;

  LineReader(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /** The next line without its terminator (a trailing '\r' is dropped), or null at end of input. */
  Line next() throws IOException {
    acc.reset();
    idHint = null;
    long length = 0;
    boolean any = false;
    while (true) {
      if (pos == len) {
        int n = in.read(buf);
        if (n <= 0) {
          return any ? finish(length) : null;
        }
        pos = 0;
        len = n;
      }
      any = true;
      int nl = indexOfNewline();
      int end = nl < 0 ? len : nl;
      int chunk = end - pos;
      length += chunk;
      if (length <= maxBytes) {
        acc.write(buf, pos, chunk);
      } else {
        scanForId(chunk);
      }
      pos = nl < 0 ? len : nl + 1;
      if (nl >= 0) {
        return finish(length);
      }
    }
  }

  /** Past the cap the line is no longer kept, only scanned for its request id. */
  private void scanForId(int chunk) {
    if (idHint == null) {
      idHint = new RequestIdHint();
      byte[] kept = acc.toByteArray();
      idHint.feed(kept, 0, kept.length);
      acc.reset();
    }
    idHint.feed(buf, pos, pos + chunk);
  }

  private Line finish(long length) {
    if (length > maxBytes) {
      return new Line(null, length, idHint == null ? null : idHint.id());
    }
    byte[] bytes = acc.toByteArray();
    int n = bytes.length;
    if (n > 0 && bytes[n - 1] == '\r') {
      n--;
    }
    return new Line(new String(bytes, 0, n, StandardCharsets.UTF_8), length, null);
  }

  private int indexOfNewline() {
    for (int i = pos; i < len; i++) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}

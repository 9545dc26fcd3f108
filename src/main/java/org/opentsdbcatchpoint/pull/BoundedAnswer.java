package org.opentsdbcatchpoint.pull;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.opentsdbcatchpoint.pipeline.Clock;

/**
 * An answer body cut at a size and a deadline, so that an endless or very slow answer cannot hold the
 * pull's thread: the read timeout alone bounds only the wait between two bytes. The deadline is
 * checked as bytes arrive, so a cut comes at most one read timeout after it.
 */
final class BoundedAnswer extends FilterInputStream {
  /** Why an answer was cut: not an I/O fault that a retry at once would cure. */
  static final class CutException extends IOException {
    private static final long serialVersionUID = 1L;
    final boolean tooLarge;

    CutException(boolean tooLarge, String message) {
      super(message);
      this.tooLarge = tooLarge;
    }
  }

  private final Clock clock;
  private final long deadlineAtMillis;
  private final long startedMillis;
  private final long maxBytes;
  private long read;

  /**
   * @param deadlineMillis 0: none
   * @param maxBytes 0: none
   */
  BoundedAnswer(InputStream in, Clock clock, long startedMillis, long deadlineMillis, long maxBytes) {
    super(in);
    this.clock = clock;
    this.startedMillis = startedMillis;
    this.deadlineAtMillis = deadlineMillis > 0 ? startedMillis + deadlineMillis : Long.MAX_VALUE;
    this.maxBytes = maxBytes > 0 ? maxBytes : Long.MAX_VALUE;
  }

  @Override
  public int read() throws IOException {
    check();
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    check();
    // Never read past the bound: one byte more than allowed is enough to know.
    long room = maxBytes - read + 1;
    int n = super.read(buf, off, (int) Math.min(len, Math.max(1, room)));
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  private void count(int n) throws IOException {
    read += n;
    if (read > maxBytes) {
      throw new CutException(true, "the answer was cut at " + maxBytes + " bytes (max_answer_bytes)");
    }
    check();
  }

  private void check() throws IOException {
    long now = clock.nowMillis();
    if (now > deadlineAtMillis) {
      throw new CutException(false, "the answer was cut after " + (now - startedMillis) + " ms and " + read
          + " bytes (answer_deadline " + (deadlineAtMillis - startedMillis) / 1000 + " s)");
    }
  }
}

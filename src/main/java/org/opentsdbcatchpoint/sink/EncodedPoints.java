package org.opentsdbcatchpoint.sink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Points already encoded in a Graphite format, one after another, each point's bytes in one piece (a
 * plaintext line, a pickle tuple), with where each point ends: what a carbon connection wrote, kept
 * so that it can be written again as it is when the connection dies, and cut at any point when a full
 * retry buffer gives up its oldest. Immutable; a cut shares the bytes.
 */
final class EncodedPoints {
  private final byte[] bytes;
  private final int[] ends;
  private final int first;
  private final int last;

  private EncodedPoints(byte[] bytes, int[] ends, int first, int last) {
    this.bytes = bytes;
    this.ends = ends;
    this.first = first;
    this.last = last;
  }

  int points() {
    return last - first;
  }

  static int total(List<EncodedPoints> parts) {
    int n = 0;
    for (EncodedPoints e : parts) {
      n += e.points();
    }
    return n;
  }

  /** The array holding the bytes: those of point {@code k} are from {@link #start}(k) to {@link #end}(k). */
  byte[] bytes() {
    return bytes;
  }

  /** Where the bytes of point {@code k} (0: the first of these) begin. */
  int start(int k) {
    int i = first + k;
    return i == 0 ? 0 : ends[i - 1];
  }

  int end(int k) {
    return ends[first + k];
  }

  /** Where the bytes of all these points end. */
  int end() {
    return last == first ? start(0) : ends[last - 1];
  }

  /** The {@code n} oldest of these points. */
  EncodedPoints oldest(int n) {
    return new EncodedPoints(bytes, ends, first, first + Math.min(n, points()));
  }

  /** These points without the {@code n} oldest. */
  EncodedPoints withoutOldest(int n) {
    return new EncodedPoints(bytes, ends, first + Math.min(n, points()), last);
  }

  /** Bytes written point by point: {@link #endPoint} after the bytes of each. */
  static final class Builder {
    private byte[] buf;
    private int length;
    private int[] ends = new int[16];
    private int points;

    Builder(int expectedBytes) {
      buf = new byte[Math.max(16, expectedBytes)];
    }

    Builder write(int b) {
      room(1);
      buf[length++] = (byte) b;
      return this;
    }

    Builder write(byte[] b) {
      room(b.length);
      System.arraycopy(b, 0, buf, length, b.length);
      length += b.length;
      return this;
    }

    /** The text in UTF-8 (names and numbers are ASCII: written char by char, no copy). */
    Builder writeText(String s) {
      int n = s.length();
      room(n);
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          length -= i;
          return write(s.getBytes(StandardCharsets.UTF_8));
        }
        buf[length++] = (byte) c;
      }
      return this;
    }

    /** The bytes written since the last call are one point. */
    void endPoint() {
      if (points == ends.length) {
        ends = Arrays.copyOf(ends, points * 2);
      }
      ends[points++] = length;
    }

    /** The points, in arrays of their exact size (they may be kept for a while). */
    EncodedPoints build() {
      return new EncodedPoints(Arrays.copyOf(buf, length), Arrays.copyOf(ends, points), 0, points);
    }

    private void room(int n) {
      if (length + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + n));
      }
    }
  }
}

package org.opentsdbcatchpoint.sink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Carbon's pickle protocol: frames of a 4-byte big-endian length and a pickle (protocol 2) of a list of
 * {@code (name, (timestamp, value))} tuples, written by hand with the few opcodes that need: no classes,
 * nothing carbon's safe unpickler would refuse. A batch is cut into frames of at most
 * {@value #MAX_FRAME_POINTS} points and about {@value #MAX_FRAME_BYTES} bytes, well under carbon's
 * {@code PICKLE_RECEIVER_MAX_LENGTH} (1 MiB by default).
 */
public final class GraphitePickle implements GraphiteFormat {
  static final int MAX_FRAME_POINTS = 500;
  static final int MAX_FRAME_BYTES = 256 * 1024;

  // Pickle opcodes (Python's Lib/pickle.py).
  private static final int PROTO = 0x80;
  private static final int EMPTY_LIST = ']';
  private static final int MARK = '(';
  private static final int BINUNICODE = 'X';
  private static final int BININT = 'J';
  private static final int LONG1 = 0x8a;
  private static final int BINFLOAT = 'G';
  private static final int TUPLE2 = 0x86;
  private static final int APPENDS = 'e';
  private static final int STOP = '.';

  private static final byte[] FRAME_START = {(byte) PROTO, 2, EMPTY_LIST, MARK};
  private static final byte[] FRAME_END = {APPENDS, STOP};

  private final GraphiteNaming naming;

  public GraphitePickle(GraphiteNaming naming) {
    this.naming = naming;
  }

  @Override
  public GraphiteNaming naming() {
    return naming;
  }

  /** One {@code (name, (timestamp, value))} tuple, without the frame around it. */
  @Override
  public void write(EncodedPoints.Builder b, String name, long timestamp, double value) {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    b.write(BINUNICODE);
    int32le(b, utf8.length);
    b.write(utf8);
    if (timestamp >= Integer.MIN_VALUE && timestamp <= Integer.MAX_VALUE) {
      b.write(BININT);
      int32le(b, (int) timestamp);
    } else {
      b.write(LONG1);
      b.write(8);
      for (int i = 0; i < 8; i++) {
        b.write((int) (timestamp >>> (8 * i)) & 0xff);
      }
    }
    b.write(BINFLOAT);
    long bits = Double.doubleToLongBits(value);
    for (int i = 7; i >= 0; i--) {
      b.write((int) (bits >>> (8 * i)) & 0xff);
    }
    b.write(TUPLE2);
    b.write(TUPLE2);
  }

  /**
   * The points in frames: each a big-endian length, then {@code PROTO 2, EMPTY_LIST, MARK}, the tuples,
   * {@code APPENDS, STOP}. A frame closes after {@value #MAX_FRAME_POINTS} tuples or once it holds
   * {@value #MAX_FRAME_BYTES} bytes. The tuples are not copied: each frame is three buffers.
   */
  @Override
  public ByteBuffer[] wire(EncodedPoints points) {
    List<ByteBuffer> out = new ArrayList<>();
    int first = 0;
    for (int k = 0; k < points.points(); k++) {
      int inFrame = k - first + 1;
      int tuples = points.end(k) - points.start(first);
      if (inFrame >= MAX_FRAME_POINTS || FRAME_START.length + tuples >= MAX_FRAME_BYTES || k == points.points() - 1) {
        int length = FRAME_START.length + tuples + FRAME_END.length;
        ByteBuffer head = ByteBuffer.allocate(4 + FRAME_START.length).putInt(length).put(FRAME_START);
        head.flip();
        out.add(head);
        out.add(ByteBuffer.wrap(points.bytes(), points.start(first), tuples));
        out.add(ByteBuffer.wrap(FRAME_END));
        first = k + 1;
      }
    }
    return out.toArray(new ByteBuffer[0]);
  }

  private static void int32le(EncodedPoints.Builder b, int v) {
    b.write(v & 0xff);
    b.write((v >>> 8) & 0xff);
    b.write((v >>> 16) & 0xff);
    b.write((v >>> 24) & 0xff);
  }

  @Override
  public String protocol() {
    return "pickle";
  }

  @Override
  public int defaultPort() {
    return 2004;
  }
}

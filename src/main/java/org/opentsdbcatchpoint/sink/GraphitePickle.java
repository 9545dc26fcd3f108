package org.opentsdbcatchpoint.sink;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.opentsdbcatchpoint.pipeline.DataPoint;

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

  private final GraphiteNaming naming;

  public GraphitePickle(GraphiteNaming naming) {
    this.naming = naming;
  }

  @Override
  public Encoded encode(List<DataPoint> batch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 180 + 16);
    ByteArrayOutputStream frame = new ByteArrayOutputStream(Math.min(batch.size(), MAX_FRAME_POINTS) * 180 + 16);
    List<DataPoint> encoded = new ArrayList<>(batch.size());
    int invalid = 0;
    int inFrame = 0;
    for (DataPoint p : batch) {
      String name = Double.isFinite(p.value()) ? naming.name(p) : null;
      if (name == null) {
        invalid++;
        continue;
      }
      if (inFrame == 0) {
        frame.reset();
        frame.write(PROTO);
        frame.write(2);
        frame.write(EMPTY_LIST);
        frame.write(MARK);
      }
      item(frame, name, p.timestampSeconds(), p.value());
      encoded.add(p);
      inFrame++;
      if (inFrame >= MAX_FRAME_POINTS || frame.size() >= MAX_FRAME_BYTES) {
        close(frame, out);
        inFrame = 0;
      }
    }
    if (inFrame > 0) {
      close(frame, out);
    }
    return new Encoded(out.toByteArray(), encoded, invalid);
  }

  private static void item(ByteArrayOutputStream f, String name, long timestamp, double value) {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    f.write(BINUNICODE);
    int32le(f, utf8.length);
    f.write(utf8, 0, utf8.length);
    if (timestamp >= Integer.MIN_VALUE && timestamp <= Integer.MAX_VALUE) {
      f.write(BININT);
      int32le(f, (int) timestamp);
    } else {
      f.write(LONG1);
      f.write(8);
      for (int i = 0; i < 8; i++) {
        f.write((int) (timestamp >>> (8 * i)) & 0xff);
      }
    }
    f.write(BINFLOAT);
    long bits = Double.doubleToLongBits(value);
    for (int i = 7; i >= 0; i--) {
      f.write((int) (bits >>> (8 * i)) & 0xff);
    }
    f.write(TUPLE2);
    f.write(TUPLE2);
  }

  private static void close(ByteArrayOutputStream frame, ByteArrayOutputStream out) {
    frame.write(APPENDS);
    frame.write(STOP);
    int n = frame.size();
    out.write((n >>> 24) & 0xff);
    out.write((n >>> 16) & 0xff);
    out.write((n >>> 8) & 0xff);
    out.write(n & 0xff);
    byte[] bytes = frame.toByteArray();
    out.write(bytes, 0, bytes.length);
  }

  private static void int32le(ByteArrayOutputStream f, int v) {
    f.write(v & 0xff);
    f.write((v >>> 8) & 0xff);
    f.write((v >>> 16) & 0xff);
    f.write((v >>> 24) & 0xff);
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

package org.opentsdbcatchpoint.sink;

import java.nio.ByteBuffer;

/** A Graphite wire format: the plaintext protocol (port 2003) or the pickle protocol (port 2004). */
public interface GraphiteFormat {
  /** The batch's points, each encoded in one piece; points with no legal name or a non-finite value are left out. */
  default EncodedPoints encode(PointRing batch) {
    EncodedPoints.Builder out = new EncodedPoints.Builder(batch.size() * 180);
    for (int i = 0; i < batch.size(); i++) {
      double value = batch.value(i);
      String name = Double.isFinite(value) ? naming().name(batch.metric(i), batch.tags(i)) : null;
      if (name != null) {
        write(out, name, batch.seconds(i), value);
        out.endPoint();
      }
    }
    return out.build();
  }

  GraphiteNaming naming();

  /** The bytes of one point. */
  void write(EncodedPoints.Builder out, String name, long seconds, double value);

  /** Encoded points as they are written on a connection (pickle: in frames). */
  ByteBuffer[] wire(EncodedPoints points);

  /** {@code plaintext} or {@code pickle}. */
  String protocol();

  /** The port carbon listens on for this format by default. */
  int defaultPort();
}

package org.opentsdbcatchpoint.sink;

import java.nio.ByteBuffer;

/** A Graphite wire format: the plaintext protocol (port 2003) or the pickle protocol (port 2004). */
public interface GraphiteFormat {
  /** The batch's points, each encoded in one piece; points with no legal name or a non-finite value are left out. */
  EncodedPoints encode(PointRing batch);

  /** Encoded points as they are written on a connection (pickle: in frames). */
  ByteBuffer[] wire(EncodedPoints points);

  /** {@code plaintext} or {@code pickle}. */
  String protocol();

  /** The port carbon listens on for this format by default. */
  int defaultPort();
}

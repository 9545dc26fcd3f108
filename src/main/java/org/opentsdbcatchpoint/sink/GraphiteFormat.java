package org.opentsdbcatchpoint.sink;

import java.util.List;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/** A Graphite wire format: the plaintext protocol (port 2003) or the pickle protocol (port 2004). */
public interface GraphiteFormat {
  /** The batch as bytes to write on the connection; points with no legal name or a non-finite value are left out. */
  Encoded encode(List<DataPoint> batch);

  /** {@code plaintext} or {@code pickle}. */
  String protocol();

  /** The port carbon listens on for this format by default. */
  int defaultPort();
}

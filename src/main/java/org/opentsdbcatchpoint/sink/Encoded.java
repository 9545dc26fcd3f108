package org.opentsdbcatchpoint.sink;

import java.util.List;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/** A batch in a target's wire format, and the points that had to be left out. */
public final class Encoded {
  private final byte[] bytes;
  private final List<DataPoint> encoded;
  private final int invalid;

  /**
   * @param encoded the points that are in {@code bytes}, in order
   * @param invalid how many points of the batch could not be encoded (left out)
   */
  public Encoded(byte[] bytes, List<DataPoint> encoded, int invalid) {
    this.bytes = bytes;
    this.encoded = encoded;
    this.invalid = invalid;
  }

  public byte[] bytes() {
    return bytes;
  }

  /** The points that are in {@link #bytes()}. */
  public List<DataPoint> encoded() {
    return encoded;
  }

  public int invalid() {
    return invalid;
  }

  public boolean isEmpty() {
    return encoded.isEmpty();
  }
}

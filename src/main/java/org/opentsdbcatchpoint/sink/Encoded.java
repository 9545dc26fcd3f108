package org.opentsdbcatchpoint.sink;

/**
 * A batch encoded for an HTTP target (InfluxDB line protocol, a Prometheus WriteRequest), and how many
 * of its points had to be left out.
 */
public final class Encoded {
  private final byte[] bytes;
  private final int points;
  private final int invalid;

  /**
   * @param points how many points are in {@code bytes}
   * @param invalid how many points of the batch could not be encoded (left out)
   */
  Encoded(byte[] bytes, int points, int invalid) {
    this.bytes = bytes;
    this.points = points;
    this.invalid = invalid;
  }

  public byte[] bytes() {
    return bytes;
  }

  public int invalid() {
    return invalid;
  }

  public boolean isEmpty() {
    return points == 0;
  }
}

package org.opentsdbcatchpoint.sink;

import java.io.IOException;

/**
 * A batch was delivered except for some of its points, which the target refused one by one and will
 * refuse again (an OpenTSDB's per-point errors of {@code /api/put?details}): the forwarder counts those
 * as {@code dropped.rejected}, the rest as sent, and never sends the batch again.
 */
public final class PointsRefusedException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int refused;
  private final int invalid;

  /**
   * @param refused the points the target refused (at least 1)
   * @param invalid the points that could not be encoded and were left out of the request
   * @param message what the target said, shortened
   */
  public PointsRefusedException(int refused, int invalid, String message) {
    super(message);
    if (refused < 1 || invalid < 0) {
      throw new IllegalArgumentException("refused " + refused + ", invalid " + invalid);
    }
    this.refused = refused;
    this.invalid = invalid;
  }

  public int refused() {
    return refused;
  }

  public int invalid() {
    return invalid;
  }
}

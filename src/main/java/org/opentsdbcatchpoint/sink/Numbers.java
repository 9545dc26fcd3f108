package org.opentsdbcatchpoint.sink;

import java.math.BigDecimal;

/** Numbers as text for the text protocols: the shortest decimal that reads back as the same double. */
final class Numbers {
  private Numbers() {}

  /** {@code 12.0} -> {@code 12}, {@code 0.1} -> {@code 0.1}, {@code 1.0E10} -> {@code 10000000000}; never exponents. */
  static String plain(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }
}

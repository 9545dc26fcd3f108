package org.opentsdbcatchpoint.pipeline;

/**
 * Time as the plugin sees it: the wall clock, a monotonic clock for durations, and a way to wait.
 * Handed down from the TSD glue, so that deadlines, token expiry, cursors and backoff are tested
 * without sleeping; nothing below {@code tsd} reads the system clock itself.
 */
public interface Clock {
  /** Epoch milliseconds. */
  long nowMillis();

  /** Nanoseconds on a monotonic clock, for durations and deadlines only. */
  long nanoTime();

  /** Waits; interrupted when the plugin shuts down. */
  void sleep(long millis) throws InterruptedException;

  default long nowSeconds() {
    return Math.floorDiv(nowMillis(), 1000L);
  }
}

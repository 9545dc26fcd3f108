package org.opentsdbcatchpoint.sink;

/** Lets a log line through the first time and then at most once per interval, on the caller's clock. */
final class Throttle {
  private final long intervalNanos;
  private boolean used;
  private long last;

  Throttle(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /** True (and the interval starts again) when a line may be written at {@code now}. */
  boolean allows(long now) {
    if (used && now - last < intervalNanos) {
      return false;
    }
    restart(now);
    return true;
  }

  /** The interval starts now, as if a line had just been written. */
  void restart(long now) {
    used = true;
    last = now;
  }
}

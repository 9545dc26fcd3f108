package org.opentsdbcatchpoint.sink;

/**
 * A target's rate limit ({@code rate_limit}, points per second): a token bucket on the sender's
 * monotonic clock, holding at most one second's worth of points (at least one), so a target that
 * throttles never gets a burst of more than that. Every attempt spends the points it sends, a retry
 * too: the target sees them again. Exact in whole units: the credit is kept in points times 10^9, so
 * any rate adds a whole number of units each nanosecond. Used by the sender thread only.
 */
final class RateLimit {
  private static final long UNIT = 1_000_000_000L;

  private final long perSecond;
  private final long capacityUnits;
  private long credit;
  private long last;

  /** @param perSecond points per second; 0: no limit */
  RateLimit(long perSecond) {
    if (perSecond < 0 || perSecond > 10_000_000) {
      throw new IllegalArgumentException("rate limit " + perSecond);
    }
    this.perSecond = perSecond;
    this.capacityUnits = maxBatch() * UNIT;
  }

  boolean isOn() {
    return perSecond > 0;
  }

  long perSecond() {
    return perSecond;
  }

  /** The most points one batch may hold under the limit: one second's worth, at least one. */
  int maxBatch() {
    return perSecond == 0 ? Integer.MAX_VALUE : (int) Math.max(1, perSecond);
  }

  /** The bucket starts full at {@code now}. */
  void prime(long now) {
    last = now;
    credit = capacityUnits;
  }

  /** How long from {@code now} until {@code points} may be sent (nanoseconds; 0: at once). */
  long waitFor(int points, long now) {
    if (perSecond == 0) {
      return 0;
    }
    refill(now);
    long need = Math.min(points, maxBatch()) * UNIT - credit;
    return need <= 0 ? 0 : (need + perSecond - 1) / perSecond;
  }

  /** {@code points} were sent (or attempted) at {@code now}. */
  void spend(int points, long now) {
    if (perSecond == 0) {
      return;
    }
    refill(now);
    credit -= Math.min(points, maxBatch()) * UNIT;
  }

  private void refill(long now) {
    long elapsed = now - last;
    last = now;
    if (elapsed <= 0) {
      return;
    }
    // Past a full bucket's refill time nothing more is added: bound the product before it can overflow.
    long untilFull = (capacityUnits - credit + perSecond - 1) / perSecond;
    credit = elapsed >= untilFull ? capacityUnits : credit + elapsed * perSecond;
  }
}

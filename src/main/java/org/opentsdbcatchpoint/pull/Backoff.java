package org.opentsdbcatchpoint.pull;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: attempt n waits between half and all of
 * {@code min(max, base * 2^(n-1))}, so N TSDs or N accounts that failed together do not retry
 * together.
 */
public final class Backoff {
  private final int maxAttempts;
  private final long baseMillis;
  private final long maxMillis;
  private final DoubleSupplier random;

  /** @param random values in [0, 1) */
  public Backoff(int maxAttempts, long baseMillis, long maxMillis, DoubleSupplier random) {
    if (maxAttempts < 1 || baseMillis < 0 || maxMillis < baseMillis) {
      throw new IllegalArgumentException("bad backoff " + maxAttempts + "/" + baseMillis + "/" + maxMillis);
    }
    this.maxAttempts = maxAttempts;
    this.baseMillis = baseMillis;
    this.maxMillis = maxMillis;
    this.random = random;
  }

  /** Five attempts, 1 s doubling to at most 60 s, with jitter. */
  public static Backoff defaults() {
    return new Backoff(5, 1000, 60_000, () -> ThreadLocalRandom.current().nextDouble());
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /** The wait after failed attempt {@code attempt} (1-based). */
  public long delayMillis(int attempt) {
    int shift = Math.min(Math.max(attempt - 1, 0), 30);
    long cap = Math.min(maxMillis, baseMillis << shift);
    if (cap < 0) {
      cap = maxMillis;
    }
    return cap / 2 + Math.round(random.getAsDouble() * (cap - cap / 2));
  }
}

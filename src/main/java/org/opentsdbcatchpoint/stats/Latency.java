package org.opentsdbcatchpoint.stats;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free latency histogram with power-of-two millisecond buckets (1, 2, 4, ... ms): cheap
 * enough for every request, precise enough for p50/p99 on a health page.
 */
public final class Latency {
  private static final int BUCKETS = 20;
  private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
  private final LongAdder count = new LongAdder();
  private final LongAdder totalMicros = new LongAdder();

  public void record(long nanos) {
    long micros = Math.max(0, nanos / 1000);
    count.increment();
    totalMicros.add(micros);
    long ms = micros / 1000;
    int b = ms <= 0 ? 0 : Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(ms));
    buckets.incrementAndGet(b);
  }

  public long count() {
    return count.sum();
  }

  public double meanMillis() {
    long n = count.sum();
    return n == 0 ? 0 : totalMicros.sum() / 1000.0 / n;
  }

  /** Upper bound in ms of the bucket holding the given quantile (0..1); 0 when empty. */
  public long quantileMillis(double q) {
    long n = 0;
    long[] copy = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      copy[i] = buckets.get(i);
      n += copy[i];
    }
    if (n == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * n)); // rank 0 would stop at the first, possibly empty, bucket
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += copy[i];
      if (seen >= rank) {
        return 1L << i;
      }
    }
    return 1L << (BUCKETS - 1);
  }
}

package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The token bucket on the sender's clock, driven by hand: no sleeping. */
class RateLimitTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long S = TimeUnit.SECONDS.toNanos(1);

  @Test
  void offLetsEverythingGoAtOnce() {
    RateLimit off = new RateLimit(0);
    off.prime(0);
    assertFalse(off.isOn());
    assertEquals(Integer.MAX_VALUE, off.maxBatch());
    off.spend(1_000_000, 0);
    assertEquals(0, off.waitFor(1_000_000, 0));
  }

  @Test
  void aFullBucketHoldsOneSecondOfPointsThenRefillsAtTheRate() {
    RateLimit r = new RateLimit(100);
    long t = 5 * S; // any origin: the clock is monotonic, not epoch
    r.prime(t);
    assertEquals(100, r.maxBatch());
    assertEquals(0, r.waitFor(100, t), "a full bucket: one second's worth at once");
    r.spend(100, t);
    assertEquals(S, r.waitFor(100, t), "empty: 100 points take a second");
    assertEquals(10 * MS, r.waitFor(1, t), "one point: a hundredth");
    assertEquals(500 * MS, r.waitFor(100, t + 500 * MS));
    assertEquals(0, r.waitFor(50, t + 500 * MS));
    r.spend(50, t + 500 * MS);
    assertEquals(S, r.waitFor(100, t + 500 * MS));
    assertEquals(0, r.waitFor(100, t + 1500 * MS));
  }

  @Test
  void anIdleTargetGetsNoMoreThanOneSecondsWorthAfterALongPause() {
    RateLimit r = new RateLimit(100);
    r.prime(0);
    r.spend(100, 0);
    long later = TimeUnit.DAYS.toNanos(400); // elapsed * rate would overflow if it were not bounded
    assertEquals(0, r.waitFor(100, later));
    r.spend(100, later);
    assertEquals(S, r.waitFor(100, later), "the bucket was full, not more");
  }

  @Test
  void oddRatesAreExactOverTime() {
    RateLimit r = new RateLimit(3);
    r.prime(0);
    r.spend(3, 0);
    long now = 0;
    int sent = 0;
    while (now <= 60 * S) { // the points fall at exactly k/3 s: the 180th at 60 s
      long w = r.waitFor(1, now);
      if (w == 0) {
        r.spend(1, now);
        sent++;
      } else {
        now += w;
      }
    }
    assertEquals(180, sent, "3 points/s for 60 s");
  }

  @Test
  void aRateBelowOnePointABatchStillSendsOnePointAtATime() {
    RateLimit r = new RateLimit(1);
    r.prime(0);
    assertEquals(1, r.maxBatch());
    r.spend(1, 0);
    assertEquals(S, r.waitFor(1000, 0), "a batch is cut to one point, which waits a second");
  }

  @Test
  void outOfRangeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RateLimit(-1));
    assertTrue(new RateLimit(10_000_000).isOn());
  }
}

package org.opentsdbcatchpoint.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatencyTest {
  private static final long MS = 1_000_000L;

  @Test
  void emptyIsZero() {
    Latency l = new Latency();
    assertEquals(0, l.count());
    assertEquals(0.0, l.meanMillis(), 0.0);
    assertEquals(0, l.quantileMillis(0.5));
    assertEquals(0, l.quantileMillis(0.99));
  }

  @Test
  void bucketsArePowersOfTwoMilliseconds() {
    // value -> upper bound of its bucket
    long[][] cases = {
      {0, 1}, {999_999, 1}, {1 * MS, 2}, {1_999_999, 2}, {2 * MS, 4}, {3 * MS, 4}, {4 * MS, 8}, {7 * MS, 8},
      {8 * MS, 16}, {100 * MS, 128}, {1000 * MS, 1024}, {19_000 * MS, 32_768},
    };
    for (long[] c : cases) {
      Latency l = new Latency();
      l.record(c[0]);
      assertEquals(c[1], l.quantileMillis(0.5), "bucket of " + c[0] + " ns");
      assertEquals(c[1], l.quantileMillis(1.0), "bucket of " + c[0] + " ns");
    }
  }

  @Test
  void quantilesOfKnownInputs() {
    Latency l = new Latency();
    for (int i = 0; i < 90; i++) {
      l.record(3 * MS);
    }
    for (int i = 0; i < 9; i++) {
      l.record(20 * MS);
    }
    l.record(300 * MS);
    assertEquals(100, l.count());
    assertEquals((90 * 3 + 9 * 20 + 300) / 100.0, l.meanMillis(), 1e-9);
    assertEquals(4, l.quantileMillis(0.5));
    assertEquals(4, l.quantileMillis(0.9));
    assertEquals(32, l.quantileMillis(0.91));
    assertEquals(32, l.quantileMillis(0.99));
    assertEquals(512, l.quantileMillis(1.0));
  }

  @Test
  void quantileZeroIsTheSmallestSamplesBucket() {
    Latency l = new Latency();
    l.record(100 * MS);
    l.record(200 * MS);
    assertEquals(128, l.quantileMillis(0.0));
    assertEquals(128, l.quantileMillis(0.5));
    assertEquals(256, l.quantileMillis(1.0));
  }

  @Test
  void meanKeepsSubMillisecondPrecision() {
    Latency l = new Latency();
    l.record(500_000);
    l.record(1_500_000);
    assertEquals(1.0, l.meanMillis(), 1e-9);
  }

  @Test
  void negativeDurationsCountAsZero() {
    Latency l = new Latency();
    l.record(-5 * MS);
    assertEquals(1, l.count());
    assertEquals(0.0, l.meanMillis(), 0.0);
    assertEquals(1, l.quantileMillis(0.5));
  }

  @Test
  void hugeDurationsLandInTheLastBucket() {
    Latency l = new Latency();
    l.record(3_600_000 * MS);
    assertEquals(1L << 19, l.quantileMillis(0.5));
  }
}

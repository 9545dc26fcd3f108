package org.opentsdbcatchpoint.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NameCacheTest {

  @Test
  void remembersUpToItsCapacityThenStopsTakingNames() {
    NameCache cache = new NameCache(3);
    for (int i = 0; i < 10; i++) {
      cache.offer("k" + i, "v" + i);
    }
    assertEquals(3, cache.size());
    assertEquals("v0", cache.get("k0"));
    assertEquals("v2", cache.get("k2"));
    assertNull(cache.get("k3"));
  }

  @Test
  void keepsTheFirstNameOfAKey() {
    NameCache cache = new NameCache(3);
    cache.offer("k", "first");
    cache.offer("k", "second");
    assertEquals("first", cache.get("k"));
    assertEquals(1, cache.size());
  }

  @Test
  void cachedMetricNamesAreTheUncachedOnesForOddAndRandomFieldNames() {
    String[] groups = {Vocabulary.TIMING, Vocabulary.BYTES, Vocabulary.COUNT, Vocabulary.ERROR,
        Vocabulary.PING, Vocabulary.SCORE, Vocabulary.TRACEROUTE, "host.error", "no_such_group"};
    String[] odd = {"", "_", "Dns", "DNS", "dns", "D_n_s", "Response_Content", "rttAvg", "loadObject",
        "SSLTime", "São Paulo", "\u00c9t\u00e9", "a.b.c", "  ", "123", "ÅßÇ", "x\u0000y", "Time To Title (ms)",
        "\ud83d\ude00", "FirstContentfulPaintTime", "first_contentful_paint_time"};
    Random random = new Random(42);
    for (int round = 0; round < 3; round++) {
      for (String group : groups) {
        for (String key : odd) {
          assertEquals(Vocabulary.uncachedMetric(group, key), Vocabulary.metric(group, key), group + "/" + key);
        }
        for (int i = 0; i < 50; i++) {
          String key = randomName(random);
          assertEquals(Vocabulary.uncachedMetric(group, key), Vocabulary.metric(group, key), group + "/" + key);
        }
      }
    }
  }

  @Test
  void untrustedFieldNamesCannotGrowTheCacheBeyondItsBound() {
    Random random = new Random(7);
    for (int i = 0; i < Vocabulary.NAME_CACHE_SIZE * 4; i++) {
      String key = "f" + i + randomName(random);
      assertEquals(Vocabulary.uncachedMetric(Vocabulary.COUNT, key), Vocabulary.metric(Vocabulary.COUNT, key));
    }
    assertTrue(Vocabulary.cachedNames(Vocabulary.COUNT) <= Vocabulary.NAME_CACHE_SIZE,
        "cache holds " + Vocabulary.cachedNames(Vocabulary.COUNT));
    // Names past the bound are still right, just computed each time.
    assertEquals("catchpoint.count.failed_requests", Vocabulary.metric(Vocabulary.COUNT, "FailedRequests"));
    assertEquals("catchpoint.count.zz_never_seen", Vocabulary.metric(Vocabulary.COUNT, "ZzNeverSeen"));
    assertEquals(0, Vocabulary.cachedNames("no_such_group"));
  }

  private static String randomName(Random random) {
    String alphabet = "aAbBzZ09_ -.()%#\u00e9\u00df\u0130\u0131\u03a3";
    int n = random.nextInt(12);
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}

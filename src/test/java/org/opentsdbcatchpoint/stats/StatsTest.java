package org.opentsdbcatchpoint.stats;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void unknownCountersAreZero() {
    Stats s = new Stats();
    assertEquals(0, s.get("catchpoint.push.datapoints.written"));
    assertEquals(0, s.get("catchpoint.push.requests", "status", "200"));
    assertTrue(s.snapshot().isEmpty());
  }

  @Test
  void incrementAndAddPerNameAndTag() {
    Stats s = new Stats();
    s.increment("a");
    s.increment("a");
    s.add("a", 5);
    s.increment("b", "status", "200");
    s.add("b", "status", "200", 10);
    s.increment("b", "status", "503");
    assertEquals(7, s.get("a"));
    assertEquals(11, s.get("b", "status", "200"));
    assertEquals(1, s.get("b", "status", "503"));
    assertEquals(0, s.get("b"), "the untagged counter is another counter");
    assertEquals(0, s.get("a", "status", "200"));
  }

  @Test
  void snapshotIsSortedAndCarriesTheTag() {
    Stats s = new Stats();
    s.increment("z.last");
    s.increment("m.middle", "kind", "timeout");
    s.increment("m.middle", "kind", "error");
    s.add("a.first", 3);
    List<Stats.Entry> snap = s.snapshot();
    assertEquals(4, snap.size());
    assertEquals("a.first", snap.get(0).name);
    assertNull(snap.get(0).tagKey);
    assertNull(snap.get(0).tagValue);
    assertEquals(3, snap.get(0).value);
    assertEquals("m.middle", snap.get(1).name);
    assertEquals("kind", snap.get(1).tagKey);
    assertEquals("error", snap.get(1).tagValue);
    assertEquals("timeout", snap.get(2).tagValue);
    assertEquals("z.last", snap.get(3).name);
  }

  @Test
  void snapshotIsACopy() {
    Stats s = new Stats();
    s.increment("a");
    List<Stats.Entry> before = s.snapshot();
    s.add("a", 9);
    assertEquals(1, before.get(0).value);
    assertEquals(10, s.snapshot().get(0).value);
  }

  @Test
  void concurrentIncrementsAreNotLost() throws Exception {
    Stats s = new Stats();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<CompletableFuture<Void>> jobs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        String status = t % 2 == 0 ? "200" : "503";
        jobs.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < 10_000; i++) {
            s.increment("catchpoint.push.requests", "status", status);
            s.add("catchpoint.push.datapoints.written", 2);
          }
        }, pool));
      }
      CompletableFuture.allOf(jobs.toArray(new CompletableFuture<?>[0])).get(30, SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(40_000, s.get("catchpoint.push.requests", "status", "200"));
    assertEquals(40_000, s.get("catchpoint.push.requests", "status", "503"));
    assertEquals(160_000, s.get("catchpoint.push.datapoints.written"));
  }

  @Test
  void eachInstanceHasItsOwnCountersAndLatency() {
    Stats a = new Stats();
    Stats b = new Stats();
    a.increment("x");
    a.ackLatency().record(1_000_000);
    assertEquals(0, b.get("x"));
    assertEquals(0, b.ackLatency().count());
    assertEquals(1, a.ackLatency().count());
  }

  @Test
  void gaugesAreReadAtSnapshotTimeBesideTheCountersAndCounterHandlesAreTheCounters() {
    Stats s = new Stats();
    long[] depth = {3};
    s.gauge("q.depth", "target", "a", () -> depth[0]);
    s.counter("q.sent", "target", "a").add(5);
    depth[0] = 7;
    List<Stats.Entry> snap = s.snapshot();
    assertEquals(2, snap.size());
    assertEquals("q.sent", snap.get(0).name);
    assertEquals(5, snap.get(0).value);
    assertEquals(5, s.get("q.sent", "target", "a"));
    assertEquals("q.depth", snap.get(1).name);
    assertEquals("a", snap.get(1).tagValue);
    assertEquals(7, snap.get(1).value);
  }
}

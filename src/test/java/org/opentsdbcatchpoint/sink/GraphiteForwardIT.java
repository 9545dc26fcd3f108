package org.opentsdbcatchpoint.sink;

import org.opentsdbcatchpoint.pipeline.Writer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.stats.Stats;

/**
 * The Graphite forwarder against a real carbon-cache (Debian graphite-carbon, started by
 * integration-tests/forwarders.sh on free loopback ports), read back with whisper-fetch: every shared
 * push fixture exactly, over plaintext and pickle, and a stream that outlives carbon being stopped.
 */
class GraphiteForwardIT {
  private static final Writer STORE = p -> CompletableFuture.completedFuture(null);

  private static Forwarder forwarder(String name, GraphiteFormat format, InetSocketAddress carbon, Stats stats,
      int batch, long flushMillis) {
    GraphiteTransport t = new GraphiteTransport(Collections.singletonList(carbon), format, 5000, 5000, 100_000);
    return new Forwarder(name, "graphite", t, new Forwarder.Options(100_000, batch, flushMillis, 100_000,
        Forwarder.Drop.OLDEST, 5000), stats);
  }

  private static long count(Stats stats, String target, String name) {
    return stats.get("catchpoint.forward." + name, "target", target);
  }

  private static long dropped(Stats stats, String target) {
    long n = 0;
    for (String reason : Forwarder.DROP_REASONS) {
      n += count(stats, target, "dropped." + reason);
    }
    return n;
  }

  /** Name -> second -> value as carbon should end up with it (a later write of a second wins, as in carbon). */
  private static Map<String, Map<Long, Double>> expected(List<DataPoint> points, GraphiteNaming naming) {
    Map<String, Map<Long, Double>> out = new LinkedHashMap<>();
    for (DataPoint p : points) {
      out.computeIfAbsent(naming.name(p), k -> new TreeMap<>()).put(p.timestampSeconds(), p.value());
    }
    return out;
  }

  /** Waits until carbon has written every expected value (it writes its cache out about once a second). */
  private static void assertStored(RealCarbon carbon, Map<String, Map<Long, Double>> expected) throws Exception {
    assertStored(carbon, expected, expected.size());
  }

  private static void assertStored(RealCarbon carbon, Map<String, Map<Long, Double>> expected, long seriesCount)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    for (Map.Entry<String, Map<Long, Double>> e : expected.entrySet()) {
      TreeMap<Long, Double> want = new TreeMap<>(e.getValue());
      Map<Long, Double> got;
      do {
        got = carbon.fetch(e.getKey(), want.firstKey() - 1, want.lastKey());
        if (got.equals(want)) {
          break;
        }
        Thread.sleep(200);
      } while (System.nanoTime() < deadline);
      assertEquals(want, got, "series " + e.getKey());
    }
    // Carbon creates whisper files in its own order: the last series on disk does not mean all are.
    long count = carbon.seriesCount();
    while (count < seriesCount && System.nanoTime() < deadline) {
      Thread.sleep(200);
      count = carbon.seriesCount();
    }
    assertEquals(seriesCount, count, "exactly the expected series, no other");
  }

  private static void everyFixturePointArrives(String name, boolean pickle, GraphiteNaming naming) throws Exception {
    List<DataPoint> points = FixturePoints.flat();
    try (RealCarbon carbon = new RealCarbon(name)) {
      carbon.start();
      Stats stats = new Stats();
      GraphiteFormat format = pickle ? new GraphitePickle(naming) : new GraphitePlaintext(naming);
      Forwarder f = forwarder(name, format, pickle ? carbon.pickle() : carbon.line(), stats, 100, 200);
      f.start();
      Writer w = new ForwardingWriter(STORE, Collections.singletonList(f));
      for (DataPoint p : points) {
        w.write(p).get();
      }
      assertEquals(0, f.shutdown(10_000).points);
      assertEquals(points.size(), count(stats, name, "sent"));
      assertEquals(0, dropped(stats, name));
      assertStored(carbon, expected(points, naming));
    }
  }

  @Test
  void everyFixturePointArrivesExactlyAsATaggedSeriesOverPlaintext() throws Exception {
    everyFixturePointArrives("plaintext", false, GraphiteNaming.tagged());
  }

  @Test
  void everyFixturePointArrivesExactlyAsATaggedSeriesOverPickle() throws Exception {
    everyFixturePointArrives("pickle", true, GraphiteNaming.tagged());
  }

  @Test
  void everyFixturePointArrivesExactlyUnderATemplateOverPickle() throws Exception {
    everyFixturePointArrives("template", true,
        GraphiteNaming.template("catchpoint.{test_id}.{node_id}.{step}.{hop}.{host}.{zone}.{metric}"));
  }

  /**
   * Carbon stopped (SIGTERM) for 10 s in the middle of a stream of 10,000 points and started again:
   * every point arrives, each second once with its own value. carbon-cache drops what it has not yet
   * written when it stops; the replay of the last seconds sent on the dead connection covers that.
   */
  @Test
  void aStreamOf10000PointsOutlivesCarbonStoppedFor10Seconds() throws Exception {
    try (RealCarbon carbon = new RealCarbon("outage")) {
      carbon.start();
      Stats stats = new Stats();
      Forwarder f = forwarder("outage", new GraphitePlaintext(GraphiteNaming.tagged()), carbon.line(), stats, 100, 100);
      f.start();
      Writer w = new ForwardingWriter(STORE, Collections.singletonList(f));
      List<DataPoint> points = Points.series("catchpoint.timing.outage", 1_790_000_000L, 10_000);
      long started = System.nanoTime();
      Thread outage = new Thread(() -> {
        try {
          Thread.sleep(5_000);
          carbon.stop();
          Thread.sleep(10_000);
          carbon.start();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "carbon-outage");
      outage.start();
      // 10,000 points over about 22 s: before, during and after the outage.
      for (int i = 0; i < points.size(); i++) {
        w.write(points.get(i));
        if (i % 50 == 49) {
          Thread.sleep(110);
        }
      }
      outage.join();
      assertEquals(0, f.shutdown(30_000).points);
      System.out.printf("graphite outage: 10000 points in %d s, sent %d (retried %d, replayed %d), errors %s%n",
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), count(stats, "outage", "sent"),
          count(stats, "outage", "retried"), count(stats, "outage", "replayed"), f.status().get("errors"));
      assertEquals(0, dropped(stats, "outage"));
      assertTrue(count(stats, "outage", "retried") > 0, "the outage was noticed");
      assertEquals(10_000 + count(stats, "outage", "replayed"), count(stats, "outage", "sent"));
      Map<String, Map<Long, Double>> expected = expected(points, GraphiteNaming.tagged());
      assertEquals(1, expected.size());
      assertStored(carbon, expected);
    }
  }

  /** How fast points reach a real carbon: printed for the README's performance figures. */
  @Test
  void throughput() throws Exception {
    for (boolean pickle : new boolean[] {false, true}) {
      String name = pickle ? "rate-pickle" : "rate-plaintext";
      try (RealCarbon carbon = new RealCarbon(name)) {
        carbon.start();
        Stats stats = new Stats();
        GraphiteFormat format = pickle ? new GraphitePickle(GraphiteNaming.tagged())
            : new GraphitePlaintext(GraphiteNaming.tagged());
        Forwarder f = forwarder(name, format, pickle ? carbon.pickle() : carbon.line(), stats, 1000, 1000);
        f.start();
        List<DataPoint> points = new ArrayList<>();
        for (int s = 0; s < 100; s++) {
          points.addAll(Points.series("catchpoint.timing.rate" + s, 1_790_000_000L, 1000));
        }
        long t0 = System.nanoTime();
        for (DataPoint p : points) {
          f.offer(p);
        }
        assertEquals(0, f.shutdown(60_000).points);
        double secs = (System.nanoTime() - t0) / 1e9;
        assertEquals(points.size(), count(stats, name, "sent"));
        System.out.printf("graphite %s: %d points written to carbon in %.2f s: %.0f points/s%n",
            pickle ? "pickle" : "plaintext", points.size(), secs, points.size() / secs);
        TreeMap<Long, Double> last = new TreeMap<>();
        for (int i = 0; i < 1000; i++) {
          last.put(1_790_000_000L + i, (double) i);
        }
        String lastSeries = GraphiteNaming.tagged().name(points.get(points.size() - 1));
        assertStored(carbon, Collections.singletonMap(lastSeries, last), 100);
      }
    }
  }
}

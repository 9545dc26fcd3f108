package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Writer;
import org.opentsdbcatchpoint.stats.Stats;

/**
 * The Prometheus remote-write forwarder against a real Prometheus 2.42 (Debian prometheus, started by
 * integration-tests/forwarders.sh on a free loopback port with the remote-write receiver on and a
 * 10-year out-of-order window, so the fixtures' 2024 runs are taken after later points), read back
 * with /api/v1/query: every shared push fixture exactly (names, labels, millisecond timestamps,
 * values), a stream that outlives Prometheus being stopped, a batch the server refuses, the rate.
 *
 * <p>Each test's series carry a label {@code suite} of their own, except the fixtures', which are
 * those without it.
 */
class PrometheusForwardIT {
  private static final Writer STORE = p -> CompletableFuture.completedFuture(null);
  /** Long enough to reach every sample: the fixtures' are from 2024. */
  private static final String ALL = "[20y]";
  private static RealPrometheus prom;

  @BeforeAll
  static void start() throws Exception {
    prom = new RealPrometheus("prometheus");
    prom.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (prom != null) {
      prom.close();
    }
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static Forwarder forwarder(String name, Stats stats, int queue, int batch, int retryBuffer)
      throws IOException {
    return new Forwarder(name, "prometheus", new PrometheusTransport(prom.writeUrl(), null, null, null, 5000),
        new Forwarder.Options(queue, batch, 100, retryBuffer, Forwarder.Drop.OLDEST, 5000), stats);
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

  /** What Prometheus should hold, in {@link PrometheusHttp#samples}'s shape, labels by the documented rule. */
  private static Map<String, Double> expected(List<DataPoint> points) {
    Map<String, Double> out = new TreeMap<>();
    for (DataPoint p : points) {
      Map<String, String> labels = new TreeMap<>();
      labels.put("__name__", PrometheusRemoteWrite.metricName(p.metric()));
      for (Map.Entry<String, String> t : p.tags().entrySet()) {
        if (!t.getValue().isEmpty()) {
          labels.putIfAbsent(PrometheusRemoteWrite.labelName(t.getKey()), t.getValue());
        }
      }
      out.putIfAbsent(labels + " " + p.timestampSeconds() * 1000, p.value()); // Prometheus keeps the first
    }
    return out;
  }

  private static DataPoint point(String suite, String metric, long second, double value, String node) {
    return Points.point(metric, second, value, "suite", suite, "test_id", "1", "node_id", node);
  }

  @Test
  void everyFixturePointArrivesExactly() throws Exception {
    List<DataPoint> points = FixturePoints.flat();
    Stats stats = new Stats();
    Forwarder f = forwarder("fixtures", stats, 10_000, 50, 10_000);
    f.start();
    Writer w = new ForwardingWriter(STORE, Collections.singletonList(f));
    for (DataPoint p : points) {
      w.write(p).get();
    }
    assertEquals(0, f.shutdown(10_000).points);
    assertEquals(points.size(), count(stats, "fixtures", "sent"));
    assertEquals(0, dropped(stats, "fixtures"), String.valueOf(f.status()));
    Map<String, Double> stored = PrometheusHttp.samples(prom.query("{__name__=~\".+\",suite=\"\"}" + ALL, now()));
    assertEquals(expected(points), stored, "names, labels, times, values, and nothing else");
    // The README's example, as Prometheus answers it.
    Map<String, Double> dns = PrometheusHttp.samples(prom.query("catchpoint_timing_dns{test_id=\"100001\","
        + "node_id=\"540\"}" + ALL, now()));
    assertEquals(Collections.singletonMap("{__name__=catchpoint_timing_dns, asn=AS16509, city=Frankfurt, "
        + "country=Germany, isp=Amazon, node_id=540, region=Hesse, test_id=100001, test_type=web} 1705320873000",
        12.0), dns);
  }

  /**
   * Prometheus stopped (SIGTERM) for 10 s in the middle of a stream of 10,000 points and started again
   * (it replays its write-ahead log): every point arrives, once, with its value.
   */
  @Test
  void aStreamOf10000PointsOutlivesPrometheusStoppedFor10Seconds() throws Exception {
    Stats stats = new Stats();
    Forwarder f = forwarder("outage", stats, 100_000, 100, 100_000);
    f.start();
    Writer w = new ForwardingWriter(STORE, Collections.singletonList(f));
    List<DataPoint> points = new ArrayList<>();
    long start = now() - 20_000;
    for (int i = 0; i < 10_000; i++) {
      points.add(point("outage", "catchpoint.timing.outage", start + i, i, "2"));
    }
    long started = System.nanoTime();
    Thread outage = new Thread(() -> {
      try {
        Thread.sleep(5_000);
        prom.stop();
        Thread.sleep(10_000);
        prom.start();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "prometheus-outage");
    outage.start();
    for (int i = 0; i < points.size(); i++) {
      w.write(points.get(i));
      if (i % 50 == 49) {
        Thread.sleep(110);
      }
    }
    outage.join();
    assertEquals(0, f.shutdown(30_000).points);
    System.out.printf("prometheus outage: 10000 points in %d s, sent %d (retried %d), errors %s%n",
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), count(stats, "outage", "sent"),
        count(stats, "outage", "retried"), f.status().get("errors"));
    assertEquals(0, dropped(stats, "outage"));
    assertTrue(count(stats, "outage", "retried") > 0, "the outage was noticed");
    Map<String, Double> stored = PrometheusHttp.samples(prom.query("{suite=\"outage\"}" + ALL, now()));
    assertEquals(expected(points), stored, "each point once, with its value");
  }

  /**
   * A batch the real server refuses: other values at the time of a series' latest sample are a
   * "duplicate sample for timestamp" (400). That batch is dropped and counted, with Prometheus's
   * message kept; the next batches are delivered.
   */
  @Test
  void aBatchTheServerRefusesIsDroppedAndCountedAndTheNextDelivered() throws Exception {
    Stats stats = new Stats();
    Forwarder f = forwarder("refused", stats, 1000, 10, 1000);
    long t = now() - 3600;
    List<DataPoint> good = new ArrayList<>();
    List<DataPoint> points = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      points.add(point("refused", "catchpoint.timing.dns", t + i, i, "1"));
    }
    for (int i = 0; i < 10; i++) {
      points.add(point("refused", "catchpoint.timing.dns", t + 9, 100 + i, "1"));
    }
    for (int i = 0; i < 20; i++) {
      points.add(point("refused", "catchpoint.timing.connect", t + i, i, "3"));
    }
    good.addAll(points.subList(0, 10));
    good.addAll(points.subList(20, 40));
    Writer w = new ForwardingWriter(STORE, Collections.singletonList(f));
    for (DataPoint p : points) {
      w.write(p);
    }
    f.start();
    assertEquals(0, f.shutdown(10_000).points);
    assertEquals(10, count(stats, "refused", "dropped.rejected"));
    assertEquals(30, count(stats, "refused", "sent"));
    String rejection = (String) f.status().get("first_rejection");
    assertTrue(rejection.contains("HTTP 400") && rejection.contains("duplicate sample for timestamp"), rejection);
    Map<String, Double> stored = PrometheusHttp.samples(prom.query("{suite=\"refused\"}" + ALL, now()));
    assertEquals(expected(good), stored, "the batches before and after, not the refused one");
  }

  /**
   * A rate limit of 2,000 points/s on a burst of 6,000: batches of at most 2,000 wait for the limit
   * in the sender (counted), and every point arrives exactly.
   */
  @Test
  void aRateLimitedTargetGetsEveryPointAndTheWaitIsCounted() throws Exception {
    Stats stats = new Stats();
    Forwarder f = new Forwarder("limited", "prometheus", new PrometheusTransport(prom.writeUrl(), null, null, null,
        5000), new Forwarder.Options(10_000, 5000, 100, 10_000, Forwarder.Drop.OLDEST, 5000, 2000), stats);
    List<DataPoint> points = new ArrayList<>();
    long start = now() - 7200;
    for (int i = 0; i < 6000; i++) {
      points.add(point("limited", "catchpoint.timing.dns", start + i, i, "1"));
    }
    for (DataPoint p : points) {
      assertTrue(f.offer(p));
    }
    f.start();
    assertEquals(0, f.shutdown(30_000).points);
    assertEquals(6000, count(stats, "limited", "sent"));
    assertEquals(0, dropped(stats, "limited"));
    assertTrue(count(stats, "limited", "rate_limited_ms") > 0, "the batches after the first waited for the limit");
    System.out.printf("prometheus rate limit 2000 points/s: 6000 points held back %d ms%n",
        count(stats, "limited", "rate_limited_ms"));
    assertEquals(expected(points), PrometheusHttp.samples(prom.query("{suite=\"limited\"}" + ALL, now())));
  }

  /** How fast points reach a real Prometheus: printed for the docs' performance figures. */
  @Test
  void throughput() throws Exception {
    Stats stats = new Stats();
    Forwarder f = forwarder("rate", stats, 200_000, 5000, 200_000);
    f.start();
    List<DataPoint> points = new ArrayList<>();
    String[] fields = {"dns", "connect", "ssl", "wait", "load"};
    long start = now() - 200 * 60 - 3600;
    for (int node = 0; node < 100; node++) {
      for (int run = 0; run < 200; run++) {
        for (String field : fields) {
          points.add(point("rate", "catchpoint.timing." + field, start + run * 60, run, Integer.toString(node)));
        }
      }
    }
    long t0 = System.nanoTime();
    for (DataPoint p : points) {
      f.offer(p);
    }
    assertEquals(0, f.shutdown(60_000).points);
    double secs = (System.nanoTime() - t0) / 1e9;
    assertEquals(points.size(), count(stats, "rate", "sent"));
    System.out.printf("prometheus: %d points (500 series) acknowledged by Prometheus in %.2f s: %.0f points/s%n",
        points.size(), secs, points.size() / secs);
    assertEquals(points.size(), PrometheusHttp.count(prom.query("{suite=\"rate\"}" + ALL, now())));
  }
}

package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Writer;
import org.opentsdbcatchpoint.stats.Stats;

/**
 * The KairosDB forwarder against a real KairosDB 1.3.0 (H2 datastore; started by
 * integration-tests/forwarders.sh on free loopback ports), read back with /api/v1/datapoints/query:
 * every shared push fixture exactly (names, tags, milliseconds, values), a stream that outlives
 * KairosDB being stopped and started again, a batch refused with a 400 while the next one reaches
 * KairosDB. KairosDB answers 204 once it has queued the points and writes them to H2 a little later:
 * every read-back waits for its count, with a deadline.
 */
class KairosForwardIT {
  private static final Writer STORE = p -> CompletableFuture.completedFuture(null);
  private static RealKairos kairos;

  @BeforeAll
  static void start() throws Exception {
    kairos = new RealKairos("kairos");
    kairos.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (kairos != null) {
      kairos.close();
    }
  }

  private static Forwarder forwarder(String name, String url, Stats stats, int batch) throws IOException {
    return new Forwarder(name, KairosSettings.TYPE, new KairosTransport(url, 5000),
        new Forwarder.Options(100_000, batch, 100, 100_000, Forwarder.Drop.OLDEST, 5000), stats);
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

  /** "metric {tags} milliseconds" -> value, as KairosDB should hold it: empty tags left out, a later write wins. */
  private static Map<String, Double> expected(List<DataPoint> points) {
    Map<String, Double> out = new TreeMap<>();
    for (DataPoint p : points) {
      Map<String, String> tags = new TreeMap<>(p.tags());
      tags.values().removeIf(String::isEmpty);
      out.put(p.metric() + " " + tags + " " + p.timestampSeconds() * 1000, p.value());
    }
    return out;
  }

  /** What KairosDB holds of these metrics, once it holds {@code points} of them (or the deadline passed). */
  private static Map<String, Double> stored(Iterable<String> metrics, int points) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      Map<String, Double> all = new TreeMap<>();
      for (String m : metrics) {
        all.putAll(kairos.points(m));
      }
      if (all.size() >= points || System.nanoTime() > deadline) {
        return all;
      }
      Thread.sleep(200);
    }
  }

  private static TreeSet<String> metrics(List<DataPoint> points) {
    TreeSet<String> out = new TreeSet<>();
    for (DataPoint p : points) {
      out.add(p.metric());
    }
    return out;
  }

  @Test
  void everyFixturePointArrivesExactly() throws Exception {
    List<DataPoint> points = FixturePoints.flat();
    Stats stats = new Stats();
    Forwarder f = forwarder("fixtures", kairos.writeUrl(), stats, 50);
    f.start();
    Writer w = new ForwardingWriter(STORE, Collections.singletonList(f));
    for (DataPoint p : points) {
      w.write(p).get();
    }
    assertEquals(0, f.shutdown(10_000).points);
    assertEquals(points.size(), count(stats, "fixtures", "sent"));
    assertEquals(0, dropped(stats, "fixtures"));
    Map<String, Double> expected = expected(points);
    assertEquals(expected, stored(metrics(points), expected.size()),
        "names, tags, milliseconds and values, and no other series of these metrics");
    // The web run's DNS time, as a KairosDB user asks for it.
    Map<String, Double> dns = kairos.points("catchpoint.timing.dns");
    assertTrue(dns.entrySet().stream().anyMatch(e -> e.getKey().contains("test_id=100001")
        && e.getKey().contains("node_id=540") && e.getKey().endsWith(" 1705320873000") && e.getValue() == 12.0), dns::toString);
  }

  /**
   * KairosDB stopped (SIGTERM) in the middle of a stream of 5,000 points and started again: every point
   * arrives, once, with its value. KairosDB is stopped once it has stored what it acknowledged so far:
   * it answers 204 when it has queued points, and H2 closes its database at the JVM's exit while
   * requests are still being written (its log: "Database is already closed"), so a stop with a request
   * in flight can lose points KairosDB itself acknowledged, which no forwarder can see. The 2,000
   * points written while it is down, and the rest after it is back, are the forwarder's to keep.
   */
  @Test
  void aStreamOf5000PointsOutlivesKairosStoppedAndStartedAgain() throws Exception {
    Stats stats = new Stats();
    Forwarder f = forwarder("outage", kairos.writeUrl(), stats, 100);
    f.start();
    Writer w = new ForwardingWriter(STORE, Collections.singletonList(f));
    String metric = "catchpoint.it.kairos.outage";
    List<DataPoint> points = Points.series(metric, 1_790_000_000L, 5_000);
    long started = System.nanoTime();
    write(w, points.subList(0, 1_500));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while ((count(stats, "outage", "sent") < 1_500 || kairos.points(metric).size() < 1_500)
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(1_500, kairos.points(metric).size(), "stored before the stop");
    kairos.stop();
    write(w, points.subList(1_500, 3_500));
    kairos.start();
    write(w, points.subList(3_500, points.size()));
    assertEquals(0, f.shutdown(60_000).points);
    System.out.printf("kairos outage: 5000 points in %d s, sent %d (retried %d), errors %s%n",
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), count(stats, "outage", "sent"),
        count(stats, "outage", "retried"), f.status().get("errors"));
    assertEquals(0, dropped(stats, "outage"));
    assertTrue(count(stats, "outage", "retried") > 0, "the outage was noticed");
    assertEquals(expected(points), stored(metrics(points), points.size()), "each point once, with its value");
  }

  /** Paced as Catchpoint's runs come: 50 points, then a tenth of a second. */
  private static void write(Writer w, List<DataPoint> points) throws Exception {
    for (int i = 0; i < points.size(); i++) {
      w.write(points.get(i));
      if (i % 50 == 49) {
        Thread.sleep(100);
      }
    }
  }

  /**
   * A batch refused with a 400 (KairosDB's own answer to a point it cannot take, given by a proxy in
   * front of the real server): that batch is dropped and counted, its message kept; the next batches
   * reach KairosDB.
   */
  @Test
  void aBatchRefusedWith400IsDroppedAndCountedAndTheNextDelivered() throws Exception {
    String refusal = "{\"errors\":[\"metric[0](name=catchpoint.it.kairos.refused).tag[test_id].value may not be empty.\"]}";
    try (RefusingProxy proxy = new RefusingProxy(kairos.url(), 1, refusal)) {
      Stats stats = new Stats();
      Forwarder f = forwarder("refused", proxy.url() + "/api/v1/datapoints", stats, 10);
      List<DataPoint> points = new ArrayList<>(Points.series("catchpoint.it.kairos.refused", 1_790_000_100L, 10));
      points.addAll(Points.series("catchpoint.it.kairos.taken", 1_790_000_200L, 20));
      Writer w = new ForwardingWriter(STORE, Collections.singletonList(f));
      for (DataPoint p : points) {
        w.write(p);
      }
      f.start();
      assertEquals(0, f.shutdown(10_000).points);
      assertEquals(3, proxy.requests.get(), "one refused batch, two delivered, none sent again");
      assertEquals(10, count(stats, "refused", "dropped.rejected"));
      assertEquals(20, count(stats, "refused", "sent"));
      String rejection = (String) f.status().get("first_rejection");
      assertTrue(rejection.contains("HTTP 400") && rejection.contains("may not be empty"), rejection);
      assertEquals(expected(points.subList(10, 30)), stored(metrics(points.subList(10, 30)), 20));
      assertEquals(0, kairos.count("catchpoint.it.kairos.refused"));
    }
  }
}

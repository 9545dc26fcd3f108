package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Writer;
import org.opentsdbcatchpoint.stats.Stats;

/**
 * The OpenTSDB relay against a real second OpenTSDB 2.4.1: an extra TSD of the stack on HBase tables
 * of its own ({@link RelayTsd}), read back through its /api/query: every shared push fixture exactly
 * (names, tags, seconds, values), a stream that outlives that TSD being stopped and started again, and
 * a batch with a point the TSD refuses (its per-point errors of /api/put?details): that point is
 * counted as rejected and never sent again, the rest of the batch and the next batch are stored. Runs
 * after ExtraTsdsIT, while the stack's HBase is up.
 */
@Order(9)
class OpenTsdbRelayIT {
  private static final Writer STORE = p -> CompletableFuture.completedFuture(null);
  private static RelayTsd relay;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "it-forwarders", "relay"));
    relay = new RelayTsd("relay", dir);
    relay.createTables();
    relay.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (relay != null) {
      relay.stop();
    }
  }

  private static Forwarder forwarder(String name, Stats stats, int batch) throws IOException {
    return new Forwarder(name, OpenTsdbSettings.TYPE, new OpenTsdbTransport(relay.putUrl(), true, 10_000),
        new Forwarder.Options(100_000, batch, 100, 100_000, Forwarder.Drop.OLDEST, 10_000), stats);
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

  /** "metric {tags} second" -> value, as the relay TSD should hold it: empty tags left out, a later write wins. */
  private static Map<String, Double> expected(List<DataPoint> points) {
    Map<String, Double> out = new TreeMap<>();
    for (DataPoint p : points) {
      Map<String, String> tags = new TreeMap<>(p.tags());
      tags.values().removeIf(String::isEmpty);
      out.put(p.metric() + " " + tags + " " + p.timestampSeconds(), p.value());
    }
    return out;
  }

  /** What a TSD holds of the points' metrics over the points' seconds. */
  private static Map<String, Double> stored(String tsd, List<DataPoint> points) throws IOException {
    TreeSet<String> metrics = new TreeSet<>();
    long start = Long.MAX_VALUE;
    long end = 0;
    for (DataPoint p : points) {
      metrics.add(p.metric());
      start = Math.min(start, p.timestampSeconds());
      end = Math.max(end, p.timestampSeconds());
    }
    Map<String, Double> out = new TreeMap<>();
    for (String m : metrics) {
      out.putAll(RelayTsd.points(tsd, m, start, end + 1));
    }
    return out;
  }

  @Test
  void everyFixturePointArrivesExactly() throws Exception {
    List<DataPoint> points = FixturePoints.flat();
    Stats stats = new Stats();
    Forwarder f = forwarder("fixtures", stats, 50);
    f.start();
    Writer w = new ForwardingWriter(STORE, Collections.singletonList(f));
    for (DataPoint p : points) {
      w.write(p).get();
    }
    assertEquals(0, f.shutdown(20_000).points);
    assertEquals(points.size(), count(stats, "fixtures", "sent"), () -> String.valueOf(f.status()));
    assertEquals(0, dropped(stats, "fixtures"));
    // Acknowledged by the relay's HBase (sync): readable at once.
    assertEquals(expected(points), stored(relay.url(), points),
        "names, tags, seconds and values, and no other series of these metrics");
  }

  /**
   * The relay's TSD stopped (SIGTERM) in the middle of a stream of 5,000 points and started again:
   * every point arrives, once, with its value; and none of them reaches the stack's own TSD.
   */
  @Test
  void aStreamOf5000PointsOutlivesTheRelayTsdStoppedAndStartedAgain() throws Exception {
    Stats stats = new Stats();
    Forwarder f = forwarder("outage", stats, 100);
    f.start();
    Writer w = new ForwardingWriter(STORE, Collections.singletonList(f));
    List<DataPoint> points = Points.series("catchpoint.it.relay.outage", 1_790_000_000L, 5_000);
    long started = System.nanoTime();
    Thread outage = new Thread(() -> {
      try {
        Thread.sleep(3_000);
        relay.stop();
        Thread.sleep(3_000);
        relay.start();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "relay-outage");
    outage.start();
    for (int i = 0; i < points.size(); i++) {
      w.write(points.get(i));
      if (i % 50 == 49) {
        Thread.sleep(100);
      }
    }
    outage.join();
    assertEquals(0, f.shutdown(60_000).points);
    System.out.printf("relay outage: 5000 points in %d s, sent %d (retried %d), errors %s%n",
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), count(stats, "outage", "sent"),
        count(stats, "outage", "retried"), f.status().get("errors"));
    assertEquals(0, dropped(stats, "outage"));
    assertTrue(count(stats, "outage", "retried") > 0, "the outage was noticed");
    assertEquals(expected(points), stored(relay.url(), points), "each point once, with its value");
    assertEquals(Collections.emptyMap(), stored(RelayTsd.stackTsdUrl(), points),
        "the relay's cluster is its own: the stack's TSD has none of it");
  }

  /**
   * A point the relay's TSD refuses (an illegal metric name: its 400 with per-point errors): that point
   * is counted as rejected with the TSD's words and never sent again; the other nine of its batch and the
   * next batch are stored.
   */
  @Test
  void aPointTheTsdRefusesIsCountedAndNeverSentAgainTheRestAreStored() throws Exception {
    Stats stats = new Stats();
    Forwarder f = forwarder("refused", stats, 10);
    List<DataPoint> points = new ArrayList<>(Points.series("catchpoint.it.relay.refused", 1_790_000_100L, 10));
    points.set(4, Points.point("catchpoint.it.relay.bad name", 1_790_000_104L, 4, "test_id", "1", "node_id", "2"));
    points.addAll(Points.series("catchpoint.it.relay.taken", 1_790_000_200L, 10));
    Writer w = new ForwardingWriter(STORE, Collections.singletonList(f));
    for (DataPoint p : points) {
      w.write(p);
    }
    f.start();
    assertEquals(0, f.shutdown(20_000).points);
    assertEquals(1, count(stats, "refused", "dropped.rejected"));
    assertEquals(19, count(stats, "refused", "sent"));
    assertEquals(0, count(stats, "refused", "retried"));
    String rejection = (String) f.status().get("first_rejection");
    assertTrue(rejection.contains("HTTP 400") && rejection.contains("1 of 10 points refused")
        && rejection.contains("catchpoint.it.relay.bad name"), rejection);
    List<DataPoint> good = new ArrayList<>(points);
    good.remove(4);
    assertEquals(expected(good), stored(relay.url(), good));
  }
}

package org.opentsdbcatchpoint.sink;

import org.opentsdbcatchpoint.pipeline.Writer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.stats.Stats;

/**
 * The InfluxDB forwarder against a real InfluxDB 1.6 (Debian influxdb, started by
 * integration-tests/forwarders.sh on free loopback ports), read back with /query: every shared push
 * fixture exactly, a stream that outlives InfluxDB being stopped, a queue far too small, a batch the
 * server refuses.
 */
class InfluxForwardIT {
  private static final Writer STORE = p -> CompletableFuture.completedFuture(null);
  private static RealInflux influx;

  @BeforeAll
  static void start() throws Exception {
    influx = new RealInflux("influx");
    influx.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (influx != null) {
      influx.close();
    }
  }

  private static String database(String name) throws IOException {
    influx.command("CREATE DATABASE \"" + name + "\"");
    return name;
  }

  private static Forwarder forwarder(String name, String db, Stats stats, int queue, int batch, int retryBuffer,
      Forwarder.Drop drop) throws IOException {
    return new Forwarder(name, "influx", InfluxTransport.v1(influx.url(), db, null, null, null, 5000),
        new Forwarder.Options(queue, batch, 100, retryBuffer, drop, 5000), stats);
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

  /** "measurement tags time field" -> value, as InfluxDB should hold it (a later write wins). */
  private static Map<String, Double> expected(List<DataPoint> points) {
    Map<String, Double> out = new TreeMap<>();
    for (DataPoint p : points) {
      out.put(InfluxLineProtocol.measurement(p.metric()) + " " + p.tags() + " " + p.timestampSeconds() + " "
          + InfluxLineProtocol.field(p.metric()), p.value());
    }
    return out;
  }

  /** Everything in the database, in the same shape: every measurement, series, time and non-null field. */
  private static Map<String, Double> stored(String db) throws IOException {
    Map<String, Double> out = new TreeMap<>();
    JsonNode ms = influx.query(db, "SHOW MEASUREMENTS").path("results").path(0).path("series").path(0).path("values");
    for (JsonNode m : ms) {
      String measurement = m.path(0).asText();
      JsonNode series = influx.query(db, "SELECT * FROM \"" + measurement + "\" GROUP BY *")
          .path("results").path(0).path("series");
      for (JsonNode s : series) {
        Map<String, String> tags = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("tags").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> t = it.next();
          if (!t.getValue().asText().isEmpty()) {
            tags.put(t.getKey(), t.getValue().asText());
          }
        }
        JsonNode columns = s.path("columns");
        for (JsonNode row : s.path("values")) {
          long time = row.path(0).asLong();
          for (int i = 1; i < columns.size(); i++) {
            if (!row.path(i).isNull()) {
              out.put(measurement + " " + tags + " " + time + " " + columns.path(i).asText(), row.path(i).asDouble());
            }
          }
        }
      }
    }
    return out;
  }

  @Test
  void everyFixturePointArrivesExactly() throws Exception {
    String db = database("fixtures");
    List<DataPoint> points = FixturePoints.flat();
    Stats stats = new Stats();
    Forwarder f = forwarder("fixtures", db, stats, 10_000, 50, 10_000, Forwarder.Drop.OLDEST);
    f.start();
    Writer w = new ForwardingWriter(STORE, Collections.singletonList(f));
    for (DataPoint p : points) {
      w.write(p).get();
    }
    assertEquals(0, f.shutdown(10_000).points);
    assertEquals(points.size(), count(stats, "fixtures", "sent"));
    assertEquals(0, dropped(stats, "fixtures"));
    assertEquals(expected(points), stored(db), "measurements, tags, times, fields and values, and nothing else");
    // One line per run and tag set: the web run's timings are one InfluxDB point with many fields.
    JsonNode row = influx.query(db, "SELECT \"dns\", \"connect\", \"document_complete\" FROM \"catchpoint_timing\" "
        + "WHERE \"test_id\" = '100001' AND \"node_id\" = '540'").path("results").path(0).path("series").path(0);
    assertEquals("[[1705320873,12,9,1650]]", row.path("values").toString());
  }

  /**
   * InfluxDB stopped (SIGTERM) for 10 s in the middle of a stream of 10,000 points and started again:
   * every point arrives once (a retried batch that InfluxDB had stored overwrites itself).
   */
  @Test
  void aStreamOf10000PointsOutlivesInfluxStoppedFor10Seconds() throws Exception {
    String db = database("outage");
    Stats stats = new Stats();
    Forwarder f = forwarder("outage", db, stats, 100_000, 100, 100_000, Forwarder.Drop.OLDEST);
    f.start();
    Writer w = new ForwardingWriter(STORE, Collections.singletonList(f));
    List<DataPoint> points = Points.series("catchpoint.timing.outage", 1_790_000_000L, 10_000);
    long started = System.nanoTime();
    Thread outage = new Thread(() -> {
      try {
        Thread.sleep(5_000);
        influx.stop();
        Thread.sleep(10_000);
        influx.start();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "influx-outage");
    outage.start();
    for (int i = 0; i < points.size(); i++) {
      w.write(points.get(i));
      if (i % 50 == 49) {
        Thread.sleep(110);
      }
    }
    outage.join();
    assertEquals(0, f.shutdown(30_000).points);
    System.out.printf("influx outage: 10000 points in %d s, sent %d (retried %d), errors %s%n",
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), count(stats, "outage", "sent"),
        count(stats, "outage", "retried"), f.status().get("errors"));
    assertEquals(0, dropped(stats, "outage"));
    assertTrue(count(stats, "outage", "retried") > 0, "the outage was noticed");
    JsonNode c = influx.query(db, "SELECT count(\"outage\") FROM \"catchpoint_timing\"");
    assertEquals(10_000, c.path("results").path(0).path("series").path(0).path("values").path(0).path(1).asLong());
    assertEquals(expected(points), stored(db), "each point once, with its value");
  }

  /** A burst into a queue far too small: the points that did not arrive are exactly the points counted as dropped. */
  @Test
  void aQueueFarTooSmallForABurstReportsExactlyWhatItDropped() throws Exception {
    String db = database("burst");
    Stats stats = new Stats();
    Forwarder f = forwarder("burst", db, stats, 100, 100, 100, Forwarder.Drop.NEWEST);
    f.start();
    Writer w = new ForwardingWriter(STORE, Collections.singletonList(f));
    List<DataPoint> points = Points.series("catchpoint.timing.burst", 1_790_000_000L, 10_000);
    for (DataPoint p : points) {
      w.write(p);
    }
    assertEquals(0, f.shutdown(30_000).points);
    long dropped = count(stats, "burst", "dropped." + Forwarder.QUEUE_FULL);
    long sent = count(stats, "burst", "sent");
    Map<String, Double> stored = stored(db);
    System.out.printf("influx burst: 10000 points into a queue of 100: %d stored, %d dropped%n", stored.size(),
        dropped);
    assertTrue(dropped > 0, "the burst overflowed the queue");
    assertEquals(10_000, count(stats, "burst", "queued"));
    assertEquals(10_000 - dropped, sent);
    assertEquals(sent, stored.size(), "what is not stored is exactly what was counted as dropped");
    assertEquals(dropped, dropped(stats, "burst"), "and for no other reason");
  }

  /**
   * A batch the real server refuses (a field type conflict: 400 partial write): that batch is dropped
   * and counted, with InfluxDB's message kept; the next batches are delivered.
   */
  @Test
  void aBatchTheServerRefusesIsDroppedAndCountedAndTheNextDelivered() throws Exception {
    String db = database("conflict");
    write(db, "catchpoint_timing,test_id=1 dns=1i 1790000000\n"); // dns is an integer field now
    Stats stats = new Stats();
    Forwarder f = forwarder("conflict", db, stats, 1000, 10, 1000, Forwarder.Drop.OLDEST);
    List<DataPoint> points = new ArrayList<>(Points.series("catchpoint.timing.dns", 1_790_000_100L, 10));
    points.addAll(Points.series("catchpoint.timing.connect", 1_790_000_200L, 20));
    Writer w = new ForwardingWriter(STORE, Collections.singletonList(f));
    for (DataPoint p : points) {
      w.write(p);
    }
    f.start();
    assertEquals(0, f.shutdown(10_000).points);
    assertEquals(10, count(stats, "conflict", "dropped.rejected"));
    assertEquals(20, count(stats, "conflict", "sent"));
    String rejection = (String) f.status().get("first_rejection");
    assertTrue(rejection.contains("HTTP 400") && rejection.contains("field type conflict"), rejection);
    JsonNode c = influx.query(db, "SELECT count(\"connect\") FROM \"catchpoint_timing\"");
    assertEquals(20, c.path("results").path(0).path("series").path(0).path("values").path(0).path(1).asLong());
  }

  /** How fast points reach a real InfluxDB: printed for the README's performance figures. */
  @Test
  void throughput() throws Exception {
    String db = database("rate");
    Stats stats = new Stats();
    Forwarder f = forwarder("rate", db, stats, 200_000, 5000, 200_000, Forwarder.Drop.OLDEST);
    f.start();
    List<DataPoint> points = new ArrayList<>();
    String[] fields = {"dns", "connect", "ssl", "wait", "load"};
    for (int node = 0; node < 100; node++) {
      for (int run = 0; run < 200; run++) {
        for (String field : fields) {
          points.add(Points.point("catchpoint.timing." + field, 1_790_000_000L + run * 60, run, "test_id", "1",
              "node_id", Integer.toString(node)));
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
    System.out.printf("influx: %d points (5 fields a line) acknowledged by InfluxDB in %.2f s: %.0f points/s%n",
        points.size(), secs, points.size() / secs);
    JsonNode c = influx.query(db, "SELECT count(\"dns\") FROM \"catchpoint_timing\"");
    assertEquals(20_000, c.path("results").path(0).path("series").path(0).path("values").path(0).path(1).asLong());
  }

  private static void write(String db, String lines) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(influx.url() + "/write?db=" + db + "&precision=s")
        .openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    try (OutputStream o = c.getOutputStream()) {
      o.write(lines.getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(204, c.getResponseCode());
  }
}

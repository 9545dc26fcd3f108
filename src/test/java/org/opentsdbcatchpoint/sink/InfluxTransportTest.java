package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentsdbcatchpoint.sink.Points.point;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.stats.Stats;

/** HTTP to InfluxDB 1.x and 2.x, against an in-process fake: the request exactly, and each kind of answer. */
class InfluxTransportTest {
  private static final String[] TAGS = {"test_id", "100001", "node_id", "540", "city", "São Paulo"};
  private static final List<DataPoint> RUN = Arrays.asList(
      point("catchpoint.timing.dns", 1705320873L, 12, TAGS),
      point("catchpoint.timing.connect", 1705320873L, 20.5, TAGS),
      point("catchpoint.run", 1705320873L, 1, TAGS));
  private static final String LINES =
      "catchpoint_timing,city=São\\ Paulo,node_id=540,test_id=100001 dns=12,connect=20.5 1705320873\n"
      + "catchpoint,city=São\\ Paulo,node_id=540,test_id=100001 run=1 1705320873\n";

  @Test
  void version1WritesGzippedLinesToWriteWithDatabaseRetentionPolicyAndBasicAuth() throws Exception {
    try (FakeInflux influx = new FakeInflux()) {
      InfluxTransport t = InfluxTransport.v1(influx.url() + "/", "catchpoint", "one week", "writer", "s3cret", 2000);
      assertEquals(0, t.send(Points.batch(RUN)));
      FakeInflux.Seen r = influx.requests.get(0);
      assertEquals("POST", r.method);
      assertEquals("/write?db=catchpoint&rp=one%20week&precision=s", r.uri);
      assertEquals("Basic d3JpdGVyOnMzY3JldA==", r.headers.get("Authorization"), "writer:s3cret");
      assertEquals("gzip", r.headers.get("Content-Encoding"));
      assertEquals("text/plain; charset=utf-8", r.headers.get("Content-Type"));
      assertEquals(LINES, r.body);
      assertTrue(t.connected());
      assertEquals("influxdb 1.x " + influx.url() + " db=catchpoint rp=one week", t.describe(), "no secret");
    }
  }

  @Test
  void version2ContractPathHeadersAndBodyExactly() throws Exception {
    try (FakeInflux influx = new FakeInflux()) {
      InfluxTransport t = InfluxTransport.v2(influx.url(), "my org", "catchpoint/autogen", "tok-123==", 2000);
      t.send(Points.batch(RUN));
      assertEquals(1, influx.requests.size());
      FakeInflux.Seen r = influx.requests.get(0);
      assertEquals("POST", r.method);
      assertEquals("/api/v2/write?org=my%20org&bucket=catchpoint%2Fautogen&precision=s", r.uri);
      assertEquals("Token tok-123==", r.headers.get("Authorization"));
      assertEquals("text/plain; charset=utf-8", r.headers.get("Content-Type"));
      assertEquals("gzip", r.headers.get("Content-Encoding"));
      assertEquals("application/json", r.headers.get("Accept"));
      assertEquals(LINES, r.body);
      assertTrue(!t.describe().contains("tok-123"), t.describe());
    }
  }

  @Test
  void anErrorStatusCarriesTheServersMessageAndRetryAfter() throws Exception {
    try (FakeInflux influx = new FakeInflux()) {
      influx.answer(400, "{\"error\":\"partial write: field type conflict: input field \\\"dns\\\" is type float, "
          + "already exists as type integer dropped=1\"}", null, 0);
      influx.answer(503, "{\"error\":\"engine: cache maximum memory size exceeded\"}", "7", 0);
      influx.answer(429, "", "soon", 0);
      InfluxTransport t = InfluxTransport.v1(influx.url(), "catchpoint", null, null, null, 2000);
      HttpStatusException bad = assertThrows(HttpStatusException.class, () -> t.send(Points.batch(RUN)));
      assertEquals(400, bad.status());
      assertEquals(Failure.REJECTED, Failure.classify(bad));
      assertTrue(bad.getMessage().startsWith("HTTP 400 from influxdb 1.x "), bad.getMessage());
      assertTrue(bad.getMessage().contains("field type conflict"), bad.getMessage());
      HttpStatusException busy = assertThrows(HttpStatusException.class, () -> t.send(Points.batch(RUN)));
      assertEquals(Failure.SERVER_ERROR, Failure.classify(busy));
      assertEquals(7000, busy.retryAfterMillis());
      HttpStatusException slow = assertThrows(HttpStatusException.class, () -> t.send(Points.batch(RUN)));
      assertEquals(Failure.THROTTLED, Failure.classify(slow));
      assertEquals(0, slow.retryAfterMillis(), "an unreadable Retry-After counts as none");
      assertEquals("/write?db=catchpoint&precision=s", influx.requests.get(0).uri);
      assertEquals(null, influx.requests.get(0).headers.get("Authorization"));
    }
  }

  @Test
  void aServerThatIsDownOrTooSlowIsAnIoFailure() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    InfluxTransport down = InfluxTransport.v1("http://127.0.0.1:" + port, "db", null, null, null, 2000);
    assertThrows(ConnectException.class, () -> down.send(Points.batch(RUN)));
    try (FakeInflux influx = new FakeInflux()) {
      influx.answer(204, "", null, 1500);
      InfluxTransport t = InfluxTransport.v1(influx.url(), "db", null, null, null, 300);
      assertThrows(SocketTimeoutException.class, () -> t.send(Points.batch(RUN)));
    }
  }

  /** A target answering 400 for one batch: that batch is dropped and counted, the next ones are delivered. */
  @Test
  void aBatchRefusedWith400IsDroppedAndCountedAndTheNextDelivered() throws Exception {
    try (FakeInflux influx = new FakeInflux()) {
      influx.answer(204, "", null, 0).answer(400, "{\"error\":\"unable to parse 'x': bad timestamp\"}", null, 0);
      Stats stats = new Stats();
      Forwarder f = new Forwarder("influx", "influx", InfluxTransport.v1(influx.url(), "db", null, null, null, 2000),
          new Forwarder.Options(1000, 10, 20, 1000, Forwarder.Drop.OLDEST, 2000), stats);
      f.start();
      List<DataPoint> points = Points.series("catchpoint.timing.dns", 1705320000L, 40);
      for (DataPoint p : points) {
        f.offer(p);
      }
      assertEquals(0, f.shutdown(5000).points);
      assertEquals(10, stats.get("catchpoint.forward.dropped.rejected", "target", "influx"));
      assertEquals(30, stats.get("catchpoint.forward.sent", "target", "influx"));
      assertEquals(4, influx.requests.size(), "no retry of the refused batch");
      assertTrue(((String) f.status().get("first_rejection")).contains("bad timestamp"));
    }
  }
}

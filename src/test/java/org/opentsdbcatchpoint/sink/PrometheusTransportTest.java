package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentsdbcatchpoint.sink.Points.point;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.stats.Stats;

/** HTTP to a remote-write receiver, against an in-process fake: the request exactly, and each kind of answer. */
class PrometheusTransportTest {
  private static final List<DataPoint> RUN = Arrays.asList(
      point("catchpoint.timing.dns", 1705320873L, 12, "test_id", "100001", "node_id", "540", "city", "São Paulo"),
      point("catchpoint.timing.connect", 1705320873L, 20.5, "test_id", "100001", "node_id", "540", "city", "São Paulo"));

  @Test
  void postsSnappyProtobufWithTheProtocolsHeaders() throws Exception {
    try (FakePrometheus prom = new FakePrometheus()) {
      PrometheusTransport t = new PrometheusTransport(prom.writeUrl(), null, null, null, 2000);
      assertEquals(0, t.send(Points.batch(RUN)));
      FakePrometheus.Seen r = prom.requests.get(0);
      assertEquals("POST", r.method);
      assertEquals("/api/v1/write", r.uri);
      assertEquals("application/x-protobuf", r.headers.get("Content-Type"));
      assertEquals("snappy", r.headers.get("Content-Encoding"));
      assertEquals("0.1.0", r.headers.get("X-Prometheus-Remote-Write-Version"));
      assertNull(r.headers.get("Authorization"));
      List<RemoteWriteDecoder.Series> series = RemoteWriteDecoder.parse(RemoteWriteDecoder.unsnappy(r.body));
      assertEquals(2, series.size());
      assertEquals("catchpoint_timing_dns", series.get(0).labels.get("__name__"));
      assertEquals("São Paulo", series.get(0).labels.get("city"));
      assertEquals(Arrays.asList(1705320873000L), series.get(1).times);
      assertEquals(Arrays.asList(20.5), series.get(1).values);
      assertTrue(t.connected());
      assertEquals("prometheus remote write " + prom.writeUrl(), t.describe());
    }
  }

  @Test
  void basicAuthenticationOrABearerToken() throws Exception {
    try (FakePrometheus prom = new FakePrometheus()) {
      new PrometheusTransport(prom.writeUrl(), "writer", "s3cret", null, 2000).send(Points.batch(RUN));
      PrometheusTransport bearer = new PrometheusTransport(prom.writeUrl(), null, null, "tok-123", 2000);
      bearer.send(Points.batch(RUN));
      assertEquals("Basic d3JpdGVyOnMzY3JldA==", prom.requests.get(0).headers.get("Authorization"), "writer:s3cret");
      assertEquals("Bearer tok-123", prom.requests.get(1).headers.get("Authorization"));
      assertFalse(bearer.describe().contains("tok-123"), bearer.describe());
    }
  }

  /** As the protocol says: 5xx and 429 are worth retrying, any other 4xx is not. */
  @Test
  void errorStatusesAreSortedAsTheProtocolSays() throws Exception {
    try (FakePrometheus prom = new FakePrometheus()) {
      prom.answer(400, "out of bounds\n").answer(500, "TSDB is busy").answer(429, "").answer(401, "unauthorized");
      PrometheusTransport t = new PrometheusTransport(prom.writeUrl(), null, null, null, 2000);
      HttpStatusException bad = assertThrows(HttpStatusException.class, () -> t.send(Points.batch(RUN)));
      assertEquals(Failure.REJECTED, Failure.classify(bad));
      assertEquals("HTTP 400 from prometheus remote write " + prom.writeUrl() + ": out of bounds", bad.getMessage());
      assertEquals(Failure.SERVER_ERROR, Failure.classify(assertThrows(HttpStatusException.class,
          () -> t.send(Points.batch(RUN)))));
      assertEquals(Failure.THROTTLED, Failure.classify(assertThrows(HttpStatusException.class,
          () -> t.send(Points.batch(RUN)))));
      assertEquals(Failure.REJECTED, Failure.classify(assertThrows(HttpStatusException.class,
          () -> t.send(Points.batch(RUN)))));
    }
  }

  @Test
  void aReceiverThatIsDownIsAConnectFailure() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PrometheusTransport down = new PrometheusTransport("http://127.0.0.1:" + port + "/api/v1/write", null, null, null,
        2000);
    assertThrows(ConnectException.class, () -> down.send(Points.batch(RUN)));
    assertFalse(down.connected());
  }

  /** In a forwarder: a batch refused with 400 is dropped and counted, the next ones are delivered. */
  @Test
  void aBatchRefusedWith400IsDroppedAndCountedAndTheNextDelivered() throws Exception {
    try (FakePrometheus prom = new FakePrometheus()) {
      prom.answer(204, "").answer(400, "out of bounds");
      Stats stats = new Stats();
      Forwarder f = new Forwarder("prom", "prometheus", new PrometheusTransport(prom.writeUrl(), null, null, null, 2000),
          new Forwarder.Options(1000, 10, 20, 1000, Forwarder.Drop.OLDEST, 2000), stats);
      List<DataPoint> points = Points.series("catchpoint.timing.dns", 1705320000L, 40);
      for (DataPoint p : points) {
        f.offer(p);
      }
      f.start();
      assertEquals(0, f.shutdown(5000).points);
      assertEquals(10, stats.get("catchpoint.forward.dropped.rejected", "target", "prom"));
      assertEquals(30, stats.get("catchpoint.forward.sent", "target", "prom"));
      assertEquals(4, prom.requests.size(), "no retry of the refused batch");
      assertTrue(((String) f.status().get("first_rejection")).contains("out of bounds"));
    }
  }
}

package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentsdbcatchpoint.sink.Points.point;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/** KairosDB's JSON and its HTTP, against an in-process fake: the body exactly, and each kind of answer. */
class KairosTransportTest {
  private static final String[] TAGS = {"test_id", "100001", "node_id", "540", "city", "São \"Paulo\"", "isp", ""};
  private static final List<DataPoint> RUN = Arrays.asList(
      point("catchpoint.timing.dns", 1705320873L, 12, TAGS),
      point("catchpoint.timing.connect", 1705320873L, 20.5, TAGS),
      point("catchpoint.run", 1705320873L, 1, TAGS),
      point("catchpoint.timing.dns", 1705320933L, 0.1, TAGS));
  private static final String T = "{\"city\":\"São \\\"Paulo\\\"\",\"node_id\":\"540\",\"test_id\":\"100001\"}";

  @Test
  void oneObjectPerSeriesMillisecondsAndValuesTypedAsThePluginStoresThem() {
    Encoded e = new KairosJson().encode(Points.batch(RUN));
    assertEquals("[{\"name\":\"catchpoint.timing.dns\",\"tags\":" + T + ",\"datapoints\":"
        + "[[1705320873000,12.0],[1705320933000,0.1]]},"
        + "{\"name\":\"catchpoint.timing.connect\",\"tags\":" + T + ",\"datapoints\":[[1705320873000,20.5]]},"
        + "{\"name\":\"catchpoint.run\",\"tags\":" + T + ",\"datapoints\":[[1705320873000,1]]}]",
        new String(e.bytes(), java.nio.charset.StandardCharsets.UTF_8),
        "a float metric's whole value keeps its decimal point (a KairosDB double), catchpoint.run is an integer "
        + "(a long); the empty tag is left out");
    assertEquals(0, e.invalid());
  }

  @Test
  void pointsKairosCannotTakeAreLeftOutAndCounted() {
    Encoded e = new KairosJson().encode(Points.batch(Arrays.asList(
        point("catchpoint.timing.dns", 1, Double.NaN, "test_id", "1"),
        point("catchpoint.timing.dns", 1, 5, "test_id", ""),
        point("", 1, 5, "test_id", "1"),
        point("catchpoint.timing.dns", 2, 7, "test_id", "1"))));
    assertEquals(3, e.invalid());
    assertEquals("[{\"name\":\"catchpoint.timing.dns\",\"tags\":{\"test_id\":\"1\"},\"datapoints\":[[2000,7.0]]}]",
        new String(e.bytes(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void postsGzippedJsonToTheWriteUrlAndA204IsDelivered() throws Exception {
    try (FakeInflux kairos = new FakeInflux()) {
      KairosTransport t = new KairosTransport(kairos.url(), 2000);
      assertEquals(kairos.url() + "/api/v1/datapoints", t.writeUrl().toString(), "a URL without a path gets it");
      assertEquals(0, t.send(Points.batch(RUN)));
      FakeInflux.Seen r = kairos.requests.get(0);
      assertEquals("POST", r.method);
      assertEquals("/api/v1/datapoints", r.uri);
      assertEquals("gzip", r.headers.get("Content-Encoding"));
      assertEquals("application/json; charset=utf-8", r.headers.get("Content-Type"));
      assertEquals(new String(new KairosJson().encode(Points.batch(RUN)).bytes(), "UTF-8"), r.body);
      assertTrue(t.connected());
      assertEquals("kairosdb " + kairos.url() + "/api/v1/datapoints", t.describe());
      KairosTransport proxied = new KairosTransport(kairos.url() + "/kairos/api/v1/datapoints", 2000);
      proxied.send(Points.batch(RUN));
      assertEquals("/kairos/api/v1/datapoints", kairos.requests.get(1).uri, "a path is kept as it is");
    }
  }

  @Test
  void a400IsARejectionWithKairosWordsA5xxIsRetried() throws Exception {
    try (FakeInflux kairos = new FakeInflux()) {
      kairos.answer(400, "{\"errors\":[\"metric[0](name=catchpoint.timing.dns).tag[city].value may not be empty.\"]}",
          null, 0);
      kairos.answer(500, "{\"errors\":[\"datastore down\"]}", "3", 0);
      KairosTransport t = new KairosTransport(kairos.url(), 2000);
      HttpStatusException bad = assertThrows(HttpStatusException.class, () -> t.send(Points.batch(RUN)));
      assertEquals(Failure.REJECTED, Failure.classify(bad));
      assertTrue(bad.getMessage().startsWith("HTTP 400 from kairosdb ") && bad.getMessage().contains("may not be empty"),
          bad.getMessage());
      HttpStatusException busy = assertThrows(HttpStatusException.class, () -> t.send(Points.batch(RUN)));
      assertEquals(Failure.SERVER_ERROR, Failure.classify(busy));
      assertEquals(3000, busy.retryAfterMillis());
    }
  }

  @Test
  void nobodyListeningIsAConnectFailureAndNotConnected() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    KairosTransport t = new KairosTransport("http://127.0.0.1:" + port + "/api/v1/datapoints", 1000);
    ConnectException e = assertThrows(ConnectException.class, () -> t.send(Points.batch(RUN)));
    assertEquals(Failure.CONNECT, Failure.classify(e));
    assertTrue(!t.connected());
  }
}

package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentsdbcatchpoint.sink.Points.point;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/**
 * The relay's JSON and the answers of OpenTSDB 2.4's /api/put?details&sync, as PutDataPointRpc writes
 * them, against an in-process fake: what is delivered, refused point by point, or sent again.
 */
class OpenTsdbTransportTest {
  private static final String[] TAGS = {"test_id", "100001", "node_id", "540", "asn", ""};
  private static final List<DataPoint> RUN = Arrays.asList(
      point("catchpoint.timing.dns", 1705320873L, 12, TAGS),
      point("catchpoint.timing.connect", 1705320873L, 0.1, TAGS),
      point("catchpoint.run", 1705320873L, 1, TAGS),
      point("catchpoint.timing.ssl", 1705320873L, Double.POSITIVE_INFINITY, TAGS));
  private static final String T = "{\"node_id\":\"540\",\"test_id\":\"100001\"}";

  private static String refusal(int success, int failed, String... errors) {
    StringBuilder b = new StringBuilder("{\"errors\":[");
    for (int i = 0; i < errors.length; i++) {
      b.append(i == 0 ? "" : ",").append("{\"datapoint\":{\"metric\":\"catchpoint.timing.dns\",\"timestamp\":")
          .append(1705320873 + i).append(",\"value\":\"12.0\",\"tags\":{\"test_id\":\"100001\"}},\"error\":\"")
          .append(errors[i]).append("\"}");
    }
    return b.append("],\"failed\":").append(failed).append(",\"success\":").append(success).append('}').toString();
  }

  @Test
  void onePointAnObjectSecondsAndTheValueQuotedAsThePluginStoresIt() {
    Encoded e = new OpenTsdbJson().encode(Points.batch(RUN));
    assertEquals("[{\"metric\":\"catchpoint.timing.dns\",\"timestamp\":1705320873,\"value\":\"12.0\",\"tags\":" + T + "},"
        + "{\"metric\":\"catchpoint.timing.connect\",\"timestamp\":1705320873,\"value\":\"0.1\",\"tags\":" + T + "},"
        + "{\"metric\":\"catchpoint.run\",\"timestamp\":1705320873,\"value\":\"1\",\"tags\":" + T + "}]",
        new String(e.bytes(), StandardCharsets.UTF_8));
    assertEquals(1, e.invalid(), "the infinite value");
  }

  @Test
  void postsToPutWithDetailsAndSyncAndA200WithoutFailuresIsDelivered() throws Exception {
    try (FakeInflux tsd = new FakeInflux()) {
      tsd.answer(200, "{\"errors\":[],\"failed\":0,\"success\":3}", null, 0);
      OpenTsdbTransport t = new OpenTsdbTransport(tsd.url(), true, 2000);
      assertEquals(1, t.send(Points.batch(RUN)), "the infinite value is left out and said so");
      FakeInflux.Seen r = tsd.requests.get(0);
      assertEquals("POST", r.method);
      assertEquals("/api/put?details&sync", r.uri);
      assertEquals("gzip", r.headers.get("Content-Encoding"));
      assertEquals("application/json; charset=utf-8", r.headers.get("Content-Type"));
      assertEquals(new String(new OpenTsdbJson().encode(Points.batch(RUN)).bytes(), StandardCharsets.UTF_8), r.body);
      assertTrue(t.connected());
      assertEquals("opentsdb " + tsd.url() + "/api/put", t.describe());
      OpenTsdbTransport async = new OpenTsdbTransport(tsd.url() + "/tsdb/api/put", false, 2000);
      async.send(Points.batch(RUN));
      assertEquals("/tsdb/api/put?details", tsd.requests.get(1).uri);
      assertTrue(async.describe().endsWith("(not waiting for its storage)"), async.describe());
    }
  }

  @Test
  void a400WithPerPointErrorsRefusesThosePointsOnlyWithTheTargetsWords() throws Exception {
    try (FakeInflux tsd = new FakeInflux()) {
      tsd.answer(400, refusal(1, 2, "Unknown metric", "Invalid timestamp"), null, 0);
      OpenTsdbTransport t = new OpenTsdbTransport(tsd.url(), true, 2000);
      PointsRefusedException e = assertThrows(PointsRefusedException.class, () -> t.send(Points.batch(RUN)));
      assertEquals(2, e.refused());
      assertEquals(1, e.invalid());
      assertTrue(e.getMessage().startsWith("HTTP 400 from opentsdb " + tsd.url() + "/api/put: 2 of 3 points refused: "
          + "Unknown metric (catchpoint.timing.dns 1705320873 12.0); Invalid timestamp"), e.getMessage());
    }
  }

  @Test
  void storageErrorsSendTheWholeBatchAgainWhetherTheAnswerIs200Or400() throws Exception {
    try (FakeInflux tsd = new FakeInflux()) {
      tsd.answer(200, refusal(2, 1, "Storage exception: org.hbase.async.RegionOfflineException"), null, 0);
      tsd.answer(400, refusal(1, 2, "Unknown metric", "Please throttle"), null, 0);
      OpenTsdbTransport t = new OpenTsdbTransport(tsd.url(), true, 2000);
      IOException stored = assertThrows(IOException.class, () -> t.send(Points.batch(RUN)));
      assertEquals(IOException.class, stored.getClass());
      assertTrue(Failure.classify(stored).retryable());
      assertTrue(stored.getMessage().contains("stored 2 of 3 points; 1 failed in its storage")
          && stored.getMessage().contains("RegionOfflineException"), stored.getMessage());
      IOException throttled = assertThrows(IOException.class, () -> t.send(Points.batch(RUN)));
      assertEquals(IOException.class, throttled.getClass(), "not a refusal: the refused point is counted once, later");
    }
  }

  @Test
  void otherAnswersAreStatusErrorsForTheForwarder() throws Exception {
    try (FakeInflux tsd = new FakeInflux()) {
      tsd.answer(400, "{\"error\":{\"code\":400,\"message\":\"Chunked request not supported.\"}}", null, 0);
      tsd.answer(503, "{\"error\":{\"code\":503,\"message\":\"read only\"}}", "2", 0);
      tsd.answer(204, "", null, 0);
      OpenTsdbTransport t = new OpenTsdbTransport(tsd.url(), true, 2000);
      HttpStatusException bad = assertThrows(HttpStatusException.class, () -> t.send(Points.batch(RUN)));
      assertEquals(Failure.REJECTED, Failure.classify(bad));
      assertTrue(bad.getMessage().contains("Chunked request not supported"), bad.getMessage());
      HttpStatusException busy = assertThrows(HttpStatusException.class, () -> t.send(Points.batch(RUN)));
      assertEquals(Failure.SERVER_ERROR, Failure.classify(busy));
      assertEquals(2000, busy.retryAfterMillis());
      assertEquals(1, t.send(Points.batch(RUN)), "a 204 (no details: a proxy between) is delivered");
    }
  }

  @Test
  void theAnswerIsReadAsAStreamAndOnlyItsFirstErrorsKept() {
    String[] errors = new String[5000];
    Arrays.fill(errors, "Unknown metric");
    OpenTsdbTransport.Put put = OpenTsdbTransport.Put.read(refusal(0, 5000, errors).getBytes(StandardCharsets.UTF_8));
    assertEquals(5000, put.failed);
    assertEquals(5000, put.errors);
    assertEquals(3, put.first.size());
    assertTrue(put.firstErrors().endsWith("; ..."), put.firstErrors());
    String cut = refusal(0, 2, "Unknown metric", "Unknown metric");
    OpenTsdbTransport.Put partial = OpenTsdbTransport.Put.read(cut.substring(0, cut.length() / 2)
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(1, partial.errors, "a cut answer counts what it holds");
    assertEquals(null, OpenTsdbTransport.Put.read("not json".getBytes(StandardCharsets.UTF_8)));
  }
}

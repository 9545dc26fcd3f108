package org.opentsdbcatchpoint.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentsdbcatchpoint.pull.Runs.NOON;
import static org.opentsdbcatchpoint.pull.Runs.identity;
import static org.opentsdbcatchpoint.pull.Runs.map;
import static org.opentsdbcatchpoint.pull.Runs.values;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.Fixtures;
import org.opentsdbcatchpoint.catalog.Node;
import org.opentsdbcatchpoint.pipeline.Run;

/** Every REST fixture read into exactly the runs push would produce for the same data. */
class RestParsingTest {
  private static InputStream fixture(String name) {
    return new ByteArrayInputStream(Fixtures.bytes(name));
  }

  private static InputStream json(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static RowCounts v1(InputStream in, Integer type, Runs.Collect sink) throws Exception {
    RunAssembler a = new RunAssembler(type, sink);
    V1RawParser.parse(in, a);
    return a.counts();
  }

  private static RowCounts v2(InputStream in, Integer type, Runs.Collect sink, boolean skipPartial) throws Exception {
    RunAssembler a = new RunAssembler(type, sink);
    V2RawParser.parse(in, a, skipPartial);
    return a.counts();
  }

  @Test
  void v1WebRowsBecomeRunsNamedByColumnWithNullsSkipped() throws Exception {
    Runs.Collect sink = new Runs.Collect();
    RowCounts counts = v1(fixture("rest-v1-raw-web.json"), 0, sink);

    assertEquals(3, sink.runs.size(), sink.runs.toString());
    Run frankfurt = sink.runs.get(0);
    assertEquals("100001/540@" + (NOON + 4 * 60 + 33) + " type=0 step=null", identity(frankfurt));
    assertEquals("web", frankfurt.testType());
    assertEquals("Homepage (prod)", frankfurt.testName(), "breakdown_1's name");
    assertEquals("Frankfurt, DE - AWS", frankfurt.nodeName(), "breakdown_2's name");
    assertEquals(map(
        "catchpoint.timing.dns", 12, "catchpoint.timing.connect", 9, "catchpoint.timing.ssl", 25,
        "catchpoint.timing.wait", 310, "catchpoint.timing.response", 2310, "catchpoint.count.connections", 14,
        "catchpoint.rate.downtime_pct", 0, "catchpoint.timing.document_complete", 1650), values(frankfurt));

    Run sydney = sink.runs.get(1);
    assertEquals("100001/312@" + (NOON + 5 * 60 + 10) + " type=0 step=null", identity(sydney));
    assertEquals(map(
        "catchpoint.timing.dns", 40, "catchpoint.timing.connect", 120, "catchpoint.timing.ssl", 160,
        "catchpoint.timing.wait", 380, "catchpoint.timing.response", 3900, "catchpoint.count.connections", 15,
        "catchpoint.rate.downtime_pct", 0), values(sydney));

    Run checkoutStep = sink.runs.get(2);
    assertEquals("100006/540@" + (NOON + 6 * 60) + " type=0 step=2", identity(checkoutStep));
    assertEquals(map("catchpoint.count.connections", 0, "catchpoint.rate.downtime_pct", 100), values(checkoutStep));

    assertEquals(3, counts.rows());
    assertEquals(3, counts.runs());
    assertEquals(17, counts.values());
    assertEquals(7, counts.nullValues());
    assertEquals(0, counts.invalidRows());
    assertTrue(counts.derivedColumns().isEmpty(), counts.derivedColumns().toString());
  }

  @Test
  void v1TracerouteHopRowsBecomeOneRunWithPerHopAndLastHopValues() throws Exception {
    Runs.Collect sink = new Runs.Collect();
    v1(fixture("rest-v1-raw-traceroute.json"), 12, sink);

    assertEquals(1, sink.runs.size(), sink.runs.toString());
    Run run = sink.runs.get(0);
    assertEquals("100003/88@" + (NOON + 5 * 60 + 1) + " type=12 step=null", identity(run));
    assertEquals("traceroute", run.testType());
    assertEquals(map(
        "catchpoint.traceroute.hop_rtt_avg{hop=1}", 1.3, "catchpoint.traceroute.hop_loss_pct{hop=1}", 0,
        "catchpoint.traceroute.hop_rtt_avg{hop=2}", 30.5, "catchpoint.traceroute.hop_loss_pct{hop=2}", 33.3,
        "catchpoint.traceroute.hop_count", 2,
        "catchpoint.traceroute.last_hop_rtt_avg", 30.5, "catchpoint.traceroute.last_hop_loss_pct", 33.3),
        values(run));
  }

  @Test
  void v1NullDetailIsNoDataNotAnError() throws Exception {
    Runs.Collect sink = new Runs.Collect();
    RowCounts counts = v1(fixture("rest-v1-raw-empty.json"), 0, sink);
    assertTrue(sink.runs.isEmpty());
    assertEquals(0, counts.rows());

    v1(json("{\"start\":\"2024-01-15T12:00:00Z\",\"end\":\"2024-01-15T12:15:00Z\"}"), 0, sink);
    assertTrue(sink.runs.isEmpty());
  }

  @Test
  void v1ExpiredTokenMessageInAnyCasingFails() {
    PullException e = assertThrows(PullException.class, () -> v1(fixture("rest-v1-expired.json"), 0, new Runs.Collect()));
    assertEquals(PullException.Kind.EXPIRED_TOKEN, e.kind());
    PullException lower = assertThrows(PullException.class,
        () -> v1(json("{\"message\":\"Authorization failed: EXPIRED TOKEN\"}"), 0, new Runs.Collect()));
    assertEquals(PullException.Kind.EXPIRED_TOKEN, lower.kind());
  }

  @Test
  void v1ErrorStringOrBareMessageFails() {
    PullException error = assertThrows(PullException.class,
        () -> v1(json("{\"error\":\"quota exceeded\"}"), 0, new Runs.Collect()));
    assertEquals(PullException.Kind.API_ERROR, error.kind());
    assertTrue(error.getMessage().contains("quota exceeded"), error.getMessage());
    PullException message = assertThrows(PullException.class,
        () -> v1(json("{\"Message\":\"Authorization has been denied for this request.\"}"), 0, new Runs.Collect()));
    assertEquals(PullException.Kind.API_ERROR, message.kind());
    assertThrows(PullException.class, () -> v1(json("[1,2]"), 0, new Runs.Collect()));
  }

  @Test
  void v1ColumnsAreMappedByNameEvenWhenItemsComeFirstAndValuesAreStrings() throws Exception {
    String body = "{\"detail\":{\"items\":[{\"breakdown_1\":{\"id\":\"7\"},\"breakdown_2\":{\"id\":9},"
        + "\"dimension\":{\"name\":\"2024-01-15T12:00:05Z\"},\"synthetic_metrics\":[\"5.5\",null,\"n/a\",3]}],"
        + "\"fields\":{\"synthetic_metrics\":[{\"name\":\"Wait (ms)\"},{\"name\":\"DNS (ms)\"},"
        + "{\"name\":\"Connect (ms)\"},{\"name\":\"Time To Title (ms)\"}]}}}";
    Runs.Collect sink = new Runs.Collect();
    RowCounts counts = v1(json(body), null, sink);
    assertEquals(1, sink.runs.size());
    Run r = sink.runs.get(0);
    assertEquals("7/9@" + (NOON + 5) + " type=null step=null", identity(r));
    assertEquals("unknown", r.testType());
    assertEquals(map("catchpoint.timing.wait", 5.5, "catchpoint.timing.time_to_title", 3), values(r));
    assertEquals(2, counts.nullValues());
    assertEquals(Collections.singletonMap("Time To Title (ms)", "catchpoint.timing.time_to_title"),
        counts.derivedColumns());
  }

  @Test
  void v1RowsWithoutIdentityOrTimeAreCountedAndSkipped() throws Exception {
    String body = "{\"detail\":{\"fields\":{\"synthetic_metrics\":[{\"name\":\"DNS (ms)\"}]},\"items\":["
        + "{\"breakdown_2\":{\"id\":9},\"dimension\":{\"name\":\"2024-01-15T12:00:05Z\"},\"synthetic_metrics\":[1]},"
        + "{\"breakdown_1\":{\"id\":7},\"breakdown_2\":{\"id\":9},\"dimension\":{\"name\":\"yesterday\"},\"synthetic_metrics\":[1]},"
        + "{\"breakdown_1\":{\"id\":7},\"breakdown_2\":{\"id\":9},\"dimension\":{\"name\":\"2024-01-15T12:00:06\"},\"synthetic_metrics\":[2]}]}}";
    Runs.Collect sink = new Runs.Collect();
    RowCounts counts = v1(json(body), 0, sink);
    assertEquals(2, counts.invalidRows());
    assertEquals(1, sink.runs.size());
    // No zone in the time: UTC, as everywhere in Catchpoint's REST.
    assertEquals(NOON + 6, sink.runs.get(0).timestampSeconds());
  }

  @Test
  void v2ValuesFollowMetricIndexAndDimensionsTheirType() throws Exception {
    Runs.Collect sink = new Runs.Collect();
    RowCounts counts = v2(fixture("rest-v2-raw.json"), 0, sink, true);

    assertEquals(2, sink.runs.size(), sink.runs.toString());
    assertEquals("100001/540@" + (NOON + 4 * 60 + 33) + " type=0 step=null", identity(sink.runs.get(0)));
    assertEquals(map("catchpoint.timing.dns", 12, "catchpoint.timing.connect", 9, "catchpoint.timing.response", 2310),
        values(sink.runs.get(0)));
    // 12:19:33.1234567Z: the fraction is dropped, as push drops its milliseconds.
    assertEquals("100001/540@" + (NOON + 19 * 60 + 33) + " type=0 step=null", identity(sink.runs.get(1)));
    assertEquals(map("catchpoint.timing.dns", 14, "catchpoint.timing.connect", 11, "catchpoint.timing.response", 2290),
        values(sink.runs.get(1)));
    assertEquals("Homepage (prod)", sink.runs.get(0).testName(), "the Test dimension's name");
    assertEquals("Frankfurt, DE - AWS", sink.runs.get(0).nodeName(), "the Node dimension's name");
    assertEquals(2, counts.nullValues());
    assertFalse(counts.hasMoreRecords());
  }

  @Test
  void v2MetricIndexNotPositionDecidesAndStepAndHopDimensionsAreRead() throws Exception {
    String body = "{\"data\":{\"responseItems\":[{\"hasMoreRecords\":false,"
        + "\"metrics\":[{\"index\":1,\"name\":\"% Ping Packet Loss\"},{\"index\":0,\"name\":\"Ping Round Trip (ms)\"}],"
        + "\"items\":["
        + "{\"dateTime\":\"2024-01-15T12:00:10Z\",\"values\":[20.5,0],\"dimensions\":["
        + "{\"type\":{\"id\":16,\"name\":\"Test\"},\"id\":5,\"name\":\"t\"},{\"type\":{\"id\":1},\"id\":6,\"name\":\"n\"},"
        + "{\"type\":{\"id\":90,\"name\":\"HopNumber\"},\"id\":1,\"name\":\"1\"}]},"
        + "{\"dateTime\":\"2024-01-15T12:00:10Z\",\"values\":[40,50],\"dimensions\":["
        + "{\"type\":{\"id\":16},\"id\":5},{\"type\":{\"id\":1},\"id\":6},{\"type\":{\"id\":90},\"name\":\"2\"}]},"
        + "{\"dateTime\":\"2024-01-15T12:01:00Z\",\"values\":[7,null],\"dimensions\":["
        + "{\"type\":{\"id\":16},\"id\":8},{\"type\":{\"id\":1},\"id\":6},{\"type\":{\"id\":6,\"name\":\"Step\"},\"name\":\"Step 3\"}]}"
        + "]}]},\"errors\":[],\"completed\":true}";
    Runs.Collect sink = new Runs.Collect();
    v2(json(body), 12, sink, true);
    assertEquals(2, sink.runs.size(), sink.runs.toString());
    Run step = sink.runs.get(0);
    assertEquals("8/6@" + (NOON + 60) + " type=12 step=3", identity(step));
    assertEquals(map("catchpoint.ping.round_trip_time_avg", 7), values(step));
    Run trace = sink.runs.get(1);
    assertEquals("5/6@" + (NOON + 10) + " type=12 step=null", identity(trace));
    assertEquals(map(
        "catchpoint.traceroute.hop_rtt_avg{hop=1}", 20.5, "catchpoint.traceroute.hop_loss_pct{hop=1}", 0,
        "catchpoint.traceroute.hop_rtt_avg{hop=2}", 40, "catchpoint.traceroute.hop_loss_pct{hop=2}", 50,
        "catchpoint.traceroute.hop_count", 2,
        "catchpoint.traceroute.last_hop_rtt_avg", 40, "catchpoint.traceroute.last_hop_loss_pct", 50), values(trace));
  }

  @Test
  void v2PartialAnswerIsSkippedWhenItWillBeSplit() throws Exception {
    String body = new String(Fixtures.bytes("rest-v2-raw.json"), StandardCharsets.UTF_8)
        .replace("\"hasMoreRecords\": false", "\"hasMoreRecords\": true");
    Runs.Collect sink = new Runs.Collect();
    RowCounts skipped = v2(json(body), 0, sink, true);
    assertTrue(skipped.hasMoreRecords());
    assertTrue(sink.runs.isEmpty());
    RowCounts kept = v2(json(body), 0, sink, false);
    assertTrue(kept.hasMoreRecords());
    assertEquals(2, sink.runs.size());
  }

  @Test
  void v2ErrorsWithoutDataFail() {
    PullException e = assertThrows(PullException.class,
        () -> v2(fixture("rest-v2-429.json"), 0, new Runs.Collect(), true));
    assertEquals(PullException.Kind.API_ERROR, e.kind());
    assertTrue(e.getMessage().contains("usage_limit"), e.getMessage());
  }

  @Test
  void tokenAnswer() throws IOException {
    TokenCache.Token t = V1Client.readToken(fixture("rest-v1-token.json"));
    assertEquals("ZXhhbXBsZS1hY2Nlc3MtdG9rZW4", t.accessToken);
    assertEquals(1800, t.expiresInSeconds);
    assertThrows(PullException.class, () -> V1Client.readToken(json("{\"error\":\"invalid_client\"}")));
  }

  @Test
  void nodePagesOfBothVersions() throws IOException {
    NodePages v1 = NodePages.read(fixture("rest-v1-nodes.json"));
    assertEquals(Arrays.asList(540L, 312L, 313L, 88L, 701L), ids(v1.nodes));
    assertFalse(v1.hasMore);
    assertEquals(Integer.valueOf(0), v1.pageNumber);
    Node jinan = v1.nodes.get(2);
    assertEquals("China Unicom (CNC)", jinan.attribute("isp"));
    assertEquals("Asia", jinan.attribute("continent"));

    NodePages v2 = NodePages.read(fixture("rest-v2-nodes-all.json"));
    assertEquals(Collections.singletonList(540L), ids(v2.nodes));
    assertFalse(v2.hasMore);
    Node frankfurt = v2.nodes.get(0);
    assertEquals("AS16509", frankfurt.attribute("asn"));
    assertEquals("AWS", frankfurt.attribute("isp"));
  }

  private static List<Long> ids(List<Node> nodes) {
    return nodes.stream().map(Node::id).collect(Collectors.toList());
  }

  /**
   * Jackson 2.9's failures on hostile answers are IOExceptions, which the pull's request path counts and
   * retries: a bad \\u escape (its byte parser threw ArrayIndexOutOfBoundsException) and a deeply nested
   * node (trees are built recursively: the stack overflowed).
   */
  @Test
  void aBadEscapeOrADeeplyNestedNodeIsAnIOException() {
    byte[] escape = {'{', '"', 'd', 'e', 't', 'a', 'i', 'l', '\\', 'u', '0', (byte) 0xca, '"', ':', '1', '}'};
    assertThrows(IOException.class, () -> v1(new ByteArrayInputStream(escape), 0, new Runs.Collect()));
    assertThrows(IOException.class, () -> v2(new ByteArrayInputStream(escape), 0, new Runs.Collect(), false));
    StringBuilder deep = new StringBuilder("{\"items\":[{\"id\":1,\"x\":");
    for (int i = 0; i < 100_000; i++) {
      deep.append('[');
    }
    assertThrows(IOException.class, () -> NodePages.read(json(deep.toString())));
  }
}

package org.opentsdbcatchpoint.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentsdbcatchpoint.push.Decoding.decode;
import static org.opentsdbcatchpoint.push.Decoding.decodeFixture;
import static org.opentsdbcatchpoint.push.Decoding.decoder;
import static org.opentsdbcatchpoint.push.Decoding.fixtureTree;
import static org.opentsdbcatchpoint.push.Decoding.skips;
import static org.opentsdbcatchpoint.push.Decoding.values;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentsdbcatchpoint.Fixtures;
import org.opentsdbcatchpoint.pipeline.Measurement;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.pipeline.SkipReason;

/** Catchpoint's default JSON format, from the shared fixtures, through {@link PushDecoder}. */
class PushDecoderDefaultFormatTest {

  private static final double EPS = 1e-9;

  /** Every measurement of push-web-default.json with the default options, exactly. */
  static Map<String, Double> webDefaultExpected() {
    Map<String, Double> e = new LinkedHashMap<>();
    e.put("catchpoint.timing.total", 2310.0);
    e.put("catchpoint.timing.dns", 12.0);
    e.put("catchpoint.timing.connect", 9.0);
    e.put("catchpoint.timing.ssl", 25.0);
    e.put("catchpoint.timing.send", 1.0);
    e.put("catchpoint.timing.wait", 310.0);
    e.put("catchpoint.timing.load", 40.0);
    e.put("catchpoint.timing.content_load", 1900.0);
    e.put("catchpoint.timing.document_complete", 1650.0);
    e.put("catchpoint.timing.render_start", 800.0);
    e.put("catchpoint.timing.client", 90.0);
    e.put("catchpoint.timing.wire", 1400.0);
    e.put("catchpoint.timing.dom_load", 1200.0);
    e.put("catchpoint.timing.first_paint_time", 780.0);
    e.put("catchpoint.timing.first_contentful_paint_time", 790.0);
    e.put("catchpoint.count.connections", 14.0);
    e.put("catchpoint.count.hosts", 9.0);
    e.put("catchpoint.count.failed_requests", 1.0);
    e.put("catchpoint.count.requests", 61.0);
    e.put("catchpoint.count.redirections", 0.0);
    e.put("catchpoint.count.cached", 0.0);
    e.put("catchpoint.score.speed_index", 1234.0);
    e.put("catchpoint.bytes.response_content", 48000.0);
    e.put("catchpoint.bytes.response_headers", 900.0);
    e.put("catchpoint.bytes.response_total_content", 1800000.0);
    e.put("catchpoint.bytes.response_total_headers", 40000.0);
    e.put("catchpoint.error.any", 1.0);
    e.put("catchpoint.error.load_objects", 1.0);
    e.put("catchpoint.run", 0.0);
    return e;
  }

  @Test
  void webDefaultWritesEveryNumericFieldUnderItsContractName() throws Exception {
    DecodedPush d = decodeFixture("push-web-default.json");
    assertEquals(webDefaultExpected(), values(d));
    assertEquals(29, d.run().measurements().size());
    assertEquals("default-json", d.format());
  }

  @Test
  void webDefaultIdentityAndRunTime() throws Exception {
    Run run = decodeFixture("push-web-default.json").run();
    assertEquals(100001L, run.testId());
    assertEquals(540L, run.nodeId());
    assertEquals(Integer.valueOf(0), run.typeId());
    assertEquals("web", run.testType());
    // 2024-01-15T12:14:33.012Z, milliseconds truncated
    assertEquals(1705320873L, run.timestampSeconds());
    assertNull(run.step());
    assertEquals("Homepage (prod)", run.testName(), "TestDetail.Name, shown by the Grafana bridge");
    assertEquals("Frankfurt, DE - AWS", run.nodeName());
  }

  @Test
  void webDefaultSkipsNestedContentTypesAndDisabledHostCollections() throws Exception {
    DecodedPush d = decodeFixture("push-web-default.json");
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("Summary.Timing.ContentType", SkipReason.NESTED_OBJECT);
    expected.put("Summary.Byte.Response.ContentType", SkipReason.NESTED_OBJECT);
    expected.put("Summary.HostCollections", SkipReason.DISABLED);
    assertEquals(expected, skips(d));
  }

  @Test
  void noPartTagsWithDefaultOptions() throws Exception {
    for (Measurement m : decodeFixture("push-web-default.json").run().measurements()) {
      assertNull(m.tagKey(), m::toString);
      assertNull(m.tagValue(), m::toString);
    }
  }

  @Test
  void everyMetricNameIsLowerSnakeCaseUnderCatchpoint() throws Exception {
    for (String f : new String[] {"push-web-default.json", "push-dns-v3.json", "push-dns-error.json",
        "push-ping.json", "push-traceroute.json", "push-template-filled.json"}) {
      for (Measurement m : decodeFixture(f).run().measurements()) {
        assertTrue(m.metric().matches("catchpoint(\\.[a-z0-9]+(_[a-z0-9]+)*)+"), () -> f + ": " + m.metric());
      }
    }
  }

  @Test
  void dnsV3() throws Exception {
    DecodedPush d = decodeFixture("push-dns-v3.json");
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("catchpoint.timing.total", 48.0);
    expected.put("catchpoint.run", 1.0);
    assertEquals(expected, values(d));
    assertEquals(Map.of(), skips(d));
    assertEquals(100002L, d.run().testId());
    assertEquals(312L, d.run().nodeId());
    assertEquals("dns", d.run().testType());
    assertEquals(1705320289L, d.run().timestampSeconds());
  }

  @Test
  void dnsErrorCodeMakesTheRunFail() throws Exception {
    DecodedPush d = decodeFixture("push-dns-error.json");
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("catchpoint.error.code", 12007.0);
    expected.put("catchpoint.run", 0.0);
    assertEquals(expected, values(d));
    assertEquals(Map.of(), skips(d));
    assertEquals(313L, d.run().nodeId());
    assertEquals("dns", d.run().testType());
    assertEquals(1705320312L, d.run().timestampSeconds());
  }

  @Test
  void ping() throws Exception {
    DecodedPush d = decodeFixture("push-ping.json");
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("catchpoint.timing.total", 18.0);
    expected.put("catchpoint.ping.round_trip_time_avg", 17.6);
    expected.put("catchpoint.ping.round_trip_time_min", 16.9);
    expected.put("catchpoint.ping.round_trip_time_max", 19.2);
    expected.put("catchpoint.ping.packet_loss_pct", 0.0);
    expected.put("catchpoint.run", 1.0);
    assertEquals(expected, values(d));
    assertEquals(Map.of(), skips(d));
    assertEquals("ping", d.run().testType());
    assertEquals(1705320422L, d.run().timestampSeconds());
  }

  @Test
  void tracerouteDerivedValues() throws Exception {
    DecodedPush d = decodeFixture("push-traceroute.json");
    Map<String, Double> v = values(d);
    assertEquals(Map.of("catchpoint.timing.total", 31.0, "catchpoint.traceroute.hop_count", 3.0,
        "catchpoint.traceroute.last_hop_rtt_avg", 30.5, "catchpoint.run", 1.0,
        "catchpoint.traceroute.last_hop_loss_pct", v.get("catchpoint.traceroute.last_hop_loss_pct")), v);
    // last hop [30, null, 31]: one probe of three lost
    assertEquals(100.0 / 3, v.get("catchpoint.traceroute.last_hop_loss_pct"), EPS);
    assertEquals("traceroute", d.run().testType());
    assertEquals(1705320301L, d.run().timestampSeconds());
    for (Measurement m : d.run().measurements()) {
      assertNull(m.tagKey(), () -> "no per-hop series by default: " + m);
    }
    assertEquals(Map.of(), skips(d));
  }

  @Test
  void traceroutePerHopSeriesWhenSwitchedOn() throws Exception {
    DecodedPush d = decoder(new DecodeOptions(true, false, false))
        .decode(Fixtures.bytes("push-traceroute.json"), Decoding.JSON, Decoding.NOW);
    Map<String, Double> v = values(d);
    assertEquals(11, v.size(), v::toString);
    assertEquals(3.0, v.get("catchpoint.traceroute.hop_count"));
    assertEquals(30.5, v.get("catchpoint.traceroute.last_hop_rtt_avg"), EPS);
    assertEquals(100.0 / 3, v.get("catchpoint.traceroute.last_hop_loss_pct"), EPS);
    assertEquals(4.0 / 3, v.get("catchpoint.traceroute.hop_rtt_avg{hop=1}"), EPS);
    assertEquals(0.0, v.get("catchpoint.traceroute.hop_loss_pct{hop=1}"), EPS);
    assertEquals(8.5, v.get("catchpoint.traceroute.hop_rtt_avg{hop=2}"), EPS);
    assertEquals(100.0 / 3, v.get("catchpoint.traceroute.hop_loss_pct{hop=2}"), EPS);
    assertEquals(30.5, v.get("catchpoint.traceroute.hop_rtt_avg{hop=3}"), EPS);
    assertEquals(100.0 / 3, v.get("catchpoint.traceroute.hop_loss_pct{hop=3}"), EPS);
    assertEquals(31.0, v.get("catchpoint.timing.total"));
    assertEquals(1.0, v.get("catchpoint.run"));
  }

  @Test
  void tracerouteLastHopAllProbesLost() throws Exception {
    ObjectNode root = fixtureTree("push-traceroute.json");
    ObjectNode lastHop = (ObjectNode) root.path("Diagnostic").path("TraceRoute").path("Hops").get(2);
    lastHop.putArray("RoundTripTimes").addNull().addNull().addNull();
    DecodedPush d = decode(root);
    Map<String, Double> v = values(d);
    assertEquals(3.0, v.get("catchpoint.traceroute.hop_count"));
    assertEquals(100.0, v.get("catchpoint.traceroute.last_hop_loss_pct"));
    assertFalse(v.containsKey("catchpoint.traceroute.last_hop_rtt_avg"), v::toString);
    assertEquals(SkipReason.NO_ANSWER, skips(d).get("Diagnostic.TraceRoute.Hops[2].RoundTripTimes"));
    assertEquals(1.0, v.get("catchpoint.run"), "a lost last hop is a measurement, not a run error");
  }

  @Test
  void tracerouteWithoutHops() throws Exception {
    ObjectNode root = fixtureTree("push-traceroute.json");
    ((ObjectNode) root.path("Diagnostic").path("TraceRoute")).putArray("Hops");
    DecodedPush d = decode(root);
    assertEquals(Map.of("catchpoint.timing.total", 31.0, "catchpoint.run", 1.0), values(d));
    assertEquals(SkipReason.NO_ANSWER, skips(d).get("Diagnostic.TraceRoute.Hops"));
  }

  @Test
  void hostCollectionsWhenSwitchedOn() throws Exception {
    DecodedPush d = decoder(new DecodeOptions(false, true, false))
        .decode(Fixtures.bytes("push-web-default.json"), Decoding.JSON, Decoding.NOW);
    Map<String, Double> expected = webDefaultExpected();
    Map<String, Double> v = values(d);
    Map<String, Double> parts = new LinkedHashMap<>(v);
    parts.keySet().removeAll(expected.keySet());
    assertEquals(Map.of(
        "catchpoint.host.timing.start_to_end{host=www.example.com}", 900.0,
        "catchpoint.host.timing.dns{host=www.example.com}", 12.0,
        "catchpoint.host.count.request{host=www.example.com}", 20.0,
        "catchpoint.host.timing.start_to_end{host=cdn.example.net}", 700.0,
        "catchpoint.host.count.request{host=cdn.example.net}", 41.0,
        "catchpoint.host.count.failure{host=cdn.example.net}", 1.0,
        "catchpoint.host.error.code{host=cdn.example.net}", 50200.0), parts);
    for (Map.Entry<String, Double> e : expected.entrySet()) {
      assertEquals(e.getValue(), v.get(e.getKey()), e.getKey());
    }
    assertFalse(skips(d).containsKey("Summary.HostCollections"), skips(d)::toString);
  }

  @Test
  void contentZonesDisabledByDefaultAndTaggedWhenOn() throws Exception {
    ObjectNode root = fixtureTree("push-web-default.json");
    ObjectNode zone = ((ObjectNode) root.path("Summary")).putObject("ContentZones").putObject("12");
    zone.putObject("Timing").put("Total", 5);
    zone.putObject("Counter").put("Requests", 3);

    DecodedPush off = decode(root);
    assertEquals(SkipReason.DISABLED, skips(off).get("Summary.ContentZones"));
    assertEquals(webDefaultExpected(), values(off));

    DecodedPush on = decoder(new DecodeOptions(false, false, true))
        .decode(Decoding.bytes(root), Decoding.JSON, Decoding.NOW);
    assertEquals(5.0, values(on).get("catchpoint.zone.timing.total{zone=12}"));
    assertEquals(3.0, values(on).get("catchpoint.zone.count.requests{zone=12}"));
    assertEquals(SkipReason.DISABLED, skips(on).get("Summary.HostCollections"));
    assertFalse(skips(on).containsKey("Summary.ContentZones"));
  }

  static Stream<Arguments> typeIds() {
    return Stream.of(
        Arguments.of(0, "web"), Arguments.of(5, "dns"), Arguments.of(6, "ping"), Arguments.of(9, "api"),
        Arguments.of(12, "traceroute"), Arguments.of(99, "type_99"));
  }

  @ParameterizedTest
  @MethodSource("typeIds")
  void testTypeFromTypeId(int typeId, String name) throws Exception {
    ObjectNode root = fixtureTree("push-dns-v3.json");
    ((ObjectNode) root.path("TestDetail")).put("TypeId", typeId);
    Run run = decode(root).run();
    assertEquals(Integer.valueOf(typeId), run.typeId());
    assertEquals(name, run.testType());
  }

  @Test
  void missingTypeIdIsUnknown() throws Exception {
    ObjectNode root = fixtureTree("push-dns-v3.json");
    ((ObjectNode) root.path("TestDetail")).remove("TypeId");
    assertEquals("unknown", decode(root).run().testType());
    root.remove("TestDetail");
    assertEquals("unknown", decode(root).run().testType());
  }

  @Test
  void testRuntimeIsTheFallbackRunTime() throws Exception {
    ObjectNode root = fixtureTree("push-web-default.json");
    ((ObjectNode) root.path("Summary")).remove("Timestamp");
    root.put("TestRuntime", "20240115121533999");
    assertEquals(1705320933L, decode(root).run().timestampSeconds());
  }

  @Test
  void summaryTimestampWinsOverTestRuntime() throws Exception {
    ObjectNode root = fixtureTree("push-web-default.json");
    root.put("TestRuntime", "20240115121533999");
    assertEquals(1705320873L, decode(root).run().timestampSeconds());
  }

  @Test
  void summaryTimestampSentAsAJsonNumber() throws Exception {
    ObjectNode root = fixtureTree("push-web-default.json");
    ((ObjectNode) root.path("Summary")).put("Timestamp", 20240115121433012L);
    assertEquals(1705320873L, decode(root).run().timestampSeconds());
  }

  @Test
  void reportWindowIsNeverTheRunTime() throws Exception {
    ObjectNode root = fixtureTree("push-dns-v3.json");
    root.put("ReportWindow", "202401151300");
    assertEquals(1705320289L, decode(root).run().timestampSeconds());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void blankSummaryTimestampFallsBackToTestRuntime(String blank) throws Exception {
    ObjectNode root = fixtureTree("push-web-default.json");
    ((ObjectNode) root.path("Summary")).put("Timestamp", blank);
    root.put("TestRuntime", "20240115121533999");
    assertEquals(1705320933L, decode(root).run().timestampSeconds());
  }

  @Test
  void numericStringsAreNumbersInTheDefaultFormatToo() throws Exception {
    ObjectNode root = fixtureTree("push-dns-v3.json");
    root.put("TestId", "100002");
    root.put("NodeId", " 312 ");
    ((ObjectNode) root.path("TestDetail")).put("TypeId", "5");
    ((ObjectNode) root.path("Summary").path("Timing")).put("Total", "48.5");
    DecodedPush d = decode(root);
    assertEquals(100002L, d.run().testId());
    assertEquals(312L, d.run().nodeId());
    assertEquals("dns", d.run().testType());
    assertEquals(Map.of("catchpoint.timing.total", 48.5, "catchpoint.run", 1.0), values(d));
  }

  @Test
  void booleanFieldsAreOneAndZero() throws Exception {
    ObjectNode root = fixtureTree("push-dns-v3.json");
    ((ObjectNode) root.path("Summary")).putObject("Error").put("Timeout", true).put("Dns", false);
    Map<String, Double> v = values(decode(root));
    assertEquals(1.0, v.get("catchpoint.error.timeout"));
    assertEquals(0.0, v.get("catchpoint.error.dns"));
    assertEquals(0.0, v.get("catchpoint.run"));
  }

  @Test
  void emptyErrorObjectIsASuccess() throws Exception {
    ObjectNode root = fixtureTree("push-dns-v3.json");
    ((ObjectNode) root.path("Summary")).putObject("Error");
    assertEquals(Map.of("catchpoint.timing.total", 48.0, "catchpoint.run", 1.0), values(decode(root)));
  }

  @Test
  void nullErrorIsASuccess() throws Exception {
    ObjectNode root = fixtureTree("push-dns-v3.json");
    ((ObjectNode) root.path("Summary")).putNull("Error");
    assertEquals(Map.of("catchpoint.timing.total", 48.0, "catchpoint.run", 1.0), values(decode(root)));
  }

  @Test
  void blankErrorIsASuccess() throws Exception {
    ObjectNode root = fixtureTree("push-dns-v3.json");
    ((ObjectNode) root.path("Summary")).put("Error", "  ");
    assertEquals(Map.of("catchpoint.timing.total", 48.0, "catchpoint.run", 1.0), values(decode(root)));
  }

  @Test
  void bareNumericErrorIsACode() throws Exception {
    ObjectNode root = fixtureTree("push-dns-v3.json");
    ((ObjectNode) root.path("Summary")).put("Error", 50010);
    assertEquals(Map.of("catchpoint.timing.total", 48.0, "catchpoint.error.code", 50010.0, "catchpoint.run", 0.0),
        values(decode(root)));
  }

  @ParameterizedTest
  @CsvSource({
      "Any, catchpoint.error.any",
      "LoadObjects, catchpoint.error.load_objects",
      "Dns, catchpoint.error.dns",
      "Connection, catchpoint.error.connection",
      "Timeout, catchpoint.error.timeout",
      "Code, catchpoint.error.code"})
  void errorFlagsAndCode(String field, String metric) throws Exception {
    ObjectNode root = fixtureTree("push-dns-v3.json");
    ((ObjectNode) root.path("Summary")).putObject("Error").put(field, 1);
    Map<String, Double> v = values(decode(root));
    assertEquals(1.0, v.get(metric), v::toString);
    assertEquals(0.0, v.get("catchpoint.run"));
  }

  @Test
  void averageFramesPerSecondIsAScore() throws Exception {
    ObjectNode root = fixtureTree("push-dns-v3.json");
    ((ObjectNode) root.path("Summary")).put("AverageFramesPerSecond", 58.5);
    assertEquals(58.5, values(decode(root)).get("catchpoint.score.average_frames_per_second"));
  }

  @Test
  void stepIsCarriedWhenPresent() throws Exception {
    ObjectNode root = fixtureTree("push-dns-v3.json");
    ((ObjectNode) root.path("Summary")).put("Step", 2);
    assertEquals(Integer.valueOf(2), decode(root).run().step());
  }

  @Test
  void sameBodyDecodesToEqualRuns() throws Exception {
    for (String f : new String[] {"push-web-default.json", "push-traceroute.json", "push-template-filled.json"}) {
      DecodedPush a = decodeFixture(f);
      DecodedPush b = decodeFixture(f);
      assertNotSame(a.run(), b.run());
      assertEquals(values(a), values(b), f);
      assertEquals(a.run().toString(), b.run().toString(), f);
      assertEquals(skips(a), skips(b), f);
    }
  }

  @Test
  void measurementsAreInPayloadOrderWithRunLast() throws Exception {
    List<Measurement> ms = decodeFixture("push-web-default.json").run().measurements();
    assertEquals("catchpoint.timing.total", ms.get(0).metric());
    assertEquals("catchpoint.run", ms.get(ms.size() - 1).metric());
  }

  @Test
  void utf8ByteOrderMarkAndLeadingWhitespaceAreAccepted() throws Exception {
    byte[] plain = Fixtures.bytes("push-dns-v3.json");
    byte[] body = new byte[plain.length + 5];
    body[0] = (byte) 0xef;
    body[1] = (byte) 0xbb;
    body[2] = (byte) 0xbf;
    body[3] = '\n';
    body[4] = ' ';
    System.arraycopy(plain, 0, body, 5, plain.length);
    assertEquals(values(decodeFixture("push-dns-v3.json")), values(decoder().decode(body, null, Decoding.NOW)));
  }
}

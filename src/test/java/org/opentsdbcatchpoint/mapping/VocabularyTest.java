package org.opentsdbcatchpoint.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VocabularyTest {

  @ParameterizedTest
  @CsvSource({
      // default JSON field names
      "timing, Dns, catchpoint.timing.dns",
      "timing, Total, catchpoint.timing.total",
      "timing, DocumentComplete, catchpoint.timing.document_complete",
      "timing, FirstContentfulPaintTime, catchpoint.timing.first_contentful_paint_time",
      "timing, ContentLoad, catchpoint.timing.content_load",
      "timing, DomLoad, catchpoint.timing.dom_load",
      "timing, RenderStart, catchpoint.timing.render_start",
      "timing, TimeToInteractive, catchpoint.timing.time_to_interactive",
      "timing, VisuallyCompleteTime, catchpoint.timing.visually_complete_time",
      "bytes, Response_Content, catchpoint.bytes.response_content",
      "bytes, Response_TotalContent, catchpoint.bytes.response_total_content",
      "bytes, Response_TotalHeaders, catchpoint.bytes.response_total_headers",
      "count, FailedRequests, catchpoint.count.failed_requests",
      "count, Requests, catchpoint.count.requests",
      "count, JsFailures, catchpoint.count.js_failures",
      "score, SpeedIndex, catchpoint.score.speed_index",
      "score, AverageFramesPerSecond, catchpoint.score.average_frames_per_second",
      "error, Any, catchpoint.error.any",
      "error, LoadObjects, catchpoint.error.load_objects",
      "error, Code, catchpoint.error.code",
      "ping, RoundTripTimeAvg, catchpoint.ping.round_trip_time_avg",
      "ping, PacketLossPct, catchpoint.ping.packet_loss_pct",
      // template spellings
      "timing, total, catchpoint.timing.total",
      "timing, contentLoad, catchpoint.timing.content_load",
      "timing, contentload, catchpoint.timing.content_load",
      "timing, documentcomplete, catchpoint.timing.document_complete",
      "timing, webpageResponse, catchpoint.timing.webpage_response",
      "ping, lossPct, catchpoint.ping.packet_loss_pct",
      "ping, rttAvg, catchpoint.ping.round_trip_time_avg",
      "ping, rttMin, catchpoint.ping.round_trip_time_min",
      "ping, rttMax, catchpoint.ping.round_trip_time_max",
      "ping, packetlosspct, catchpoint.ping.packet_loss_pct",
      "error, any, catchpoint.error.any",
      "error, loadObject, catchpoint.error.load_objects",
      // other separators and case
      "timing, document_complete, catchpoint.timing.document_complete",
      "timing, Document Complete, catchpoint.timing.document_complete",
      "timing, DOCUMENT_COMPLETE, catchpoint.timing.document_complete",
      "timing, document-complete, catchpoint.timing.document_complete",
      // unknown keys are snake-cased as given
      "timing, StartToEnd, catchpoint.timing.start_to_end",
      "count, Request, catchpoint.count.request",
      "timing, SSLTime, catchpoint.timing.ssl_time",
      "ping, Jitter, catchpoint.ping.jitter"})
  void metric(String group, String key, String expected) {
    assertEquals(expected, Vocabulary.metric(group, key));
  }

  @ParameterizedTest
  @CsvSource({
      "FirstContentfulPaintTime, first_contentful_paint_time",
      "DocumentComplete, document_complete",
      "Dns, dns",
      "SSLTime, ssl_time",
      "HTTPStatusCode, http_status_code",
      "StartToEnd, start_to_end",
      "ContentType, content_type",
      "Response_TotalContent, response_total_content",
      "already_snake, already_snake",
      "Timing2Load, timing2_load",
      "a--b, a_b",
      "Html5Parser, html5_parser",
      "'  Spaced  Out  ', spaced_out",
      "x.y.z, x_y_z",
      "Ünïcode, n_code",
      "ÀBc, bc",
      "MaßNahme, ma_nahme"})
  void snakeCase(String raw, String expected) {
    assertEquals(expected, Vocabulary.snakeCase(raw));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "___", "  ", "%%"})
  void snakeCaseOfNothingIsUnnamed(String raw) {
    assertEquals("unnamed", Vocabulary.snakeCase(raw));
  }

  @Test
  void snakeCaseOutputIsAlwaysALegalMetricSegment() {
    for (String s : new String[] {"A B C", "_Lead", "Trail_", "x..y", "ABC", "aBC", "São Paulo", "1st", "Ünïcode", "ÉCOLE", "Größe"}) {
      String snake = Vocabulary.snakeCase(s);
      assertTrue(snake.matches("[a-z0-9]+(_[a-z0-9]+)*"), () -> s + " -> " + snake);
    }
  }

  @Test
  void squash() {
    assertEquals("documentcomplete", Vocabulary.squash("Document_Complete"));
    assertEquals("documentcomplete", Vocabulary.squash("document complete"));
    assertEquals("", Vocabulary.squash("-_ "));
  }

  @Test
  void knownKeysAreCanonicalAndRoundTrip() {
    for (String group : new String[] {Vocabulary.TIMING, Vocabulary.BYTES, Vocabulary.COUNT, Vocabulary.ERROR,
        Vocabulary.PING, Vocabulary.SCORE}) {
      assertTrue(!Vocabulary.knownKeys(group).isEmpty(), group);
      for (String key : Vocabulary.knownKeys(group)) {
        assertEquals(key, Vocabulary.snakeCase(key), group + "." + key);
        assertEquals(key, Vocabulary.canonicalKey(group, key), group + "." + key);
        assertEquals(key, Vocabulary.canonicalKey(group, key.toUpperCase()), group + "." + key);
        assertEquals(key, Vocabulary.canonicalKey(group, key.replace("_", "")), group + "." + key);
      }
    }
  }

  @Test
  void knownKeysOfTheContract() {
    assertTrue(Vocabulary.knownKeys(Vocabulary.TIMING).containsAll(Arrays.asList("total", "dns", "connect", "ssl",
        "send", "wait", "load", "content_load", "document_complete", "render_start", "client", "wire", "dom_load",
        "first_paint_time", "first_contentful_paint_time", "time_to_interactive", "visually_complete_time")));
    assertTrue(Vocabulary.knownKeys(Vocabulary.ERROR).containsAll(Arrays.asList("any", "code", "load_objects")));
    assertTrue(Vocabulary.knownKeys(Vocabulary.PING).containsAll(
        Arrays.asList("round_trip_time_avg", "packet_loss_pct")));
  }

  @Test
  void unknownGroupHasNoKnownKeysButStillNames() {
    assertEquals(List.of(), Vocabulary.knownKeys("nope"));
    assertEquals("catchpoint.nope.start_to_end", Vocabulary.metric("nope", "StartToEnd"));
    assertEquals("catchpoint.host.error.code", Vocabulary.metric("host.error", "code"));
  }

  @Test
  void fixedNames() {
    assertEquals("catchpoint.", Vocabulary.PREFIX);
    assertEquals("catchpoint.run", Vocabulary.RUN);
    assertEquals("catchpoint.error.code", Vocabulary.ERROR_CODE);
    assertEquals("catchpoint.error.any", Vocabulary.ERROR_ANY);
    assertEquals("catchpoint.traceroute.hop_count", Vocabulary.TRACEROUTE_HOP_COUNT);
    assertEquals("catchpoint.traceroute.last_hop_rtt_avg", Vocabulary.TRACEROUTE_LAST_HOP_RTT);
    assertEquals("catchpoint.traceroute.last_hop_loss_pct", Vocabulary.TRACEROUTE_LAST_HOP_LOSS);
    assertEquals("catchpoint.traceroute.hop_rtt_avg", Vocabulary.TRACEROUTE_HOP_RTT);
    assertEquals("catchpoint.traceroute.hop_loss_pct", Vocabulary.TRACEROUTE_HOP_LOSS);
    assertEquals("test_id", Vocabulary.TAG_TEST_ID);
    assertEquals("node_id", Vocabulary.TAG_NODE_ID);
    assertEquals("test_type", Vocabulary.TAG_TEST_TYPE);
    assertEquals("step", Vocabulary.TAG_STEP);
    assertEquals("hop", Vocabulary.TAG_HOP);
    assertEquals("host", Vocabulary.TAG_HOST);
    assertEquals("zone", Vocabulary.TAG_ZONE);
  }

  @Test
  void enrichmentTagsInPriorityOrder() {
    assertEquals(List.of("asn", "city", "country", "isp", "region", "continent", "network_type", "node"),
        Vocabulary.ENRICHMENT_TAGS);
    assertThrows(UnsupportedOperationException.class, () -> Vocabulary.ENRICHMENT_TAGS.add("x"));
    assertThrows(UnsupportedOperationException.class,
        () -> Vocabulary.knownKeys(Vocabulary.TIMING).set(0, "x"));
  }
}

package org.opentsdbcatchpoint.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.mapping.Vocabulary;

/** REST column names land on push's metric names: the table, and the rule for the rest. */
class ColumnMappingTest {
  @Test
  void theTableNamesTheColumnsTheOldScriptsPulled() {
    assertEquals("catchpoint.timing.dns", Vocabulary.columnMetric("DNS (ms)"));
    assertEquals("catchpoint.timing.connect", Vocabulary.columnMetric("Connect (ms)"));
    assertEquals("catchpoint.timing.ssl", Vocabulary.columnMetric("SSL (ms)"));
    assertEquals("catchpoint.timing.wait", Vocabulary.columnMetric("Wait (ms)"));
    assertEquals("catchpoint.timing.response", Vocabulary.columnMetric("Response (ms)"));
    assertEquals("catchpoint.timing.document_complete", Vocabulary.columnMetric("Document Complete (ms)"));
    assertEquals("catchpoint.count.connections", Vocabulary.columnMetric("# Connections"));
    assertEquals("catchpoint.ping.packet_loss_pct", Vocabulary.columnMetric("% Ping Packet Loss"));
    assertEquals("catchpoint.ping.round_trip_time_avg", Vocabulary.columnMetric("Ping Round Trip (ms)"));
    assertEquals(Vocabulary.DOWNTIME_PCT, Vocabulary.columnMetric("% Downtime"));
    assertEquals("catchpoint.rate.downtime_pct", Vocabulary.DOWNTIME_PCT);
  }

  @Test
  void lookupIgnoresCaseAndSpacing() {
    assertEquals("catchpoint.timing.dns", Vocabulary.columnMetric("  dns   (MS) "));
    assertTrue(Vocabulary.isKnownColumn("document complete (ms)"));
    assertFalse(Vocabulary.isKnownColumn("Time To Title (ms)"));
  }

  @Test
  void everyTableEntryAgreesWithPushSpellingOfTheSameField() {
    // Push writes Summary.Timing.DocumentComplete, Counter.Connections, Ping.PacketLossPct: same names.
    assertEquals(Vocabulary.metric(Vocabulary.TIMING, "DocumentComplete"), Vocabulary.columnMetric("Document Complete (ms)"));
    assertEquals(Vocabulary.metric(Vocabulary.COUNT, "Connections"), Vocabulary.columnMetric("# Connections"));
    assertEquals(Vocabulary.metric(Vocabulary.PING, "PacketLossPct"), Vocabulary.columnMetric("% Ping Packet Loss"));
    assertEquals(Vocabulary.metric(Vocabulary.PING, "RoundTripTimeAvg"), Vocabulary.columnMetric("Ping Round Trip (ms)"));
    for (Map.Entry<String, String> e : Vocabulary.knownColumns().entrySet()) {
      assertTrue(e.getValue().matches("catchpoint\\.[a-z]+\\.[a-z0-9_]+"), e.toString());
    }
  }

  @Test
  void unknownColumnsGetAGroupByUnitAndADeterministicKey() {
    assertEquals("catchpoint.timing.time_to_title", Vocabulary.columnMetric("Time To Title (ms)"));
    assertEquals("catchpoint.timing.render_start", Vocabulary.derivedColumnMetric("Render Start (ms)"));
    assertEquals("catchpoint.timing.first_contentful_paint_time",
        Vocabulary.columnMetric("First Contentful Paint Time (ms)"));
    assertEquals("catchpoint.count.js_failures", Vocabulary.columnMetric("# JS Failures"));
    assertEquals("catchpoint.count.test_errors", Vocabulary.columnMetric("# Test Errors"));
    assertEquals("catchpoint.rate.availability_pct", Vocabulary.columnMetric("% Availability"));
    assertEquals("catchpoint.rate.content_availability_pct", Vocabulary.columnMetric("Content Availability (%)"));
    assertEquals("catchpoint.ping.jitter", Vocabulary.columnMetric("Ping Jitter"));
    assertEquals("catchpoint.ping.min_round_trip", Vocabulary.columnMetric("Ping Min Round Trip (ms)"));
    assertEquals("catchpoint.bytes.response_content", Vocabulary.columnMetric("Response Content (bytes)"));
    assertEquals("catchpoint.other.throughput_kbps", Vocabulary.columnMetric("Throughput (kbps)"));
    assertEquals("catchpoint.other.apdex", Vocabulary.columnMetric("Apdex"));
    // The rule reproduces the table where they overlap.
    assertEquals(Vocabulary.columnMetric("% Ping Packet Loss"), Vocabulary.derivedColumnMetric("% Ping Packet Loss"));
    assertEquals(Vocabulary.columnMetric("% Downtime"), Vocabulary.derivedColumnMetric("% Downtime"));
    assertEquals(Vocabulary.columnMetric("# Connections"), Vocabulary.derivedColumnMetric("# Connections"));
  }

  @Test
  void hopRowsUseTheTracerouteHopSeries() {
    assertEquals(Vocabulary.TRACEROUTE_HOP_RTT, Vocabulary.hopMetric("catchpoint.ping.round_trip_time_avg"));
    assertEquals(Vocabulary.TRACEROUTE_HOP_LOSS, Vocabulary.hopMetric("catchpoint.ping.packet_loss_pct"));
    assertEquals("catchpoint.timing.dns", Vocabulary.hopMetric("catchpoint.timing.dns"));
  }
}

package org.opentsdbcatchpoint.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Measurement;
import org.opentsdbcatchpoint.pipeline.Run;

/** The old Python REST script's names ({@code naming = legacy | both}). */
class LegacyNamingTest {
  private static Map<String, String> tags(String... kv) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static List<String> lines(List<DataPoint> points) {
    List<String> out = new ArrayList<>();
    for (DataPoint p : points) {
      out.add(p.metric() + " " + p.value() + " " + p.tags());
    }
    return out;
  }

  @Test
  void theOldScriptsRuleFromTheColumnName() {
    assertEquals("catchpoint.testdata.DNS.ms", Vocabulary.legacyMetric("DNS (ms)"));
    assertEquals("catchpoint.testdata.numOfConnections", Vocabulary.legacyMetric("# Connections"));
    assertEquals("catchpoint.testdata.percentDowntime", Vocabulary.legacyMetric("% Downtime"));
    assertEquals("catchpoint.testdata.DocumentComplete.ms", Vocabulary.legacyMetric("Document Complete (ms)"));
    assertEquals("catchpoint.testdata.Throughput.kbps", Vocabulary.legacyMetric("Throughput (kbps)"));
  }

  @Test
  void theTablesColumnsHaveOldNamesAPushedMetricFindsItsColumnsOldName() {
    assertEquals("catchpoint.timing.dns", Vocabulary.legacyTable().get("catchpoint.testdata.DNS.ms"));
    assertEquals(Vocabulary.knownColumns().size(), Vocabulary.legacyTable().size(), "one old name per column");
    assertEquals("catchpoint.testdata.DNS.ms", Vocabulary.legacyMetric("catchpoint.timing.dns", null));
    assertEquals("catchpoint.testdata.Throughput.kbps",
        Vocabulary.legacyMetric("catchpoint.other.throughput_kbps", "Throughput (kbps)"), "a pulled column");
    assertNull(Vocabulary.legacyMetric("catchpoint.timing.first_paint_time", null), "no REST column: no old name");
    assertTrue(Vocabulary.inTable("catchpoint.testdata.numOfConnections"), "not a derived name");
    assertFalse(Vocabulary.inTable("catchpoint.testdata.Throughput.kbps"), "derived: the budget counts it");
    assertEquals(Vocabulary.Encoding.INTEGER, Vocabulary.encodingOf("catchpoint.testdata.numOfConnections"));
    assertEquals(Vocabulary.Encoding.FLOAT, Vocabulary.encodingOf("catchpoint.testdata.DNS.ms"));
    assertEquals(Vocabulary.Encoding.INTEGER, Vocabulary.encodingOf("catchpoint.testdata.numOfSomethingNew"));
  }

  private static Run pulled() {
    return Run.builder(100006, 540, 1705320360L).typeId(0).step(2)
        .add(new Measurement("catchpoint.count.connections", 14).fromColumn("# Connections"))
        .add(new Measurement("catchpoint.other.throughput_kbps", 812.5).fromColumn("Throughput (kbps)"))
        .build();
  }

  @Test
  void legacyWritesTheOldNamesAndTagsInstead() {
    RunMapper legacy = new RunMapper(() -> NodeCatalog.EMPTY, Vocabulary.ENRICHMENT_TAGS, 8, Naming.LEGACY);
    List<String> expected = new ArrayList<>();
    expected.add("catchpoint.testdata.numOfConnections 14.0 " + tags("NodeId", "540", "StepNumber", "2",
        "TestId", "100006"));
    expected.add("catchpoint.testdata.Throughput.kbps 812.5 " + tags("NodeId", "540", "StepNumber", "2",
        "TestId", "100006"));
    assertEquals(expected, lines(legacy.map(pulled())));
  }

  @Test
  void bothWritesEachValueUnderEachName() {
    RunMapper both = new RunMapper(() -> NodeCatalog.EMPTY, Vocabulary.ENRICHMENT_TAGS, 8, Naming.BOTH);
    List<String> got = lines(both.map(pulled()));
    assertEquals(4, got.size(), got.toString());
    assertTrue(got.contains("catchpoint.count.connections 14.0 " + tags("node_id", "540", "step", "2",
        "test_id", "100006", "test_type", "web")), got.toString());
    assertTrue(got.contains("catchpoint.testdata.numOfConnections 14.0 " + tags("NodeId", "540", "StepNumber", "2",
        "TestId", "100006")), got.toString());
  }

  @Test
  void aPushedRunHasTheOldNamesOfItsColumnsAndKeepsTheRestUnderTheContract() {
    Run pushed = Run.builder(100004, 540, 1705320422L).typeId(6)
        .add("catchpoint.ping.round_trip_time_avg", 17.6)
        .add("catchpoint.timing.first_paint_time", 780)
        .add(new Measurement("catchpoint.traceroute.hop_rtt_avg", 3.5, Vocabulary.TAG_HOP, "4"))
        .add(new Measurement("catchpoint.host.timing.dns", 9, Vocabulary.TAG_HOST, "cdn.example.com"))
        .build();
    RunMapper legacy = new RunMapper(() -> NodeCatalog.EMPTY, Vocabulary.ENRICHMENT_TAGS, 8, Naming.LEGACY);
    List<String> got = lines(legacy.map(pushed));
    assertTrue(got.contains("catchpoint.testdata.PingRoundTrip.ms 17.6 " + tags("NodeId", "540", "TestId", "100004")),
        got.toString());
    assertTrue(got.contains("catchpoint.timing.first_paint_time 780.0 " + tags("node_id", "540", "test_id", "100004",
        "test_type", "ping")), "no old name: kept under the contract's, not lost: " + got);
    assertTrue(got.stream().anyMatch(l -> l.startsWith("catchpoint.host.timing.dns ")), got.toString());
    assertEquals(4, got.size(), got.toString());
  }
}

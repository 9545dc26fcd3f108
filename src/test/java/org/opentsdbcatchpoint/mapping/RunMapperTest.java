package org.opentsdbcatchpoint.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentsdbcatchpoint.Fixtures;
import org.opentsdbcatchpoint.catalog.Node;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.catalog.NodeCatalogReader;
import org.opentsdbcatchpoint.catalog.StaticNodeCatalog;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Measurement;
import org.opentsdbcatchpoint.pipeline.Run;

/** Tags of the naming contract, with the node catalog of the shared fixture rest-v1-nodes.json. */
class RunMapperTest {
  private static NodeCatalog catalog;

  @BeforeAll
  static void loadCatalog() throws IOException {
    catalog = new StaticNodeCatalog(NodeCatalogReader.read(Fixtures.path("rest-v1-nodes.json")));
    assertEquals(5, catalog.size());
  }

  private static RunMapper mapper(int maxTags) {
    return new RunMapper(() -> catalog, Vocabulary.ENRICHMENT_TAGS, maxTags);
  }

  private static Map<String, String> tags(String... kv) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  /** A web run of test 100001 on a node, as push-web-default.json has it. */
  private static Run webRun(long nodeId) {
    return Run.builder(100001, nodeId, 1705320873L).typeId(0)
        .add("catchpoint.timing.dns", 12)
        .add("catchpoint.timing.document_complete", 1650)
        .add("catchpoint.run", 0)
        .build();
  }

  @Test
  void frankfurtWebRunWithEightTags() {
    List<DataPoint> points = mapper(8).map(webRun(540));
    Map<String, String> expected = tags("test_id", "100001", "node_id", "540", "test_type", "web",
        "asn", "AS16509", "city", "Frankfurt", "country", "Germany", "isp", "Amazon", "region", "Hesse");
    assertEquals(3, points.size());
    for (DataPoint p : points) {
      assertEquals(expected, p.tags(), p::toString);
      assertEquals(8, p.tags().size());
      assertEquals(1705320873L, p.timestampSeconds());
    }
    assertEquals(new DataPoint("catchpoint.timing.dns", 1705320873L, 12.0, expected), points.get(0));
    assertEquals(new DataPoint("catchpoint.timing.document_complete", 1705320873L, 1650.0, expected),
        points.get(1));
    assertEquals(new DataPoint("catchpoint.run", 1705320873L, 0.0, expected), points.get(2));
  }

  @Test
  void frankfurtWithRoomForEveryTag() {
    DataPoint p = mapper(20).map(webRun(540)).get(0);
    assertEquals(tags("test_id", "100001", "node_id", "540", "test_type", "web",
        "asn", "AS16509", "city", "Frankfurt", "country", "Germany", "isp", "Amazon", "region", "Hesse",
        "continent", "Europe", "network_type", "Public_Cloud", "node", "Frankfurt_DE_-_AWS"), p.tags());
  }

  @ParameterizedTest
  @CsvSource({
      "3, ''",
      "4, asn",
      "5, asn city",
      "6, asn city country",
      "7, asn city country isp",
      "8, asn city country isp region",
      "9, asn city country isp region continent",
      "10, asn city country isp region continent network_type",
      "11, asn city country isp region continent network_type node",
      "12, asn city country isp region continent network_type node"})
  void enrichmentIsDroppedFromTheEndOfThePriorityList(int maxTags, String enrichment) {
    DataPoint p = mapper(maxTags).map(webRun(540)).get(0);
    List<String> expectedKeys = new ArrayList<>(List.of("test_id", "node_id", "test_type"));
    if (!enrichment.isEmpty()) {
      expectedKeys.addAll(List.of(enrichment.split(" ")));
    }
    assertEquals(new TreeMap<>(toMap(expectedKeys)).keySet(), p.tags().keySet());
    assertTrue(p.tags().size() <= maxTags);
  }

  private static Map<String, String> toMap(List<String> keys) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : keys) {
      m.put(k, "");
    }
    return m;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void identityTagsAreAlwaysWrittenEvenOverTheLimit(int maxTags) {
    DataPoint p = mapper(maxTags).map(webRun(540)).get(0);
    assertEquals(tags("test_id", "100001", "node_id", "540", "test_type", "web"), p.tags());
  }

  @Test
  void jinanNode() {
    Run run = Run.builder(100002, 313, 1705320312L).typeId(5).add("catchpoint.error.code", 12007).build();
    assertEquals(tags("test_id", "100002", "node_id", "313", "test_type", "dns", "asn", "AS4837", "city", "Jinan",
        "country", "China", "isp", "China_Unicom_CNC", "region", "Shandong", "continent", "Asia",
        "network_type", "Backbone", "node", "Jinan_CN_-_Unicom"), mapper(20).map(run).get(0).tags());
    assertEquals(tags("test_id", "100002", "node_id", "313", "test_type", "dns", "asn", "AS4837", "city", "Jinan",
        "country", "China", "isp", "China_Unicom_CNC", "region", "Shandong"), mapper(8).map(run).get(0).tags());
  }

  @Test
  void saoPauloKeepsUnicodeLetters() {
    Run run = Run.builder(100005, 701, 1705320605L).typeId(9).add("catchpoint.timing.total", 412).build();
    assertEquals(tags("test_id", "100005", "node_id", "701", "test_type", "api", "asn", "AS26599",
        "city", "São_Paulo", "country", "Brazil", "isp", "Telefônica_Brasil_Vivo", "region", "São_Paulo",
        "continent", "South_America", "network_type", "Last_Mile", "node", "São_Paulo_BR_-_Vivo"),
        mapper(20).map(run).get(0).tags());
  }

  @Test
  void chicagoAndSydney() {
    Run chicago = Run.builder(100003, 88, 1705320301L).typeId(12).add("catchpoint.run", 1).build();
    assertEquals(tags("test_id", "100003", "node_id", "88", "test_type", "traceroute", "asn", "AS3356",
        "city", "Chicago", "country", "United_States", "isp", "Level_3", "region", "Illinois"),
        mapper(8).map(chicago).get(0).tags());
    Run sydney = Run.builder(100002, 312, 1705320289L).typeId(5).add("catchpoint.run", 1).build();
    assertEquals(tags("test_id", "100002", "node_id", "312", "test_type", "dns", "asn", "AS1221",
        "city", "Sydney", "country", "Australia", "isp", "Telstra", "region", "New_South_Wales"),
        mapper(8).map(sydney).get(0).tags());
  }

  @Test
  void unknownNodeHasOnlyIdentityTags() {
    List<DataPoint> points = mapper(8).map(webRun(999999));
    assertEquals(3, points.size());
    for (DataPoint p : points) {
      assertEquals(tags("test_id", "100001", "node_id", "999999", "test_type", "web"), p.tags());
    }
  }

  @Test
  void emptyCatalog() {
    RunMapper m = new RunMapper(() -> NodeCatalog.EMPTY, Vocabulary.ENRICHMENT_TAGS, 8);
    assertEquals(tags("test_id", "100001", "node_id", "540", "test_type", "web"), m.map(webRun(540)).get(0).tags());
  }

  @ParameterizedTest
  @CsvSource({"0, web", "5, dns", "6, ping", "9, api", "12, traceroute", "99, type_99"})
  void testTypeTag(int typeId, String name) {
    Run run = Run.builder(1, 999999, 1705320873L).typeId(typeId).add("catchpoint.run", 1).build();
    assertEquals(name, mapper(8).map(run).get(0).tags().get("test_type"));
  }

  @Test
  void missingTypeIsUnknown() {
    Run run = Run.builder(1, 999999, 1705320873L).add("catchpoint.run", 1).build();
    assertEquals("unknown", mapper(8).map(run).get(0).tags().get("test_type"));
  }

  @Test
  void valuesAreDoubles() {
    Run run = Run.builder(1, 540, 1705320873L).typeId(0)
        .add("catchpoint.timing.total", 2310).add("catchpoint.ping.packet_loss_pct", 33.333333333333336)
        .add("catchpoint.timing.client", 1.2345678901234568E29).build();
    List<DataPoint> points = mapper(8).map(run);
    assertEquals(2310.0, points.get(0).value());
    assertEquals(33.333333333333336, points.get(1).value());
    assertEquals(1.2345678901234568E29, points.get(2).value());
  }

  @Test
  void onePointPerMeasurementInOrder() {
    List<DataPoint> points = mapper(8).map(webRun(540));
    assertEquals(List.of("catchpoint.timing.dns", "catchpoint.timing.document_complete", "catchpoint.run"),
        points.stream().map(DataPoint::metric).toList());
  }

  @Test
  void runWithoutMeasurements() {
    assertEquals(List.of(), mapper(8).map(Run.builder(1, 540, 1705320873L).build()));
  }

  @Test
  void sameRunMapsToEqualPoints() {
    List<DataPoint> a = mapper(8).map(webRun(540));
    List<DataPoint> b = mapper(8).map(webRun(540));
    assertNotSame(a, b);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
  }

  @Test
  void partTagCountsTowardsTheLimit() {
    Run run = Run.builder(100003, 88, 1705320301L).typeId(12)
        .add("catchpoint.traceroute.hop_count", 3)
        .add(new Measurement("catchpoint.traceroute.hop_rtt_avg", 8.5, "hop", "2"))
        .build();
    List<DataPoint> points = mapper(8).map(run);
    assertEquals(tags("test_id", "100003", "node_id", "88", "test_type", "traceroute", "asn", "AS3356",
        "city", "Chicago", "country", "United_States", "isp", "Level_3", "region", "Illinois"), points.get(0).tags());
    assertEquals(tags("test_id", "100003", "node_id", "88", "test_type", "traceroute", "hop", "2",
        "asn", "AS3356", "city", "Chicago", "country", "United_States", "isp", "Level_3"), points.get(1).tags());
  }

  @Test
  void partTagValueIsSanitised() {
    Run run = Run.builder(100001, 999999, 1705320873L).typeId(0)
        .add(new Measurement("catchpoint.host.timing.start_to_end", 900, "host", "www.example.com"))
        .add(new Measurement("catchpoint.host.timing.start_to_end", 700, "host", "cdn example (net)"))
        .add(new Measurement("catchpoint.host.timing.start_to_end", 5, "host", "()"))
        .build();
    List<DataPoint> points = mapper(8).map(run);
    assertEquals("www.example.com", points.get(0).tags().get("host"));
    assertEquals("cdn_example_net", points.get(1).tags().get("host"));
    assertFalse(points.get(2).tags().containsKey("host"), "a part value with nothing legal is left out");
  }

  @Test
  void stepTag() {
    Run run = Run.builder(100001, 540, 1705320873L).typeId(0).step(2).add("catchpoint.timing.total", 1).build();
    DataPoint p = mapper(8).map(run).get(0);
    assertEquals(tags("test_id", "100001", "node_id", "540", "test_type", "web", "step", "2",
        "asn", "AS16509", "city", "Frankfurt", "country", "Germany", "isp", "Amazon"), p.tags());
  }

  @Test
  void enrichmentSubsetInTheGivenOrder() {
    RunMapper m = new RunMapper(() -> catalog, List.of("country", "asn"), 4);
    assertEquals(tags("test_id", "100001", "node_id", "540", "test_type", "web", "country", "Germany"),
        m.map(webRun(540)).get(0).tags());
    RunMapper none = new RunMapper(() -> catalog, List.of(), 8);
    assertEquals(3, none.map(webRun(540)).get(0).tags().size());
  }

  @Test
  void attributesThatSanitiseToNothingDoNotTakeASlot() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("asn", "(*)");
    a.put("city", "Berlin");
    a.put("country", "Germany");
    NodeCatalog one = new StaticNodeCatalog(List.of(new Node(5, a)));
    RunMapper m = new RunMapper(() -> one, Vocabulary.ENRICHMENT_TAGS, 4);
    Run run = Run.builder(1, 5, 1705320873L).typeId(0).add("catchpoint.run", 1).build();
    assertEquals(tags("test_id", "1", "node_id", "5", "test_type", "web", "city", "Berlin"),
        m.map(run).get(0).tags());
  }

  @Test
  void catalogSwappedWhileRunning() {
    AtomicReference<NodeCatalog> current = new AtomicReference<>(NodeCatalog.EMPTY);
    RunMapper m = new RunMapper(current::get, Vocabulary.ENRICHMENT_TAGS, 8);
    assertEquals(3, m.map(webRun(540)).get(0).tags().size());
    current.set(catalog);
    assertEquals(8, m.map(webRun(540)).get(0).tags().size());
  }

  @Test
  void enrichmentListIsCopied() {
    List<String> keys = new ArrayList<>(List.of("asn"));
    RunMapper m = new RunMapper(() -> catalog, keys, 20);
    keys.add("city");
    assertEquals(4, m.map(webRun(540)).get(0).tags().size());
  }
}

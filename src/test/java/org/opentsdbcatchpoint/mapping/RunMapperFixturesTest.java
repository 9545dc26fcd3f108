package org.opentsdbcatchpoint.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentsdbcatchpoint.Fixtures;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.catalog.NodeCatalogReader;
import org.opentsdbcatchpoint.catalog.StaticNodeCatalog;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.push.DecodeOptions;
import org.opentsdbcatchpoint.push.PushDecoder;
import org.opentsdbcatchpoint.push.PushException;

/** The shared push fixtures decoded and mapped: the datapoints the TSD would receive. */
class RunMapperFixturesTest {
  private static final long NOW = 1705400000L;
  private static NodeCatalog catalog;

  @BeforeAll
  static void loadCatalog() throws IOException {
    catalog = new StaticNodeCatalog(NodeCatalogReader.read(Fixtures.path("rest-v1-nodes.json")));
  }

  private static List<DataPoint> points(String fixture, DecodeOptions options, int maxTags) throws PushException {
    PushDecoder decoder = new PushDecoder(options, 1 << 20, 3600);
    RunMapper mapper = new RunMapper(() -> catalog, Vocabulary.ENRICHMENT_TAGS, maxTags);
    return mapper.map(decoder.decode(Fixtures.bytes(fixture), "application/json", NOW).run());
  }

  private static List<DataPoint> points(String fixture) throws PushException {
    return points(fixture, DecodeOptions.defaults(), 8);
  }

  private static Map<String, String> tags(String... kv) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Map<String, Double> byMetric(List<DataPoint> points) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (DataPoint p : points) {
      assertEquals(null, m.put(p.metric(), p.value()), () -> "one point per metric: " + p);
    }
    return m;
  }

  @Test
  void webDefault() throws Exception {
    List<DataPoint> points = points("push-web-default.json");
    assertEquals(29, points.size());
    Map<String, String> frankfurt = tags("test_id", "100001", "node_id", "540", "test_type", "web",
        "asn", "AS16509", "city", "Frankfurt", "country", "Germany", "isp", "Amazon", "region", "Hesse");
    for (DataPoint p : points) {
      assertEquals(frankfurt, p.tags(), p::toString);
      assertEquals(1705320873L, p.timestampSeconds(), p::toString);
    }
    Map<String, Double> v = byMetric(points);
    assertEquals(12.0, v.get("catchpoint.timing.dns"));
    assertEquals(1650.0, v.get("catchpoint.timing.document_complete"));
    assertEquals(790.0, v.get("catchpoint.timing.first_contentful_paint_time"));
    assertEquals(1900.0, v.get("catchpoint.timing.content_load"));
    assertEquals(1200.0, v.get("catchpoint.timing.dom_load"));
    assertEquals(800.0, v.get("catchpoint.timing.render_start"));
    assertEquals(48000.0, v.get("catchpoint.bytes.response_content"));
    assertEquals(1800000.0, v.get("catchpoint.bytes.response_total_content"));
    assertEquals(1.0, v.get("catchpoint.count.failed_requests"));
    assertEquals(1234.0, v.get("catchpoint.score.speed_index"));
    assertEquals(1.0, v.get("catchpoint.error.any"));
    assertEquals(1.0, v.get("catchpoint.error.load_objects"));
    assertEquals(0.0, v.get("catchpoint.run"));
  }

  @Test
  void webDefaultWithEveryEnrichmentTag() throws Exception {
    for (DataPoint p : points("push-web-default.json", DecodeOptions.defaults(), 20)) {
      assertEquals(tags("test_id", "100001", "node_id", "540", "test_type", "web",
          "asn", "AS16509", "city", "Frankfurt", "country", "Germany", "isp", "Amazon", "region", "Hesse",
          "continent", "Europe", "network_type", "Public_Cloud", "node", "Frankfurt_DE_-_AWS"), p.tags());
    }
  }

  @Test
  void hostCollectionsTaggedByHost() throws Exception {
    List<DataPoint> points = points("push-web-default.json", new DecodeOptions(false, true, false), 8);
    assertEquals(36, points.size());
    DataPoint cdn = points.stream()
        .filter(p -> p.metric().equals("catchpoint.host.error.code")).findFirst().orElseThrow();
    assertEquals(50200.0, cdn.value());
    assertEquals(tags("test_id", "100001", "node_id", "540", "test_type", "web", "host", "cdn.example.net",
        "asn", "AS16509", "city", "Frankfurt", "country", "Germany", "isp", "Amazon"), cdn.tags());
    long startToEnd = points.stream().filter(p -> p.metric().equals("catchpoint.host.timing.start_to_end")).count();
    assertEquals(2, startToEnd);
  }

  @Test
  void dnsError() throws Exception {
    List<DataPoint> points = points("push-dns-error.json");
    Map<String, String> jinan = tags("test_id", "100002", "node_id", "313", "test_type", "dns",
        "asn", "AS4837", "city", "Jinan", "country", "China", "isp", "China_Unicom_CNC", "region", "Shandong");
    assertEquals(List.of(new DataPoint("catchpoint.error.code", 1705320312L, 12007.0, jinan),
        new DataPoint("catchpoint.run", 1705320312L, 0.0, jinan)), points);
    assertEquals("Jinan_CN_-_Unicom",
        points("push-dns-error.json", DecodeOptions.defaults(), 20).get(0).tags().get("node"));
  }

  @Test
  void dnsV3() throws Exception {
    Map<String, String> sydney = tags("test_id", "100002", "node_id", "312", "test_type", "dns",
        "asn", "AS1221", "city", "Sydney", "country", "Australia", "isp", "Telstra", "region", "New_South_Wales");
    assertEquals(List.of(new DataPoint("catchpoint.timing.total", 1705320289L, 48.0, sydney),
        new DataPoint("catchpoint.run", 1705320289L, 1.0, sydney)), points("push-dns-v3.json"));
  }

  @Test
  void ping() throws Exception {
    List<DataPoint> points = points("push-ping.json");
    Map<String, Double> v = byMetric(points);
    assertEquals(17.6, v.get("catchpoint.ping.round_trip_time_avg"));
    assertEquals(0.0, v.get("catchpoint.ping.packet_loss_pct"));
    assertEquals(1.0, v.get("catchpoint.run"));
    for (DataPoint p : points) {
      assertEquals("ping", p.tags().get("test_type"));
      assertEquals(1705320422L, p.timestampSeconds());
      assertEquals(8, p.tags().size());
    }
  }

  @Test
  void traceroutePerHop() throws Exception {
    List<DataPoint> points = points("push-traceroute.json", new DecodeOptions(true, false, false), 8);
    Map<String, String> base = tags("test_id", "100003", "node_id", "88", "test_type", "traceroute",
        "asn", "AS3356", "city", "Chicago", "country", "United_States", "isp", "Level_3", "region", "Illinois");
    int perHop = 0;
    for (DataPoint p : points) {
      assertEquals(1705320301L, p.timestampSeconds());
      if (p.metric().equals("catchpoint.traceroute.hop_rtt_avg") || p.metric().equals("catchpoint.traceroute.hop_loss_pct")) {
        perHop++;
        String hop = p.tags().get("hop");
        assertTrue(hop.matches("[123]"), p::toString);
        Map<String, String> expected = new TreeMap<>(base);
        expected.remove("region");
        expected.put("hop", hop);
        assertEquals(expected, p.tags(), p::toString);
      } else {
        assertEquals(base, p.tags(), p::toString);
      }
    }
    assertEquals(6, perHop);
  }

  @Test
  void templateFilled() throws Exception {
    List<DataPoint> points = points("push-template-filled.json", DecodeOptions.defaults(), 20);
    for (DataPoint p : points) {
      assertEquals(tags("test_id", "100005", "node_id", "701", "test_type", "api", "asn", "AS26599",
          "city", "São_Paulo", "country", "Brazil", "isp", "Telefônica_Brasil_Vivo", "region", "São_Paulo",
          "continent", "South_America", "network_type", "Last_Mile", "node", "São_Paulo_BR_-_Vivo"), p.tags());
      assertEquals(1705320605L, p.timestampSeconds());
    }
    assertEquals(1.0, byMetric(points).get("catchpoint.run"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"push-web-default.json", "push-dns-v3.json", "push-dns-error.json", "push-ping.json",
      "push-traceroute.json", "push-template-filled.json"})
  void sameRunDecodedTwiceGivesEqualPoints(String fixture) throws Exception {
    DecodeOptions all = new DecodeOptions(true, true, true);
    List<DataPoint> a = points(fixture, all, 8);
    List<DataPoint> b = points(fixture, all, 8);
    assertNotSame(a, b);
    assertEquals(a, b);
  }

  @ParameterizedTest
  @ValueSource(strings = {"push-web-default.json", "push-dns-v3.json", "push-dns-error.json", "push-ping.json",
      "push-traceroute.json", "push-template-filled.json"})
  void everyPointIsLegalForOpenTsdb(String fixture) throws Exception {
    for (DataPoint p : points(fixture, new DecodeOptions(true, true, true), 8)) {
      assertTrue(p.tags().size() <= 8, p::toString);
      assertTrue(Double.isFinite(p.value()), p::toString);
      for (char c : p.metric().toCharArray()) {
        assertTrue(TagValues.isLegal(c), p::toString);
      }
      for (Map.Entry<String, String> t : p.tags().entrySet()) {
        assertEquals(t.getValue(), TagValues.sanitize(t.getValue()), p::toString);
        assertEquals(t.getKey(), TagValues.sanitize(t.getKey()), p::toString);
      }
    }
  }
}

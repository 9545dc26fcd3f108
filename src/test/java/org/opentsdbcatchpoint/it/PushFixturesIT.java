package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Every shared push fixture, posted to the real TSD and read back through /api/query, exactly. */
@Order(1)
class PushFixturesIT {
  private static final long FROM = 1705320000L;
  private static final long TO = 1705323600L;

  private static Map<String, String> tags(String... kv) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Frankfurt node 540 from the catalog: 3 identity tags + 5 enrichment tags = max_tags 8. */
  private static Map<String, String> frankfurt(String testId, String type) {
    return tags("test_id", testId, "node_id", "540", "test_type", type, "asn", "AS16509", "city", "Frankfurt",
        "country", "Germany", "isp", "Amazon", "region", "Hesse");
  }

  private static void assertPoint(String metric, Map<String, String> expectedTags, long t, double value)
      throws Exception {
    Tsd.Series s = Tsd.only(metric, Map.of("test_id", expectedTags.get("test_id"),
        "node_id", expectedTags.get("node_id")), FROM, TO);
    assertEquals(expectedTags, s.tags, () -> "tags of " + metric);
    assertEquals(Map.of(t, value), s.dps, () -> "datapoints of " + metric);
  }

  @Test
  void webDefaultFormatWritesEveryMeasurementWithEnrichmentTags() throws Exception {
    Tsd.Answer a = Tsd.push(Tsd.fixtureBytes("push-web-default.json"), "application/json", "&details");
    assertEquals(200, a.status, a::toString);
    assertEquals(29, a.json.path("written").asInt(), a::toString);
    assertEquals(3, a.json.path("skipped").asInt(), a::toString);
    assertEquals("web", a.json.path("run").path("test_type").asText());
    assertEquals(1705320873L, a.json.path("run").path("timestamp").asLong());

    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("catchpoint.timing.total", 2310.0);
    expected.put("catchpoint.timing.dns", 12.0);
    expected.put("catchpoint.timing.connect", 9.0);
    expected.put("catchpoint.timing.ssl", 25.0);
    expected.put("catchpoint.timing.send", 1.0);
    expected.put("catchpoint.timing.wait", 310.0);
    expected.put("catchpoint.timing.load", 40.0);
    expected.put("catchpoint.timing.content_load", 1900.0);
    expected.put("catchpoint.timing.document_complete", 1650.0);
    expected.put("catchpoint.timing.render_start", 800.0);
    expected.put("catchpoint.timing.client", 90.0);
    expected.put("catchpoint.timing.wire", 1400.0);
    expected.put("catchpoint.timing.dom_load", 1200.0);
    expected.put("catchpoint.timing.first_paint_time", 780.0);
    expected.put("catchpoint.timing.first_contentful_paint_time", 790.0);
    expected.put("catchpoint.error.any", 1.0);
    expected.put("catchpoint.error.load_objects", 1.0);
    expected.put("catchpoint.bytes.response_content", 48000.0);
    expected.put("catchpoint.bytes.response_headers", 900.0);
    expected.put("catchpoint.bytes.response_total_content", 1800000.0);
    expected.put("catchpoint.bytes.response_total_headers", 40000.0);
    expected.put("catchpoint.count.connections", 14.0);
    expected.put("catchpoint.count.hosts", 9.0);
    expected.put("catchpoint.count.failed_requests", 1.0);
    expected.put("catchpoint.count.requests", 61.0);
    expected.put("catchpoint.count.redirections", 0.0);
    expected.put("catchpoint.count.cached", 0.0);
    expected.put("catchpoint.score.speed_index", 1234.0);
    expected.put("catchpoint.run", 0.0);
    assertEquals(29, expected.size());
    for (Map.Entry<String, Double> e : expected.entrySet()) {
      assertPoint(e.getKey(), frankfurt("100001", "web"), 1705320873L, e.getValue());
    }

    // The nested and high-cardinality parts are reported, not written.
    JsonNode details = a.json.path("details");
    assertEquals(3, details.size(), details::toString);
    assertEquals("Summary.Timing.ContentType", details.get(0).path("field").asText());
    assertEquals("nested_object", details.get(0).path("reason").asText());
  }

  @Test
  void dnsV3() throws Exception {
    Tsd.Answer a = Tsd.push(Tsd.fixtureBytes("push-dns-v3.json"));
    assertEquals(200, a.status, a::toString);
    Map<String, String> sydney = tags("test_id", "100002", "node_id", "312", "test_type", "dns", "asn", "AS1221",
        "city", "Sydney", "country", "Australia", "isp", "Telstra", "region", "New_South_Wales");
    assertPoint("catchpoint.timing.total", sydney, 1705320289L, 48.0);
    assertPoint("catchpoint.run", sydney, 1705320289L, 1.0);
  }

  @Test
  void dnsErrorWithCommaLadenNodeName() throws Exception {
    Tsd.Answer a = Tsd.push(Tsd.fixtureBytes("push-dns-error.json"));
    assertEquals(200, a.status, a::toString);
    assertEquals(2, a.json.path("written").asInt(), a::toString);
    Map<String, String> jinan = tags("test_id", "100002", "node_id", "313", "test_type", "dns", "asn", "AS4837",
        "city", "Jinan", "country", "China", "isp", "China_Unicom_CNC", "region", "Shandong");
    assertPoint("catchpoint.error.code", jinan, 1705320312L, 12007.0);
    assertPoint("catchpoint.run", jinan, 1705320312L, 0.0);
  }

  @Test
  void ping() throws Exception {
    Tsd.Answer a = Tsd.push(Tsd.fixtureBytes("push-ping.json"));
    assertEquals(200, a.status, a::toString);
    Map<String, String> t = frankfurt("100004", "ping");
    assertPoint("catchpoint.ping.round_trip_time_avg", t, 1705320422L, 17.6);
    assertPoint("catchpoint.ping.round_trip_time_min", t, 1705320422L, 16.9);
    assertPoint("catchpoint.ping.round_trip_time_max", t, 1705320422L, 19.2);
    assertPoint("catchpoint.ping.packet_loss_pct", t, 1705320422L, 0.0);
    assertPoint("catchpoint.timing.total", t, 1705320422L, 18.0);
  }

  @Test
  void tracerouteDerivedValues() throws Exception {
    Tsd.Answer a = Tsd.push(Tsd.fixtureBytes("push-traceroute.json"));
    assertEquals(200, a.status, a::toString);
    Map<String, String> chicago = tags("test_id", "100003", "node_id", "88", "test_type", "traceroute",
        "asn", "AS3356", "city", "Chicago", "country", "United_States", "isp", "Level_3", "region", "Illinois");
    assertPoint("catchpoint.traceroute.hop_count", chicago, 1705320301L, 3.0);
    assertPoint("catchpoint.traceroute.last_hop_rtt_avg", chicago, 1705320301L, 30.5);
    assertPoint("catchpoint.traceroute.last_hop_loss_pct", chicago, 1705320301L, 100.0 / 3);
  }

  @Test
  void filledTemplateWithStringsAndEmptyValues() throws Exception {
    Tsd.Answer a = Tsd.push(Tsd.fixtureBytes("push-template-filled.json"), "application/json", "&details");
    assertEquals(200, a.status, a::toString);
    assertEquals("template-json", a.json.path("run").path("format").asText());
    Map<String, String> saoPaulo = tags("test_id", "100005", "node_id", "701", "test_type", "api",
        "asn", "AS26599", "city", "São_Paulo", "country", "Brazil", "isp", "Telefônica_Brasil_Vivo",
        "region", "São_Paulo");
    assertPoint("catchpoint.timing.total", saoPaulo, 1705320605L, 412.0);
    assertPoint("catchpoint.timing.wait", saoPaulo, 1705320605L, 280.0);
    assertPoint("catchpoint.error.any", saoPaulo, 1705320605L, 0.0);
    assertPoint("catchpoint.run", saoPaulo, 1705320605L, 1.0);
    boolean emptyReported = false;
    for (JsonNode d : a.json.path("details")) {
      emptyReported |= d.path("field").asText().equals("timing.contentLoad") && d.path("reason").asText().equals("empty");
    }
    assertTrue(emptyReported, a::toString);
  }

  @Test
  void xmlBodyDecodesLikeJson() throws Exception {
    String xml = "<?xml version=\"1.0\"?><TestDataWebhook><TestId>100012</TestId><NodeId>312</NodeId>"
        + "<TestDetail><Name>dns-xml</Name><TypeId>5</TypeId></TestDetail>"
        + "<Summary><Timestamp>20240115120449609</Timestamp><Timing><Total>48</Total><Dns>7</Dns></Timing></Summary>"
        + "</TestDataWebhook>";
    Tsd.Answer a = Tsd.push(xml.getBytes("UTF-8"), "application/xml", "");
    assertEquals(200, a.status, a::toString);
    assertEquals("default-xml", a.json.path("run").path("format").asText());
    Tsd.Series s = Tsd.only("catchpoint.timing.dns", Map.of("test_id", "100012"), FROM, TO);
    assertEquals(Map.of(1705320289L, 7.0), s.dps);
  }

  @Test
  void gzipBodiesWithAndWithoutContentEncoding() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
      gz.write(Tsd.fixtureBytes("push-dns-v3.json"));
    }
    Tsd.Answer declared = Tsd.send(Tsd.request("/plugin/catchpoint/push?token=" + Tsd.TOKEN)
        .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(buf.toByteArray())).build());
    assertEquals(200, declared.status, declared::toString);
    Tsd.Answer sniffed = Tsd.push(buf.toByteArray(), "application/json", "");
    assertEquals(200, sniffed.status, sniffed::toString);
    assertEquals(declared.json.path("written"), sniffed.json.path("written"));
  }

  @Test
  void pushBodyLargerThanTheTsdDefaultChunkIsAccepted() throws Exception {
    // 40 KiB of padding in a field the decoder ignores: bigger than Netty's 8 KiB chunk.
    String body = new String(Tsd.fixtureBytes("push-dns-v3.json"), "UTF-8")
        .replace("\"Request\": \"www.example.com\"", "\"Request\": \"" + "x".repeat(40 * 1024) + "\"");
    Tsd.Answer a = Tsd.push(body.getBytes("UTF-8"));
    assertEquals(200, a.status, a::toString);
  }

  @Test
  void grafanasExporterTemplateIsReadBackExactly() throws Exception {
    byte[] body;
    try (java.io.InputStream in = PushFixturesIT.class.getResourceAsStream("/push/exporter-template-filled.json")) {
      body = in.readAllBytes();
    }
    Tsd.Answer a = Tsd.push(body);
    assertEquals(200, a.status, a::toString);
    assertEquals("template-json", a.json.path("run").path("format").asText());
    assertEquals(43, a.json.path("written").asInt(), a::toString);
    assertEquals(2, a.json.path("skipped").asInt(), a::toString);
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("catchpoint.timing.total", 6591.0);
    expected.put("catchpoint.timing.dns", 24.0);
    expected.put("catchpoint.timing.redirect", 309.0);
    expected.put("catchpoint.timing.document_complete", 4406.0);
    expected.put("catchpoint.bytes.response_total_content", 1567691.0);
    expected.put("catchpoint.bytes.response_content_type_image", 542482.0);
    expected.put("catchpoint.error.any", 1.0);
    expected.put("catchpoint.error.load_objects", 1.0);
    expected.put("catchpoint.error.timeout", 0.0);
    expected.put("catchpoint.count.requests", 59.0);
    expected.put("catchpoint.count.content_type_script", 21.0);
    expected.put("catchpoint.count.tracepoints", 0.0);
    expected.put("catchpoint.run", 0.0);
    for (Map.Entry<String, Double> e : expected.entrySet()) {
      assertPoint(e.getKey(), frankfurt("100007", "web"), 1705320725L, e.getValue());
    }
  }
}

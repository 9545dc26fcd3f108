package org.opentsdbcatchpoint.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.opentsdbcatchpoint.push.Decoding.assertRefused;
import static org.opentsdbcatchpoint.push.Decoding.decode;
import static org.opentsdbcatchpoint.push.Decoding.decodeFixture;
import static org.opentsdbcatchpoint.push.Decoding.fixtureTree;
import static org.opentsdbcatchpoint.push.Decoding.refused;
import static org.opentsdbcatchpoint.push.Decoding.skips;
import static org.opentsdbcatchpoint.push.Decoding.values;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.pipeline.SkipReason;

/**
 * Grafana's catchpoint-prometheus-exporter template (its {@code template.json}: identity under
 * {@code TestDetails}, results flat under {@code Summary}), filled in as Catchpoint fills it: a user
 * moving from that exporter keeps their template, and every field lands on the metric a
 * default-format push writes for the same value.
 */
class PushDecoderExporterTemplateTest {
  static final String FIXTURE = "/push/exporter-template-filled.json";

  static byte[] exporterBody() throws IOException {
    try (InputStream in = PushDecoderExporterTemplateTest.class.getResourceAsStream(FIXTURE)) {
      return in.readAllBytes();
    }
  }

  @Test
  void everyFieldOfTheExporterTemplateLandsOnTheNamingContract() throws Exception {
    DecodedPush d = Decoding.decoder().decode(exporterBody(), "application/json", Decoding.NOW);
    assertEquals("template-json", d.format());
    Run run = d.run();
    assertEquals(100007L, run.testId());
    assertEquals(540L, run.nodeId());
    assertEquals("web", run.testType());
    assertEquals("Checkout (prod)", run.testName());
    assertEquals("Frankfurt, DE - AWS", run.nodeName());
    assertEquals(1_705_320_725L, run.timestampSeconds(), "Summary.Timestamp, yyyyMMddHHmmssSSS in UTC");

    Map<String, Double> expected = new TreeMap<>();
    expected.put("catchpoint.timing.total", 6591.0);
    expected.put("catchpoint.timing.connect", 11.0);
    expected.put("catchpoint.timing.dns", 24.0);
    expected.put("catchpoint.timing.content_load", 6285.0);
    expected.put("catchpoint.timing.load", 598.0);
    expected.put("catchpoint.timing.redirect", 309.0);
    expected.put("catchpoint.timing.ssl", 19.0);
    expected.put("catchpoint.timing.wait", 517.0);
    expected.put("catchpoint.timing.client", 167.0);
    expected.put("catchpoint.timing.document_complete", 4406.0);
    expected.put("catchpoint.timing.render_start", 1554.0);
    expected.put("catchpoint.bytes.response_content", 101392.0);
    expected.put("catchpoint.bytes.response_headers", 2315.0);
    expected.put("catchpoint.bytes.response_total_content", 1567691.0);
    expected.put("catchpoint.bytes.response_total_headers", 54175.0);
    expected.put("catchpoint.error.any", 1.0);
    expected.put("catchpoint.error.connection", 0.0);
    expected.put("catchpoint.error.dns", 0.0);
    expected.put("catchpoint.error.load", 1.0);
    expected.put("catchpoint.error.timeout", 0.0);
    expected.put("catchpoint.error.transaction", 0.0);
    expected.put("catchpoint.error.load_objects", 1.0);
    expected.put("catchpoint.bytes.response_content_type_image", 542482.0);
    expected.put("catchpoint.bytes.response_content_type_script", 593927.0);
    expected.put("catchpoint.bytes.response_content_type_html", 104773.0);
    expected.put("catchpoint.bytes.response_content_type_css", 237942.0);
    expected.put("catchpoint.bytes.response_content_type_font", 138677.0);
    expected.put("catchpoint.bytes.response_content_type_xml", 0.0);
    expected.put("catchpoint.bytes.response_content_type_other", 1540.0);
    expected.put("catchpoint.count.connections", 15.0);
    expected.put("catchpoint.count.hosts", 22.0);
    expected.put("catchpoint.count.failed_requests", 1.0);
    expected.put("catchpoint.count.requests", 59.0);
    expected.put("catchpoint.count.redirections", 4.0);
    expected.put("catchpoint.count.cached", 0.0);
    expected.put("catchpoint.count.content_type_image", 11.0);
    expected.put("catchpoint.count.content_type_script", 21.0);
    expected.put("catchpoint.count.content_type_html", 4.0);
    expected.put("catchpoint.count.content_type_css", 4.0);
    expected.put("catchpoint.count.content_type_font", 4.0);
    expected.put("catchpoint.count.content_type_xml", 0.0);
    expected.put("catchpoint.count.tracepoints", 0.0);
    expected.put("catchpoint.run", 0.0);
    assertEquals(expected, new TreeMap<>(values(d)));

    Map<String, String> skipped = new TreeMap<>();
    skipped.put("Summary.MediaContentType", SkipReason.EMPTY);
    skipped.put("Summary.MediaCount", SkipReason.EMPTY);
    assertEquals(skipped, new TreeMap<>(skips(d)));
  }

  @Test
  void theSameValueGivesTheSameMetricAsTheDefaultFormat() throws Exception {
    // The default format's web fixture names Total, Dns, Connect... under Summary.Timing; the
    // exporter names them flat. Every metric both write is one metric.
    Map<String, Double> byDefault = values(decodeFixture("push-web-default.json"));
    Map<String, Double> byExporter = values(Decoding.decoder().decode(exporterBody(), "application/json",
        Decoding.NOW));
    for (String metric : new String[] {"catchpoint.timing.total", "catchpoint.timing.dns", "catchpoint.timing.connect",
        "catchpoint.timing.ssl", "catchpoint.timing.wait", "catchpoint.timing.load", "catchpoint.timing.content_load",
        "catchpoint.timing.document_complete", "catchpoint.timing.render_start", "catchpoint.timing.client",
        "catchpoint.bytes.response_content", "catchpoint.bytes.response_headers",
        "catchpoint.bytes.response_total_content", "catchpoint.bytes.response_total_headers",
        "catchpoint.count.connections", "catchpoint.count.hosts", "catchpoint.count.failed_requests",
        "catchpoint.count.requests", "catchpoint.count.redirections", "catchpoint.count.cached",
        "catchpoint.error.any", "catchpoint.error.load_objects", "catchpoint.run"}) {
      assertEquals(true, byDefault.containsKey(metric), "default format writes " + metric);
      assertEquals(true, byExporter.containsKey(metric), "exporter template writes " + metric);
    }
  }

  @Test
  void aDefaultFormatBodyWithoutItsTestIdIsToldSo() {
    ObjectNode root = fixtureTree("push-web-default.json");
    root.remove("TestId");
    PushException e = refused(root);
    assertRefused(e, 400, "missing_field");
    assertEquals("TestId", e.where());
  }

  @Test
  void aNestedIdentityBesideASummaryIsATemplate() throws Exception {
    DecodedPush d = decode("{\"TestDetails\":{\"TestId\":\"5\",\"NodeId\":\"7\",\"TypeId\":\"5\"},"
        + "\"Summary\":{\"Timestamp\":\"20240115121005120\",\"TotalTime\":\"31\",\"DnsTime\":\"12\"}}");
    assertEquals("template-json", d.format());
    assertEquals(5L, d.run().testId());
    assertEquals("dns", d.run().testType());
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("catchpoint.timing.total", 31.0);
    expected.put("catchpoint.timing.dns", 12.0);
    expected.put("catchpoint.run", 1.0);
    assertEquals(expected, values(d));
  }

  @Test
  void theExporterTemplateInXmlIsReadTheSameWay() throws Exception {
    String xml = "<Run><TestDetails><TestId>100007</TestId><NodeId>540</NodeId><TypeId>0</TypeId></TestDetails>"
        + "<Summary><Timestamp>20240115121205480</Timestamp><TotalTime>6591</TotalTime><AnyError>False</AnyError>"
        + "</Summary></Run>";
    DecodedPush d = Decoding.decoder().decode(Decoding.utf8(xml), "application/xml", Decoding.NOW);
    assertEquals("template-xml", d.format());
    assertEquals(6591.0, values(d).get("catchpoint.timing.total"));
    assertEquals(1.0, values(d).get("catchpoint.run"));
  }
}

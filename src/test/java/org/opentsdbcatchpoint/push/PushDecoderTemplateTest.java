package org.opentsdbcatchpoint.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentsdbcatchpoint.push.Decoding.assertRefused;
import static org.opentsdbcatchpoint.push.Decoding.decode;
import static org.opentsdbcatchpoint.push.Decoding.decodeFixture;
import static org.opentsdbcatchpoint.push.Decoding.fixtureTree;
import static org.opentsdbcatchpoint.push.Decoding.refused;
import static org.opentsdbcatchpoint.push.Decoding.skips;
import static org.opentsdbcatchpoint.push.Decoding.tree;
import static org.opentsdbcatchpoint.push.Decoding.values;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentsdbcatchpoint.Fixtures;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.pipeline.SkipReason;
import org.opentsdbcatchpoint.pipeline.SkippedField;

/** Template payloads: the project's recommended template filled in, and hand-written flat ones. */
class PushDecoderTemplateTest {

  private static final String FLAT = "{\"testid\":\"5\",\"nodeid\":\"7\",\"timestamp\":\"20240115121005120\","
      + "\"timingdns\":\"20\",\"timingdocumentcomplete\":\"900\",\"pingpacketlosspct\":\"1.5\","
      + "\"errorany\":\"False\"}";

  @Test
  void filledRecommendedTemplate() throws Exception {
    DecodedPush d = decodeFixture("push-template-filled.json");
    assertEquals("template-json", d.format());
    Run run = d.run();
    assertEquals(100005L, run.testId());
    assertEquals(701L, run.nodeId());
    assertEquals(Integer.valueOf(9), run.typeId());
    assertEquals("api", run.testType());
    assertEquals(1705320605L, run.timestampSeconds());

    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("catchpoint.timing.total", 412.0);
    expected.put("catchpoint.timing.dns", 20.0);
    expected.put("catchpoint.timing.connect", 31.0);
    expected.put("catchpoint.timing.ssl", 60.0);
    expected.put("catchpoint.timing.send", 1.0);
    expected.put("catchpoint.timing.wait", 280.0);
    expected.put("catchpoint.timing.load", 20.0);
    expected.put("catchpoint.timing.response", 412.0);
    expected.put("catchpoint.error.any", 0.0);
    expected.put("catchpoint.error.dns", 0.0);
    expected.put("catchpoint.error.connection", 0.0);
    expected.put("catchpoint.error.ssl", 0.0);
    expected.put("catchpoint.error.timeout", 0.0);
    expected.put("catchpoint.error.load", 0.0);
    expected.put("catchpoint.error.transaction", 0.0);
    expected.put("catchpoint.run", 1.0);
    assertEquals(expected, values(d));

    Map<String, String> skipped = new LinkedHashMap<>();
    skipped.put("timing.contentLoad", SkipReason.EMPTY);
    skipped.put("timing.documentComplete", SkipReason.EMPTY);
    skipped.put("timing.renderStart", SkipReason.EMPTY);
    skipped.put("timing.webpageResponse", SkipReason.EMPTY);
    skipped.put("ping.lossPct", SkipReason.EMPTY);
    skipped.put("ping.rttAvg", SkipReason.EMPTY);
    skipped.put("error.code", SkipReason.EMPTY);
    assertEquals(skipped, skips(d));
  }

  @Test
  void filledValuesOfTheRecommendedTemplateGetContractNames() throws Exception {
    ObjectNode root = fixtureTree("push-template-filled.json");
    ((ObjectNode) root.path("timing")).put("contentLoad", "1900").put("documentComplete", "1650")
        .put("renderStart", "800").put("webpageResponse", "2000");
    ((ObjectNode) root.path("ping")).put("lossPct", "2.5").put("rttAvg", "17.6");
    ((ObjectNode) root.path("error")).put("code", "0");
    DecodedPush d = decode(root);
    Map<String, Double> v = values(d);
    assertEquals(1900.0, v.get("catchpoint.timing.content_load"));
    assertEquals(1650.0, v.get("catchpoint.timing.document_complete"));
    assertEquals(800.0, v.get("catchpoint.timing.render_start"));
    assertEquals(2000.0, v.get("catchpoint.timing.webpage_response"));
    assertEquals(2.5, v.get("catchpoint.ping.packet_loss_pct"));
    assertEquals(17.6, v.get("catchpoint.ping.round_trip_time_avg"));
    assertEquals(0.0, v.get("catchpoint.error.code"));
    assertEquals(1.0, v.get("catchpoint.run"));
    assertEquals(Map.of(), skips(d));
  }

  @ParameterizedTest
  @CsvSource({"any, True", "dns, True", "timeout, TRUE", "code, 12007"})
  void anyNonZeroErrorValueMakesTheRunFail(String field, String value) throws Exception {
    ObjectNode root = fixtureTree("push-template-filled.json");
    ((ObjectNode) root.path("error")).put(field, value);
    Map<String, Double> v = values(decode(root));
    assertEquals(0.0, v.get("catchpoint.run"));
    assertTrue(v.get("catchpoint.error." + field) != 0, v::toString);
  }

  @Test
  void runTimeFromTsEpochWhenFilled() throws Exception {
    ObjectNode root = fixtureTree("push-template-filled.json");
    root.put("ts", "20240115121105120");
    root.put("tsEpoch", "1705320605");
    assertEquals(1705320605L, decode(root).run().timestampSeconds());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "${timestampepoch}", "${TimestampEpoch}"})
  void runTimeFromTsWhenTsEpochIsNotFilled(String epoch) throws Exception {
    ObjectNode root = fixtureTree("push-template-filled.json");
    root.put("ts", "20240115121105120");
    root.put("tsEpoch", epoch);
    assertEquals(1705320665L, decode(root).run().timestampSeconds());
  }

  @Test
  void runTimeFromTsWhenTsEpochIsAbsent() throws Exception {
    ObjectNode root = fixtureTree("push-template-filled.json");
    root.remove("tsEpoch");
    assertEquals(1705320605L, decode(root).run().timestampSeconds());
  }

  @Test
  void tsEpochInMilliseconds() throws Exception {
    ObjectNode root = fixtureTree("push-template-filled.json");
    root.put("tsEpoch", "1705320605120");
    assertEquals(1705320605L, decode(root).run().timestampSeconds());
  }

  @Test
  void templateWithoutRunTime() {
    ObjectNode root = fixtureTree("push-template-filled.json");
    root.remove("tsEpoch");
    root.put("ts", "");
    assertRefused(refused(root), 400, "missing_run_time");
    root.remove("ts");
    assertRefused(refused(root), 400, "missing_run_time");
  }

  @Test
  void templateWithGarbageRunTime() {
    ObjectNode root = fixtureTree("push-template-filled.json");
    root.remove("tsEpoch");
    root.put("ts", "yesterday");
    assertRefused(refused(root), 400, "invalid_run_time");
  }

  @Test
  void templateWithoutNodeId() {
    ObjectNode root = fixtureTree("push-template-filled.json");
    root.remove("nodeId");
    assertRefused(refused(root), 400, "missing_field");
  }

  @Test
  void templateWithEmptyTestId() {
    ObjectNode root = fixtureTree("push-template-filled.json");
    root.put("testId", "");
    assertRefused(refused(root), 400, "missing_field");
  }

  @Test
  void templateWithBadTestId() {
    ObjectNode root = fixtureTree("push-template-filled.json");
    root.put("testId", "abc");
    assertRefused(refused(root), 400, "invalid_field");
  }

  @Test
  void recommendedTemplateNotFilledInIsRefused() {
    // the template itself, posted as is: "${testid}" is no test id
    PushException e = refused(Fixtures.bytes("push-template-recommended.json"), Decoding.JSON);
    assertRefused(e, 400, "invalid_field");
  }

  @Test
  void templateTestTypeMissingIsUnknown() throws Exception {
    ObjectNode root = fixtureTree("push-template-filled.json");
    root.remove("testTypeId");
    assertEquals("unknown", decode(root).run().testType());
    root.put("testTypeId", "");
    assertEquals("unknown", decode(root).run().testType());
  }

  @Test
  void flatHandWrittenTemplate() throws Exception {
    DecodedPush d = decode(FLAT);
    assertEquals("template-json", d.format());
    assertEquals(5L, d.run().testId());
    assertEquals(7L, d.run().nodeId());
    assertEquals("unknown", d.run().testType());
    assertEquals(1705320605L, d.run().timestampSeconds());
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("catchpoint.timing.dns", 20.0);
    expected.put("catchpoint.timing.document_complete", 900.0);
    expected.put("catchpoint.ping.packet_loss_pct", 1.5);
    expected.put("catchpoint.error.any", 0.0);
    expected.put("catchpoint.run", 1.0);
    assertEquals(expected, values(d));
    assertEquals(Map.of(), skips(d));
  }

  @ParameterizedTest
  @ValueSource(strings = {"timingdns", "TimingDns", "timing_dns", "Timing-DNS", "TIMINGDNS"})
  void flatFieldNamesIgnoreCaseAndSeparators(String field) throws Exception {
    ObjectNode root = tree(FLAT);
    root.remove("timingdns");
    root.put(field, "20");
    assertEquals(20.0, values(decode(root)).get("catchpoint.timing.dns"), field);
  }

  @ParameterizedTest
  @CsvSource({
      "timingtotal, catchpoint.timing.total",
      "timingcontentload, catchpoint.timing.content_load",
      "timingrenderstart, catchpoint.timing.render_start",
      "timingdomload, catchpoint.timing.dom_load",
      "timingwebpageresponse, catchpoint.timing.webpage_response",
      "pingroundtriptimeavg, catchpoint.ping.round_trip_time_avg",
      "errorcode, catchpoint.error.code",
      "errorloadobjects, catchpoint.error.load_objects",
      "byteresponsecontent, catchpoint.bytes.response_content",
      "counterrequests, catchpoint.count.requests",
      "counterfailedrequests, catchpoint.count.failed_requests",
      "scorespeedindex, catchpoint.score.speed_index"})
  void flatMacroNames(String field, String metric) throws Exception {
    ObjectNode root = tree(FLAT);
    root.put(field, "3");
    Map<String, Double> v = values(decode(root));
    assertEquals(3.0, v.get(metric), () -> field + " in " + v);
  }

  @Test
  void unreplacedMacrosAreSkippedAsEmpty() throws Exception {
    ObjectNode root = tree(FLAT);
    root.put("timingdns", "${timingdns}");
    root.put("timingtotal", " ${timingtotal} ");
    DecodedPush d = decode(root);
    Map<String, Double> v = values(d);
    assertFalse(v.containsKey("catchpoint.timing.dns"), v::toString);
    assertFalse(v.containsKey("catchpoint.timing.total"), v::toString);
    assertEquals(900.0, v.get("catchpoint.timing.document_complete"));
    assertEquals(Map.of("timingdns", SkipReason.EMPTY, "timingtotal", SkipReason.EMPTY), skips(d));
    for (SkippedField s : d.skipped()) {
      assertNotNull(s.detail(), "the detail names the macro");
    }
  }

  @Test
  void emptyValuesAreSkippedAsEmpty() throws Exception {
    ObjectNode root = tree(FLAT);
    root.put("timingdns", "");
    DecodedPush d = decode(root);
    assertFalse(values(d).containsKey("catchpoint.timing.dns"));
    assertEquals(Map.of("timingdns", SkipReason.EMPTY), skips(d));
  }

  @Test
  void badTemplateValues() throws Exception {
    ObjectNode root = tree(FLAT);
    root.put("timingdns", "NaN");
    root.put("timingtotal", "n/a");
    root.putNull("timingwait");
    DecodedPush d = decode(root);
    assertEquals(Map.of("timingdns", SkipReason.NOT_FINITE, "timingtotal", SkipReason.NOT_NUMERIC,
        "timingwait", SkipReason.NULL), skips(d));
    assertEquals(900.0, values(d).get("catchpoint.timing.document_complete"));
    assertEquals(1.0, values(d).get("catchpoint.run"));
  }

  @Test
  void templateWithJsonNumbersInsteadOfStrings() throws Exception {
    DecodedPush d = decode("{\"testId\":5,\"nodeId\":7,\"ts\":\"20240115121005120\",\"testTypeId\":6,"
        + "\"ping\":{\"lossPct\":0,\"rttAvg\":17.5},\"error\":{\"any\":false}}");
    assertEquals("ping", d.run().testType());
    assertEquals(Map.of("catchpoint.ping.packet_loss_pct", 0.0, "catchpoint.ping.round_trip_time_avg", 17.5,
        "catchpoint.error.any", 0.0, "catchpoint.run", 1.0), values(d));
  }

  @Test
  void identityAndTimeFieldsAreNotMeasurements() throws Exception {
    Map<String, Double> v = values(decodeFixture("push-template-filled.json"));
    for (String metric : v.keySet()) {
      assertFalse(metric.contains("timestamp") || metric.contains("epoch") || metric.contains("test_id")
          || metric.contains("node"), metric);
    }
    Map<String, Double> flat = values(decode(FLAT));
    assertFalse(flat.keySet().stream().anyMatch(m -> m.contains("stamp")), flat::toString);
  }

  @Test
  void nonAsciiTemplateTextSurvives() throws Exception {
    // nodeName "São Paulo, BR - Vivo" is text, not a measurement, and must not break decoding
    DecodedPush d = decodeFixture("push-template-filled.json");
    assertEquals(701L, d.run().nodeId());
  }
}

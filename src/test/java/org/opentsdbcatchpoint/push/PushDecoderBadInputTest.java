package org.opentsdbcatchpoint.push;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentsdbcatchpoint.push.Decoding.JSON;
import static org.opentsdbcatchpoint.push.Decoding.NOW;
import static org.opentsdbcatchpoint.push.Decoding.assertRefused;
import static org.opentsdbcatchpoint.push.Decoding.decode;
import static org.opentsdbcatchpoint.push.Decoding.decodeFixture;
import static org.opentsdbcatchpoint.push.Decoding.decoder;
import static org.opentsdbcatchpoint.push.Decoding.fixtureTree;
import static org.opentsdbcatchpoint.push.Decoding.gzip;
import static org.opentsdbcatchpoint.push.Decoding.refused;
import static org.opentsdbcatchpoint.push.Decoding.skips;
import static org.opentsdbcatchpoint.push.Decoding.utf8;
import static org.opentsdbcatchpoint.push.Decoding.values;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentsdbcatchpoint.Fixtures;
import org.opentsdbcatchpoint.pipeline.SkipReason;

/** Bodies that must be refused with a precise status and kind, and bad values that must be skipped. */
class PushDecoderBadInputTest {

  // ---------------------------------------------------------------- refused bodies

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\r\n\t  \n"})
  void emptyBody(String body) {
    assertRefused(refused(utf8(body), JSON), 400, "empty_body");
    assertRefused(refused(utf8(body), null), 400, "empty_body");
  }

  @Test
  void emptyGzipBody() {
    assertRefused(refused(gzip(new byte[0]), JSON), 400, "empty_body");
  }

  @Test
  void notJsonDeclaredAsJson() {
    PushException e = refused(utf8("not json"), JSON);
    assertRefused(e, 400, "invalid_json");
    assertTrue(e.where().matches("line 1, column \\d+"), e.where());
  }

  @Test
  void notJsonDeclaredAsJsonWithCharset() {
    assertRefused(refused(utf8("not json"), "Application/JSON; charset=utf-8"), 400, "invalid_json");
  }

  @Test
  void invalidJsonSaysWhereOnALaterLine() {
    PushException e = refused("{\n  \"TestId\": 1,\n  \"NodeId\": ?\n}");
    assertRefused(e, 400, "invalid_json");
    assertTrue(e.where().matches("line 3, column \\d+"), e.where());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[{\"TestId\":1}]", "42", "\"text\"", "true", "null"})
  void jsonThatIsNotAnObject(String body) {
    assertRefused(refused(body), 400, "not_catchpoint_payload");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"foo\":\"bar\"}", "{\"Summary\":1}"})
  void objectThatIsNotARun(String body) {
    assertRefused(refused(body), 400, "not_catchpoint_payload");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{",
      "{\"TestId\"",
      "{\"TestId\":",
      "{\"TestId\": 1,",
      "{\"TestId\": 1, \"Summary\": {",
      "{\"TestId\": 1, \"Summary\": {\"Timing\": [1, 2",
      "{\"TestId\": \"unterminated",
      "[",
      "[1,",
  })
  void truncatedJson(String body) {
    assertRefused(refused(body), 400, "invalid_json");
  }

  @Test
  void truncatedFixture() {
    byte[] full = Fixtures.bytes("push-web-default.json");
    for (int cut : new int[] {1, 10, full.length / 2, full.length - 2}) {
      byte[] part = Arrays.copyOf(full, cut);
      assertRefused(refused(part, JSON), 400, "invalid_json");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":1} x", "{\"a\":1}{\"b\":2}", "{\"a\":1}]"})
  void trailingContent(String body) {
    assertRefused(refused(body), 400, "invalid_json");
  }

  @Test
  void nestingOf32LevelsIsAllowed() {
    String body = "{\"a\":".repeat(31) + "{}" + "}".repeat(31);
    // 32 levels parse; the object is then simply not a run
    assertRefused(refused(body), 400, "not_catchpoint_payload");
    String arrays = "[".repeat(32) + "]".repeat(32);
    assertRefused(refused(arrays), 400, "not_catchpoint_payload");
  }

  @Test
  void nestingDeeperThan32IsRefused() {
    String body = "{\"a\":".repeat(32) + "{}" + "}".repeat(32);
    assertRefused(refused(body), 400, "too_deep");
    String arrays = "[".repeat(33) + "]".repeat(33);
    assertRefused(refused(arrays), 400, "too_deep");
  }

  @Test
  void deeplyNestedRunIsRefused() {
    ObjectNode root = fixtureTree("push-dns-v3.json");
    ObjectNode o = ((ObjectNode) root.path("Summary")).putObject("Deep");
    for (int i = 0; i < 40; i++) {
      o = o.putObject("x");
    }
    assertRefused(refused(root), 400, "too_deep");
  }

  @Test
  void hundredThousandOpenBracketsDoNotOverflowTheStack() {
    byte[] body = utf8("[".repeat(100_000));
    PushException e = assertDoesNotThrow(() -> refused(body, JSON));
    assertRefused(e, 400, "too_deep");
    byte[] objects = utf8("{\"a\":".repeat(4_000));
    assertRefused(assertDoesNotThrow(() -> refused(objects, JSON)), 400, "too_deep");
    // A hundred thousand of them are a hundred thousand fields: refused before any parsing.
    byte[] many = utf8("{\"a\":".repeat(100_000));
    assertRefused(assertDoesNotThrow(() -> refused(many, JSON)), 413, "too_many_fields");
  }

  @Test
  void bodyOverTheLimit() {
    PushDecoder small = new PushDecoder(DecodeOptions.defaults(), 1024, 3600);
    byte[] body = Fixtures.bytes("push-web-default.json");
    assertTrue(body.length > 1024);
    assertRefused(refused(small, body, JSON), 413, "body_too_large");
  }

  @Test
  void bodyExactlyAtTheLimitIsAccepted() throws Exception {
    byte[] body = Fixtures.bytes("push-dns-v3.json");
    PushDecoder exact = new PushDecoder(DecodeOptions.defaults(), body.length, 3600);
    assertEquals(100002L, exact.decode(body, JSON, NOW).run().testId());
    PushDecoder oneLess = new PushDecoder(DecodeOptions.defaults(), body.length - 1, 3600);
    assertRefused(refused(oneLess, body, JSON), 413, "body_too_large");
  }

  @Test
  void gzipBodyWithoutHeaderIsInflated() throws Exception {
    byte[] plain = Fixtures.bytes("push-web-default.json");
    DecodedPush fromGzip = decoder().decode(gzip(plain), JSON, NOW);
    assertEquals(values(decodeFixture("push-web-default.json")), values(fromGzip));
    assertEquals(1705320873L, fromGzip.run().timestampSeconds());
    // the sniffing does not depend on the content type either
    assertEquals(values(fromGzip), values(decoder().decode(gzip(plain), "application/octet-stream", NOW)));
    assertEquals(values(fromGzip), values(decoder().decode(gzip(plain), null, NOW)));
  }

  @Test
  void gzipBombOverTheLimit() {
    byte[] bomb = gzip(utf8("{\"a\":\"" + "a".repeat(10_000_000) + "\"}"));
    assertTrue(bomb.length < 64 * 1024, "compressed size " + bomb.length);
    PushDecoder decoder = new PushDecoder(DecodeOptions.defaults(), 64 * 1024, 3600);
    assertRefused(refused(decoder, bomb, JSON), 413, "body_too_large");
  }

  @Test
  void inflatedBodyJustOverTheLimit() {
    byte[] plain = Fixtures.bytes("push-web-default.json");
    byte[] gz = gzip(plain);
    PushDecoder decoder = new PushDecoder(DecodeOptions.defaults(), plain.length - 1, 3600);
    assertTrue(gz.length <= plain.length - 1);
    assertRefused(refused(decoder, gz, JSON), 413, "body_too_large");
  }

  @Test
  void corruptGzipIsABadRequest() {
    byte[] gz = gzip(Fixtures.bytes("push-web-default.json"));
    byte[] cut = Arrays.copyOf(gz, gz.length / 2);
    PushException e = refused(cut, JSON);
    assertEquals(400, e.status(), Decoding.describe(e));
  }

  @Test
  void binaryBodyWithAnImageContentType() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R'};
    PushException e = refused(png, "image/png");
    assertRefused(e, 415, "unsupported_media_type");
    assertEquals("Content-Type", e.where());
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"text/plain", "text/plain; charset=UTF-8", "application/octet-stream",
      "application/x-www-form-urlencoded", "*/*", "", "image/png"})
  void jsonBodyIsSniffedWhenTheTypeDoesNotSayJson(String contentType) throws Exception {
    DecodedPush d = decoder().decode(Fixtures.bytes("push-ping.json"), contentType, NOW);
    assertEquals(values(decodeFixture("push-ping.json")), values(d));
    assertEquals("default-json", d.format());
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"text/plain", "application/octet-stream"})
  void genericTypeWithABodyThatIsNeitherJsonNorXml(String contentType) {
    assertRefused(refused(utf8("hello"), contentType), 400, "not_json_or_xml");
  }

  @Test
  void missingTestId() {
    ObjectNode root = fixtureTree("push-web-default.json");
    root.remove("TestId");
    PushException e = refused(root);
    assertRefused(e, 400, "missing_field");
    assertEquals("TestId", e.where());
  }

  @Test
  void missingNodeId() {
    ObjectNode root = fixtureTree("push-web-default.json");
    root.remove("NodeId");
    PushException e = refused(root);
    assertRefused(e, 400, "missing_field");
    assertEquals("NodeId", e.where());
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "12x", "1.5", "-3", "0"})
  void invalidTestId(String id) {
    ObjectNode root = fixtureTree("push-web-default.json");
    root.put("TestId", id);
    PushException e = refused(root);
    assertRefused(e, 400, "invalid_field");
    assertEquals("TestId", e.where());
  }

  @Test
  void testIdThatIsAnObject() {
    ObjectNode root = fixtureTree("push-web-default.json");
    root.putObject("TestId").put("id", 1);
    assertRefused(refused(root), 400, "invalid_field");
  }

  @Test
  void missingRunTime() {
    ObjectNode root = fixtureTree("push-web-default.json");
    ((ObjectNode) root.path("Summary")).remove("Timestamp");
    root.remove("TestRuntime");
    // ReportWindow is still there, and is never a run time
    assertTrue(root.has("ReportWindow"));
    assertRefused(refused(root), 400, "missing_run_time");
  }

  @Test
  void missingRunTimeInAV3Payload() {
    ObjectNode root = fixtureTree("push-dns-v3.json");
    ((ObjectNode) root.path("Summary")).remove("Timestamp");
    assertRefused(refused(root), 400, "missing_run_time");
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "20241315121433012", "20240132121433012", "20240115251433012",
      "20240230120000000", "202401151214330123", "15/01/2024 12:14:33", "true"})
  void invalidRunTime(String ts) {
    ObjectNode root = fixtureTree("push-web-default.json");
    ((ObjectNode) root.path("Summary")).put("Timestamp", ts);
    PushException e = refused(root);
    assertRefused(e, 400, "invalid_run_time");
    assertEquals("Summary.Timestamp", e.where());
  }

  @Test
  void booleanRunTime() {
    ObjectNode root = fixtureTree("push-web-default.json");
    ((ObjectNode) root.path("Summary")).put("Timestamp", true);
    assertRefused(refused(root), 400, "invalid_run_time");
  }

  @Test
  void invalidTestRuntimeFallback() {
    ObjectNode root = fixtureTree("push-web-default.json");
    ((ObjectNode) root.path("Summary")).remove("Timestamp");
    root.put("TestRuntime", "soon");
    PushException e = refused(root);
    assertRefused(e, 400, "invalid_run_time");
    assertEquals("TestRuntime", e.where());
  }

  @Test
  void runTimeBefore2000() {
    ObjectNode root = fixtureTree("push-dns-v3.json");
    ((ObjectNode) root.path("Summary")).put("Timestamp", "19991231235959999");
    assertRefused(refused(root), 400, "run_time_out_of_range");
    ((ObjectNode) root.path("Summary")).put("Timestamp", "20000101000000000");
    assertEquals(946684800L, assertDoesNotThrow(() -> decode(root)).run().timestampSeconds());
  }

  @Test
  void runTimeTooFarInTheFuture() throws Exception {
    byte[] body = Fixtures.bytes("push-web-default.json");
    long t = 1705320873L;
    PushDecoder decoder = new PushDecoder(DecodeOptions.defaults(), 1 << 20, 600);
    assertEquals(t, decoder.decode(body, JSON, t - 600).run().timestampSeconds());
    PushException e = refusedAt(decoder, body, JSON, t - 601);
    assertRefused(e, 400, "run_time_out_of_range");
    assertEquals("run time", e.where());
  }

  private static PushException refusedAt(PushDecoder decoder, byte[] body, String type, long now) {
    return assertThrows(PushException.class, () -> decoder.decode(body, type, now));
  }

  // ---------------------------------------------------------------- skipped values

  /** One run with one bad value of every kind beside good ones. */
  private static final String MIXED = "{\"TestId\":7,\"NodeId\":540,\"TestDetail\":{\"TypeId\":0},"
      + "\"Summary\":{\"Timestamp\":\"20240115121433012\",\"Timing\":{"
      + "\"Total\":48,"
      + "\"Dns\":\"NaN\","
      + "\"Connect\":\"Infinity\","
      + "\"Ssl\":1e400,"
      + "\"Send\":\"abc\","
      + "\"Wait\":null,"
      + "\"Load\":\"12.5\","
      + "\"Client\":123456789012345678901234567890,"
      + "\"Wire\":\"-Infinity\","
      + "\"DomLoad\":-1e400,"
      + "\"RenderStart\":[1,2],"
      + "\"DocumentComplete\":\" 7 \""
      + "},\"Counter\":{\"Requests\":\"\"}}}";

  @Test
  void mixedPayloadKeepsItsGoodFields() throws Exception {
    DecodedPush d = decode(MIXED);
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("catchpoint.timing.total", 48.0);
    expected.put("catchpoint.timing.load", 12.5);
    expected.put("catchpoint.timing.client", 1.2345678901234568E29);
    expected.put("catchpoint.timing.document_complete", 7.0);
    expected.put("catchpoint.run", 1.0);
    assertEquals(expected, values(d));

    Map<String, String> skipped = new LinkedHashMap<>();
    skipped.put("Summary.Timing.Dns", SkipReason.NOT_FINITE);
    skipped.put("Summary.Timing.Connect", SkipReason.NOT_FINITE);
    skipped.put("Summary.Timing.Ssl", SkipReason.NOT_FINITE);
    skipped.put("Summary.Timing.Send", SkipReason.NOT_NUMERIC);
    skipped.put("Summary.Timing.Wait", SkipReason.NULL);
    skipped.put("Summary.Timing.Wire", SkipReason.NOT_FINITE);
    skipped.put("Summary.Timing.DomLoad", SkipReason.NOT_FINITE);
    skipped.put("Summary.Timing.RenderStart", SkipReason.NESTED_OBJECT);
    skipped.put("Summary.Counter.Requests", SkipReason.EMPTY);
    assertEquals(skipped, skips(d));
  }

  @Test
  void hugeIntegerIsAFiniteDouble() throws Exception {
    double v = values(decode(MIXED)).get("catchpoint.timing.client");
    assertTrue(Double.isFinite(v));
    assertEquals(1.2345678901234568E29, v, 1e14);
  }

  @Test
  void integerBeyondDoubleRangeIsNotFinite() throws Exception {
    String big = "9".repeat(400);
    DecodedPush d = decode("{\"TestId\":7,\"NodeId\":1,\"Summary\":{\"Timestamp\":\"20240115121433012\","
        + "\"Timing\":{\"Total\":" + big + ",\"Dns\":3}}}");
    assertEquals(Map.of("catchpoint.timing.dns", 3.0, "catchpoint.run", 1.0), values(d));
    assertEquals(Map.of("Summary.Timing.Total", SkipReason.NOT_FINITE), skips(d));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"NaN\"       | not_finite",
      "\"nan\"       | not_finite",
      "\"Infinity\"  | not_finite",
      "\"-Infinity\" | not_finite",
      "\"+Inf\"      | not_finite",
      "\"INF\"       | not_finite",
      "\"∞\"         | not_finite",
      "1e400         | not_finite",
      "\"1e400\"     | not_finite",
      "\"abc\"       | not_numeric",
      "\"banana\"    | not_numeric",
      "\"info\"      | not_numeric",
      "\"12 ms\"     | not_numeric",
      "\"1,5\"       | not_numeric",
      "\"0x1F\"      | not_numeric",
      "null          | null",
      "\"\"          | empty",
      "\"${timingdns}\" | empty",
      "{}            | nested_object",
      "[]            | nested_object"})
  void badValueIsSkippedWithItsReason(String json, String reason) throws Exception {
    DecodedPush d = decode("{\"TestId\":7,\"NodeId\":1,\"Summary\":{\"Timestamp\":\"20240115121433012\","
        + "\"Timing\":{\"Total\":5,\"Dns\":" + json + "}}}");
    assertEquals(Map.of("catchpoint.timing.total", 5.0, "catchpoint.run", 1.0), values(d));
    assertEquals(Map.of("Summary.Timing.Dns", reason), skips(d));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "12          | 12",
      "-3          | -3",
      "12.25       | 12.25",
      "\"12.25\"   | 12.25",
      "\" 4 \"     | 4",
      "\"+4\"      | 4",
      "\".5\"      | 0.5",
      "\"5.\"      | 5",
      "\"1e3\"     | 1000",
      "\"2.5E-1\"  | 0.25",
      "\"True\"    | 1",
      "\"False\"   | 0",
      "\"TRUE\"    | 1",
      "true        | 1",
      "false       | 0",
      "1.7976931348623157e308 | 1.7976931348623157e308"})
  void goodValueIsWritten(String json, double expected) throws Exception {
    DecodedPush d = decode("{\"TestId\":7,\"NodeId\":1,\"Summary\":{\"Timestamp\":\"20240115121433012\","
        + "\"Timing\":{\"Dns\":" + json + "}}}");
    assertEquals(Map.of("catchpoint.timing.dns", expected, "catchpoint.run", 1.0), values(d));
    assertEquals(Map.of(), skips(d));
  }

  @Test
  void badValuesDoNotMakeARunFail() throws Exception {
    assertEquals(1.0, values(decode(MIXED)).get("catchpoint.run"));
    assertFalse(values(decode(MIXED)).containsKey("catchpoint.error.any"));
  }

  /** Found by PushFuzzTest/AlertFuzzTest: Jackson 2.9's byte parser threw ArrayIndexOutOfBoundsException (a 500). */
  @Test
  void unicodeEscapeWithANonAsciiDigitIsInvalidJson() {
    byte[] inName = {'{', '"', 'T', '\\', 'u', '0', '0', (byte) 0xca, '0', '"', ':', '1', '}'};
    byte[] inValue = {'{', '"', 'T', 'e', 's', 't', 'I', 'd', '"', ':', '"', '\\', 'u', (byte) 0x96, '"', '}'};
    for (byte[] body : new byte[][] {inName, inValue}) {
      PushException e = refused(body, JSON);
      assertRefused(e, 400, "invalid_json");
      assertTrue(e.where().startsWith("line 1, column "), e.where());
    }
  }

  /** Reading found it, a regression input of PushXmlFuzzTest holds it: the decimal pattern backtracked quadratically. */
  @Test
  void aLongRunOfDigitsThatIsNoNumberIsNotNumeric() {
    StringBuilder digits = new StringBuilder();
    for (int i = 0; i < 40_000; i++) {
      digits.append('1');
    }
    assertEquals(SkipReason.NOT_NUMERIC, Values.parse(digits + "x").skipReason);
    assertEquals(41111.0, Values.parse("4" + digits.substring(0, 4)).value, 0.0);
  }
}

package org.opentsdbcatchpoint.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.push.PushException;

/** Every shape of alert body the decoder reads, and the bodies it refuses as a push would. */
class AlertDecoderTest {
  /** 2024-01-16T10:13:20Z. */
  static final long NOW = 1_705_400_000L;
  /** 2024-01-15T12:00:00Z. */
  static final long T = 1_705_320_000L;
  static final String JSON = "application/json";

  private final AlertDecoder decoder = new AlertDecoder(1 << 20, 200, 3600);

  private Alert decode(String body) throws PushException {
    return decoder.decode(body.getBytes(StandardCharsets.UTF_8), JSON, NOW);
  }

  private PushException refused(String body, String contentType) {
    return assertThrows(PushException.class,
        () -> decoder.decode(body.getBytes(StandardCharsets.UTF_8), contentType, NOW));
  }

  /** The shipped template with Catchpoint's macros filled in. */
  static String recommended(Map<String, String> macros) throws IOException {
    String t = new String(Files.readAllBytes(Paths.get("plugin-config", "catchpoint-alert-template.json")),
        StandardCharsets.UTF_8);
    for (Map.Entry<String, String> m : macros.entrySet()) {
      t = t.replace("${" + m.getKey() + "}", m.getValue());
    }
    return t;
  }

  static Map<String, String> macros(String level) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("testId", "100001");
    m.put("testName", "Homepage (prod)");
    m.put("testUrl", "https://example.com/");
    m.put("productName", "Web");
    m.put("clientId", "1234");
    m.put("nodeName", "Frankfurt, DE - AWS");
    m.put("nodeServerAddress", "192.0.2.10");
    m.put("notificationLevelId", level);
    m.put("alertTypeId", "7");
    m.put("alertCreateDateUtc", "1/15/2024 12:00:00 PM");
    m.put("AlertProcessingTimestampUtcEpoch", Long.toString(T + 5));
    return m;
  }

  @Test
  void theRecommendedTemplateFilledIn() throws Exception {
    Alert a = decode(recommended(macros("1")));
    assertEquals(100001, a.testId);
    assertEquals("Homepage (prod)", a.testName);
    assertNull(a.nodeId, "the template names the node, Catchpoint has no node id macro");
    assertEquals("Frankfurt, DE - AWS", a.nodeName);
    assertEquals(AlertLevel.CRITICAL, a.level);
    assertEquals(Integer.valueOf(7), a.alertTypeId);
    assertEquals("timing", a.alertType);
    assertEquals("Web", a.productName);
    assertEquals(Long.valueOf(1234), a.clientId);
    assertEquals(T + 5, a.timeSeconds, "the epoch field wins over the date");
    assertTrue(a.timeGiven);
    assertEquals("template-json", a.format);
    assertEquals(AlertLevel.WARNING, decode(recommended(macros("0"))).level);
    assertEquals(AlertLevel.IMPROVED, decode(recommended(macros("3"))).level);
  }

  @Test
  void anUnfilledEpochFallsBackToTheDate() throws Exception {
    Map<String, String> m = macros("0");
    m.remove("AlertProcessingTimestampUtcEpoch");
    Alert a = decode(recommended(m));
    assertEquals(T, a.timeSeconds, "M/d/yyyy h:mm:ss AM/PM read as UTC");
    m.put("alertCreateDateUtc", "2024-01-15T12:00:00");
    assertEquals(T, decode(recommended(m)).timeSeconds);
    m.put("alertCreateDateUtc", "2024-01-15 12:00:07");
    assertEquals(T + 7, decode(recommended(m)).timeSeconds);
  }

  @Test
  void integratorsShapesInAnyCaseAndSeparatorStyle() throws Exception {
    // Opsgenie / BigPanda style: PascalCase, the level as a word, the processing time as epoch.
    Alert pascal = decode("{\"TestId\":100002,\"TestName\":\"dns-probe\",\"AlertTypeId\":9,\"NotificationLevel\":"
        + "\"CRITICAL\",\"NodeName\":\"Jinan, CN - Unicom\",\"ProductName\":\"DNS\",\"ClientId\":\"77\","
        + "\"AlertProcessingTimestampUtcEpoch\":" + T + "}");
    assertEquals(100002, pascal.testId);
    assertEquals(AlertLevel.CRITICAL, pascal.level);
    assertEquals("test failure", pascal.alertType);
    assertEquals(T, pascal.timeSeconds);
    assertEquals("alert-json", pascal.format);
    // snake_case, OK for improved, a node id, the time as ISO with a zone.
    Alert snake = decode("{\"test_id\":\"100002\",\"notification_level\":\"OK\",\"node_id\":\"313\","
        + "\"alert_type\":\"Ping\",\"alert_create_date_utc\":\"2024-01-15T12:00:00Z\"}");
    assertEquals(AlertLevel.IMPROVED, snake.level);
    assertEquals(Long.valueOf(313), snake.nodeId);
    assertNull(snake.alertTypeId);
    assertEquals("Ping", snake.alertType, "a type given by name");
    assertEquals(T, snake.timeSeconds);
    // Nested objects, Catchpoint's own KB example field (eventstate), milliseconds.
    Alert nested = decode("{\"test\":{\"id\":100003,\"name\":\"api\"},\"node\":{\"name\":\"Sydney\"},"
        + "\"eventstate\":\"IMPROVED\",\"alert\":{\"typeId\":12},\"timestampEpoch\":" + (T * 1000) + "}");
    assertEquals(100003, nested.testId);
    assertEquals("api", nested.testName);
    assertEquals("Sydney", nested.nodeName);
    assertEquals(AlertLevel.IMPROVED, nested.level);
    assertEquals(T, nested.timeSeconds);
    assertEquals(AlertLevel.WARNING, decode("{\"testId\":1,\"notificationLevelId\":0}").level);
    assertEquals(AlertLevel.WARNING, decode("{\"testId\":1,\"NotificationLevel\":\"Warning\"}").level);
  }

  @Test
  void theDefaultXmlReadAsFieldsNamedLikeTheMacros() throws Exception {
    String xml = "<?xml version=\"1.0\"?><Alert><TestId>100001</TestId><TestName>Homepage (prod)</TestName>"
        + "<NotificationLevelId>0</NotificationLevelId><AlertTypeId>2</AlertTypeId>"
        + "<Node><Id>540</Id><Name>Frankfurt, DE - AWS</Name></Node>"
        + "<AlertCreateDateUtc>2024-01-15T12:00:00</AlertCreateDateUtc></Alert>";
    Alert a = decoder.decode(xml.getBytes(StandardCharsets.UTF_8), "application/xml", NOW);
    assertEquals(100001, a.testId);
    assertEquals(Long.valueOf(540), a.nodeId);
    assertEquals("Frankfurt, DE - AWS", a.nodeName);
    assertEquals(AlertLevel.WARNING, a.level);
    assertEquals("byte length", a.alertType);
    assertEquals(T, a.timeSeconds);
    assertEquals("alert-xml", a.format);
    Alert attributes = decoder.decode(("<Alert TestId=\"5\" NotificationLevel=\"CRITICAL\" AlertTypeId=\"13\">"
        + "<x/></Alert>").getBytes(StandardCharsets.UTF_8), null, NOW);
    assertEquals(5, attributes.testId);
    assertEquals("requests", attributes.alertType);
  }

  @Test
  void noTimeIsTheArrival() throws Exception {
    Alert a = decode("{\"testId\":1,\"notificationLevelId\":1,\"alertCreateDateUtc\":\"${alertCreateDateUtc}\"}");
    assertEquals(NOW, a.timeSeconds);
    assertFalse(a.timeGiven);
  }

  @Test
  void gzipIsUndoneAsForAPush() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write("{\"testId\":9,\"notificationLevelId\":3}".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(AlertLevel.IMPROVED, decoder.decode(out.toByteArray(), JSON, NOW).level);
  }

  @Test
  void badBodiesAreRefusedAsAPushIsWithWhatAndWhere() {
    assertKind(400, "empty_body", refused("  ", JSON));
    assertKind(400, "invalid_json", refused("{\"testId\":1,", JSON));
    assertKind(400, "not_json_or_xml", refused("testId=1", null));
    assertKind(415, "unsupported_media_type", refused("testId=1", "application/pdf"));
    assertKind(400, "not_catchpoint_alert", refused("[{\"testId\":1}]", JSON));
    assertKind(400, "not_catchpoint_alert", refused("{\"notificationLevelId\":1}", JSON));
    PushException badId = refused("{\"testId\":\"abc\",\"notificationLevelId\":1}", JSON);
    assertKind(400, "invalid_field", badId);
    assertEquals("testId", badId.where());
    assertKind(400, "missing_field", refused("{\"testId\":1}", JSON));
    PushException two = refused("{\"testId\":1,\"notificationLevelId\":2}", JSON);
    assertKind(400, "invalid_field", two);
    assertEquals("notificationLevelId", two.where());
    assertKind(400, "invalid_field", refused("{\"testId\":1,\"notificationLevelId\":1,\"nodeId\":\"x\"}", JSON));
    PushException time = refused("{\"testId\":1,\"notificationLevelId\":1,\"alertCreateDateUtc\":\"yesterday\"}",
        JSON);
    assertKind(400, "invalid_alert_time", time);
    assertEquals("alertCreateDateUtc", time.where());
    assertKind(400, "alert_time_out_of_range", refused("{\"testId\":1,\"notificationLevelId\":1,\"epoch\":"
        + (NOW + 7200) + "}", JSON));
    assertKind(400, "alert_time_out_of_range", refused("{\"testId\":1,\"notificationLevelId\":1,\"epoch\":5}",
        JSON));
    assertKind(400, "invalid_xml", refused("<Alert><TestId>1</Alert>", "text/xml"));
    assertKind(400, "invalid_xml", refused("<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a><b>&x;</b></a>",
        "application/xml"));
    StringBuilder many = new StringBuilder("{\"testId\":1,\"notificationLevelId\":1");
    for (int i = 0; i < 300; i++) {
      many.append(",\"f").append(i).append("\":1");
    }
    assertKind(413, "too_many_fields", refused(many.append('}').toString(), JSON));
    AlertDecoder small = new AlertDecoder(1024, 200, 3600);
    assertKind(413, "body_too_large", assertThrows(PushException.class,
        () -> small.decode(new byte[2048], JSON, NOW)));
  }

  private static void assertKind(int status, String kind, PushException e) {
    assertEquals(kind, e.kind(), e.getMessage());
    assertEquals(status, e.status(), e.getMessage());
    assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
  }
}

package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input against the real TSD: every case gets the right status and a JSON body saying what was
 * wrong; nothing crashes, and the TSD keeps serving good pushes afterwards.
 */
@Order(3)
class BadInputIT {

  /** One request: how to send it, and what must come back. */
  static final class Case {
    final String name;
    final String method;
    final String path;
    final String contentType;
    final byte[] body;
    final int status;
    final String kind;

    Case(String name, String method, String path, String contentType, byte[] body, int status, String kind) {
      this.name = name;
      this.method = method;
      this.path = path;
      this.contentType = contentType;
      this.body = body;
      this.status = status;
      this.kind = kind;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final String PUSH = "/plugin/catchpoint/push?token=" + Tsd.TOKEN;

  private static Case post(String name, String contentType, byte[] body, int status, String kind) {
    return new Case(name, "POST", PUSH, contentType, body, status, kind);
  }

  private static Case json(String name, String body, int status, String kind) {
    return post(name, "application/json", body.getBytes(StandardCharsets.UTF_8), status, kind);
  }

  /** The DNS fixture with one change applied. */
  private static String dns(Consumer<ObjectNode> change) {
    try {
      ObjectNode run = (ObjectNode) Tsd.JSON.readTree(Tsd.fixtureBytes("push-dns-v3.json"));
      change.accept(run);
      return Tsd.JSON.writeValueAsString(run);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode summary(ObjectNode run) {
    return (ObjectNode) run.path("Summary");
  }

  private static byte[] gzip(byte[] data) {
    try {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
        gz.write(data);
      }
      return buf.toByteArray();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Arguments> cases() throws Exception {
    String fixture = new String(Tsd.fixtureBytes("push-dns-v3.json"), StandardCharsets.UTF_8);
    byte[] tenMegabytes = new byte[10 * 1024 * 1024];
    Arrays.fill(tenMegabytes, (byte) ' ');
    tenMegabytes[0] = '{';
    tenMegabytes[tenMegabytes.length - 1] = '}';
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
    StringBuilder manyElements = new StringBuilder("<Run>");
    for (int i = 0; i < 6000; i++) {
      manyElements.append("<F").append(i).append(">1</F").append(i).append('>');
    }
    manyElements.append("</Run>");
    return Stream.of(
        json("empty body", "", 400, "empty_body"),
        json("whitespace only", "  \n\t ", 400, "empty_body"),
        json("not JSON", "hello world", 400, "invalid_json"),
        json("JSON array", "[" + fixture + "]", 400, "not_catchpoint_payload"),
        json("JSON string", "\"TestId\"", 400, "not_catchpoint_payload"),
        json("truncated JSON", fixture.substring(0, 120), 400, "invalid_json"),
        json("literal NaN is not JSON", fixture.replace("\"Total\": 48", "\"Total\": NaN"), 400, "invalid_json"),
        json("deep nesting", "[".repeat(50_000), 400, "too_deep"),
        json("deep object nesting", "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000), 400, "too_deep"),
        post("10 MB body", "application/json", tenMegabytes, 413, "body_too_large"),
        post("gzip bomb", "application/json", gzip(tenMegabytes), 413, "body_too_large"),
        post("broken gzip", "application/json", new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3}, 400, "invalid_gzip"),
        post("wrong content type, binary body", "image/png", png, 415, "unsupported_media_type"),
        post("generic content type, not JSON or XML", "text/plain", "key=value".getBytes(StandardCharsets.UTF_8),
            400, "not_json_or_xml"),
        post("invalid UTF-8", "application/json", new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'},
            400, "invalid_json"),
        post("malformed XML", "application/xml", "<Run><TestId>1</Run>".getBytes(StandardCharsets.UTF_8), 400,
            "invalid_xml"),
        post("XML external entity", "application/xml", ("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM "
            + "\"file:///etc/passwd\">]><r><TestId>&x;</TestId></r>").getBytes(StandardCharsets.UTF_8), 400,
            "invalid_xml"),
        json("missing run time", dns(r -> summary(r).remove("Timestamp")), 400, "missing_run_time"),
        json("garbage run time", dns(r -> summary(r).put("Timestamp", "yesterday")), 400, "invalid_run_time"),
        json("month 13", dns(r -> summary(r).put("Timestamp", "20241315120449609")), 400, "invalid_run_time"),
        json("run time far in the future", dns(r -> summary(r).put("Timestamp", "20990115120449609")), 400,
            "run_time_out_of_range"),
        json("run time before 2000", dns(r -> summary(r).put("Timestamp", "19990115120449609")), 400,
            "run_time_out_of_range"),
        json("missing TestId", dns(r -> r.remove("TestId")), 400, "missing_field"),
        json("TestId not a number", dns(r -> r.put("TestId", "abc")), 400, "invalid_field"),
        json("negative NodeId", dns(r -> r.put("NodeId", -5)), 400, "invalid_field"),
        json("not a Catchpoint payload", "{\"hello\":\"world\"}", 400, "not_catchpoint_payload"),
        json("fifty thousand fields", dns(r -> {
          ObjectNode t = (ObjectNode) summary(r).path("Timing");
          for (int i = 0; i < 50_000; i++) {
            t.put("K" + i, i);
          }
        }), 413, "too_many_fields"),
        post("six thousand XML elements", "application/xml", manyElements.toString().getBytes(StandardCharsets.UTF_8),
            413, "too_many_fields"),
        json("exporter template without a test id", "{\"TestDetails\":{\"NodeId\":\"540\"},\"Summary\":"
            + "{\"Timestamp\":\"20240115121205480\",\"TotalTime\":\"10\"}}", 400, "missing_field"),
        json("exporter template with a test id that is no number", "{\"TestDetails\":{\"TestId\":\"${testid}\","
            + "\"NodeId\":\"540\"},\"Summary\":{\"Timestamp\":\"20240115121205480\"}}", 400, "invalid_field"),
        new Case("missing token", "POST", "/plugin/catchpoint/push", "application/json",
            fixture.getBytes(StandardCharsets.UTF_8), 401, "missing_token"),
        new Case("wrong token", "POST", "/plugin/catchpoint/push?token=not-the-secret", "application/json",
            fixture.getBytes(StandardCharsets.UTF_8), 403, "wrong_token"),
        new Case("token in the wrong parameter", "POST", "/plugin/catchpoint/push?key=" + Tsd.TOKEN,
            "application/json", fixture.getBytes(StandardCharsets.UTF_8), 401, "missing_token"),
        new Case("GET on push", "GET", PUSH, null, null, 405, "method_not_allowed"),
        new Case("PUT on push", "PUT", PUSH, "application/json", fixture.getBytes(StandardCharsets.UTF_8), 405,
            "method_not_allowed"),
        new Case("unknown sub-path", "GET", "/plugin/catchpoint/nope", null, null, 404, "not_found"),
        new Case("path below the token", "POST", "/plugin/catchpoint/push/" + Tsd.TOKEN + "/extra",
            "application/json", fixture.getBytes(StandardCharsets.UTF_8), 404, "not_found"),
        // Bad values inside a good run cost only themselves.
        json("NaN and Infinity strings", dns(r -> {
          ObjectNode t = (ObjectNode) summary(r).path("Timing");
          t.put("Dns", "NaN");
          t.put("Connect", "-Infinity");
        }), 200, null),
        json("non-numeric string", dns(r -> ((ObjectNode) summary(r).path("Timing")).put("Dns", "12ms")), 200, null),
        json("huge numbers", dns(r -> ((ObjectNode) summary(r).path("Timing"))
            .put("Dns", new java.math.BigDecimal("1e400")).put("Connect", new java.math.BigInteger(
                "123456789012345678901234567890"))), 200, null),
        // A test id of its own: another test type for test 100002 would add a series PushFixturesIT reads.
        json("unknown TypeId", dns(r -> {
          r.put("TestId", 100099);
          ((ObjectNode) r.path("TestDetail")).put("TypeId", 99);
        }), 200, null),
        json("unicode and commas in the node name", dns(r -> r.put("NodeName", "Zürich, CH - Swisscom (AS3303), «Ω»")),
            200, null))
        .map(c -> Arguments.of(c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersWithTheRightStatusAndAJsonBody(Case c) throws Exception {
    HttpRequest.BodyPublisher body = c.body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(c.body);
    HttpRequest.Builder b = Tsd.request(c.path).method(c.method, body);
    if (c.contentType != null) {
      b.header("Content-Type", c.contentType);
    }
    Tsd.Answer a = Tsd.send(b.build());
    assertEquals(c.status, a.status, () -> c.name + ": " + a);
    assertNotNull(a.json, () -> c.name + ": the body must be JSON: " + a);
    assertTrue(a.raw.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), c.name);
    if (c.kind != null) {
      assertEquals(c.status, a.json.path("error").path("code").asInt(), () -> c.name + ": " + a);
      assertEquals(c.kind, a.json.path("error").path("kind").asText(), () -> c.name + ": " + a);
      assertFalse(a.json.path("error").path("message").asText().isEmpty(), () -> c.name + ": " + a);
    } else {
      assertTrue(a.json.path("written").asInt() > 0, () -> c.name + ": " + a);
    }
    if (c.status == 405) {
      assertEquals("POST", a.raw.headers().firstValue("Allow").orElse(""), c.name);
    }
    assertFalse(a.body.contains(Tsd.TOKEN), () -> c.name + ": the token must never be echoed");
  }

  @AfterAll
  static void theTsdStillServesGoodPushes() throws Exception {
    assertEquals(200, Tsd.get("/plugin/catchpoint/health").status);
    Tsd.Answer a = Tsd.push(Tsd.fixtureBytes("push-web-default.json"));
    assertEquals(200, a.status, a::toString);
    assertEquals(200, Tsd.get("/api/version").status);
  }
}

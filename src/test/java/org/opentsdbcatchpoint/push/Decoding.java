package org.opentsdbcatchpoint.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.opentsdbcatchpoint.Fixtures;
import org.opentsdbcatchpoint.pipeline.Measurement;
import org.opentsdbcatchpoint.pipeline.SkippedField;

/** Shared helpers of the push decoder tests. */
final class Decoding {
  /** 2024-01-16T10:13:20Z: after every fixture's run time. */
  static final long NOW = 1705400000L;
  static final int MAX_BODY = 1 << 20;
  static final long MAX_FUTURE = 3600;
  static final String JSON = "application/json";
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Decoding() {}

  static PushDecoder decoder() {
    return decoder(DecodeOptions.defaults());
  }

  static PushDecoder decoder(DecodeOptions options) {
    return new PushDecoder(options, MAX_BODY, MAX_FUTURE);
  }

  static DecodedPush decodeFixture(String name) throws PushException {
    return decoder().decode(Fixtures.bytes(name), JSON, NOW);
  }

  static DecodedPush decode(String body) throws PushException {
    return decoder().decode(utf8(body), JSON, NOW);
  }

  static DecodedPush decode(JsonNode body) throws PushException {
    return decoder().decode(bytes(body), JSON, NOW);
  }

  static PushException refused(PushDecoder decoder, byte[] body, String contentType) {
    return assertThrows(PushException.class, () -> decoder.decode(body, contentType, NOW));
  }

  static PushException refused(byte[] body, String contentType) {
    return refused(decoder(), body, contentType);
  }

  static PushException refused(String body) {
    return refused(utf8(body), JSON);
  }

  static PushException refused(JsonNode body) {
    return refused(bytes(body), JSON);
  }

  static void assertRefused(PushException e, int status, String kind) {
    assertEquals(status, e.status(), () -> "status of " + describe(e));
    assertEquals(kind, e.kind(), () -> "kind of " + describe(e));
  }

  static String describe(PushException e) {
    return e.status() + " " + e.kind() + " at " + e.where() + ": " + e.getMessage();
  }

  /** Measurements by {@code metric} or {@code metric{key=value}} for parts; fails on a duplicate. */
  static Map<String, Double> values(DecodedPush d) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (Measurement x : d.run().measurements()) {
      String key = x.tagKey() == null ? x.metric() : x.metric() + "{" + x.tagKey() + "=" + x.tagValue() + "}";
      Double previous = m.put(key, x.value());
      if (previous != null) {
        throw new AssertionError("measured twice: " + key + " in " + d.run());
      }
    }
    return m;
  }

  /** Skipped fields by where, the reason as value; fails on a duplicate. */
  static Map<String, String> skips(DecodedPush d) {
    Map<String, String> m = new LinkedHashMap<>();
    for (SkippedField s : d.skipped()) {
      String previous = m.put(s.field(), s.reason());
      if (previous != null) {
        throw new AssertionError("skipped twice: " + s.field() + " in " + d.skipped());
      }
    }
    return m;
  }

  static ObjectNode fixtureTree(String name) {
    try {
      return (ObjectNode) MAPPER.readTree(Fixtures.bytes(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode tree(String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(JsonNode n) {
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}

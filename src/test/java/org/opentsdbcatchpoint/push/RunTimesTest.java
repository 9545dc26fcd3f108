package org.opentsdbcatchpoint.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigInteger;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RunTimesTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** 2024-01-15T12:14:33Z */
  private static final long T = 1705320873L;

  @ParameterizedTest
  @CsvSource({
      "20240115121433012, 1705320873",
      "20240115121433999, 1705320873",
      "20240115121433000, 1705320873",
      "20240115121433, 1705320873",
      "' 20240115121433012 ', 1705320873",
      "20240115120449609, 1705320289",
      "20240115120512001, 1705320312",
      "20240115120702500, 1705320422",
      "20240115120501003, 1705320301",
      "20240115121005120, 1705320605",
      "20000101000000000, 946684800",
      "20240229235959999, 1709251199",
      "19700101000000000, 0",
      "2024-01-15T12:14:33Z, 1705320873",
      "2024-01-15T12:14:33.012Z, 1705320873",
      "2024-01-15T12:14:33.1234567Z, 1705320873",
      "2024-01-15t12:14:33z, 1705320873",
      "2024-01-15T12:14:33, 1705320873",
      "2024-01-15T12:14:33.999, 1705320873",
      "2024-01-15T13:14:33+01:00, 1705320873",
      "2024-01-15T07:14:33-05:00, 1705320873",
      "1705320873, 1705320873",
      "1705320873012, 1705320873",
      "1705320873999, 1705320873"})
  void parsesEveryFormAsUtc(String raw, long expected) throws Exception {
    assertEquals(expected, RunTimes.parse(raw, "t"));
    assertEquals(expected, RunTimes.parse(NODES.textNode(raw), "t"));
  }

  @Test
  void compactFormIsUtcWhateverTheDefaultTimeZone() throws Exception {
    TimeZone saved = TimeZone.getDefault();
    try {
      for (String zone : new String[] {"Asia/Tokyo", "America/Los_Angeles", "Australia/Sydney", "UTC"}) {
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        assertEquals(T, RunTimes.parse("20240115121433012", "t"), zone);
        assertEquals(T, RunTimes.parse("2024-01-15T12:14:33", "t"), zone);
      }
    } finally {
      TimeZone.setDefault(saved);
    }
  }

  @Test
  void numbersAreEpochSecondsOrMilliseconds() throws Exception {
    assertEquals(T, RunTimes.parse(NODES.numberNode(T), "t"));
    assertEquals(T, RunTimes.parse(NODES.numberNode(T * 1000 + 12), "t"));
    assertEquals(T, RunTimes.parse(NODES.numberNode(T + 0.9), "t"));
    assertEquals(T, RunTimes.parse(NODES.numberNode((int) T), "t"));
  }

  @Test
  void compactTimestampSentAsAJsonNumber() throws Exception {
    // A payload that sends Summary.Timestamp unquoted must still be read as yyyyMMddHHmmssSSS.
    assertEquals(T, RunTimes.parse(NODES.numberNode(20240115121433012L), "t"));
    assertEquals(T, RunTimes.parse(NODES.numberNode(20240115121433L), "t"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "20241315121433012", "20240132121433012", "20240115241433012",
      "20240115126033012", "20240115121460012", "20230229120000000", "20240115121433012345",
      "202401151214330", "2024-01-15", "2024-13-15T12:14:33Z", "2024-01-15T12:14:33+25:00", "15/01/2024",
      "-1705320873", "1705320873.5", "0x65A5", "${timestamp}"})
  void invalid(String raw) {
    PushException e = assertThrows(PushException.class, () -> RunTimes.parse(raw, "Summary.Timestamp"));
    assertEquals(400, e.status());
    assertEquals("invalid_run_time", e.kind(), e.getMessage());
    assertEquals("Summary.Timestamp", e.where());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void emptyIsMissing(String raw) {
    PushException e = assertThrows(PushException.class, () -> RunTimes.parse(raw, "ts"));
    assertEquals(400, e.status());
    assertEquals("missing_run_time", e.kind());
  }

  @Test
  void invalidNodes() {
    for (JsonNode n : new JsonNode[] {NODES.booleanNode(true), NODES.objectNode(), NODES.arrayNode(),
        NODES.numberNode(-5), NODES.nullNode()}) {
      PushException e = assertThrows(PushException.class, () -> RunTimes.parse(n, "t"), n::toString);
      assertEquals("invalid_run_time", e.kind(), n::toString);
    }
  }

  @Test
  void bigIntegerNode() {
    JsonNode huge = NODES.numberNode(new BigInteger("123456789012345678901234567890"));
    PushException e = assertThrows(PushException.class, () -> RunTimes.parse(huge, "t"));
    assertEquals("invalid_run_time", e.kind());
  }

  @Test
  void earliestIs2000() {
    assertEquals(946684800L, RunTimes.EARLIEST);
  }
}

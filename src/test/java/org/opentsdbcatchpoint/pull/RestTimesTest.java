package org.opentsdbcatchpoint.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The quick reading of plain UTC run times gives what java.time gives, and leaves the rest to it. */
class RestTimesTest {
  private static Long javaTime(String s) {
    try {
      return Instant.parse(s).getEpochSecond();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @Test
  void plainUtcTimesReadAsJavaTimeReadsThem() {
    Random r = new Random(7);
    String[] fractions = {"", ".0", ".123", ".0000000", ".1234567", ".123456789"};
    for (int i = 0; i < 20_000; i++) {
      long t = (long) (r.nextDouble() * 4_102_444_800L); // 1970 to 2100
      String iso = RestTimes.iso(t);
      String s = iso.substring(0, iso.length() - 1) + fractions[i % fractions.length] + "Z";
      assertEquals(t, RestTimes.utcSeconds(s), s);
      assertEquals(Long.valueOf(t), RestTimes.seconds(s), s);
      assertEquals(javaTime(s), RestTimes.seconds(s), s);
    }
  }

  @Test
  void anythingElseIsLeftToJavaTime() {
    String[] others = {"2024-02-30T12:00:00Z", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z",
        "2024-01-15T24:00:00Z", "2024-01-15T23:59:60Z", "2024-01-15T12:00:00.Z", "2024-01-15T12:00:00.1234567890Z",
        "2024-01-15T12:00:00z", "2024-01-15T12:00:00+01:00", "2024-01-15T12:00:00", "2024-01-15 12:00:00Z",
        "+12024-01-15T12:00:00Z", "2024-1-15T12:00:00Z", "2024-01-15T12:00:0xZ"};
    for (String s : others) {
      assertEquals(Long.MIN_VALUE, RestTimes.utcSeconds(s), s);
    }
    assertEquals(Long.valueOf(1709164800L), RestTimes.seconds("2024-02-29T00:00:00Z"));
    assertEquals(Long.valueOf(1705320000L - 3600), RestTimes.seconds("2024-01-15T12:00:00+01:00"));
    assertEquals(Long.valueOf(1705320000L), RestTimes.seconds("2024-01-15T12:00:00z"));
    assertEquals(Long.valueOf(1705320000L), RestTimes.seconds("2024-01-15T12:00:00"));
    assertNull(RestTimes.seconds("2024-02-30T12:00:00Z"));
    assertEquals(javaTime("2024-01-15T24:00:00Z"), RestTimes.seconds("2024-01-15T24:00:00Z"));
    assertEquals(javaTime("2024-01-15T23:59:60Z"), RestTimes.seconds("2024-01-15T23:59:60Z"));
  }
}

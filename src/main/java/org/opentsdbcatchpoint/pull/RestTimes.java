package org.opentsdbcatchpoint.pull;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** REST times: ISO-8601, UTC, up to 7 fractional digits; run times are whole epoch seconds. */
final class RestTimes {
  private RestTimes() {}

  /** Epoch seconds (fractions dropped, as push drops the milliseconds), or null when unreadable. */
  static Long seconds(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.trim();
    if (s.isEmpty()) {
      return null;
    }
    try {
      char last = s.charAt(s.length() - 1);
      if (last == 'Z' || last == 'z') {
        return Instant.parse(s.substring(0, s.length() - 1) + "Z").getEpochSecond();
      }
      if (s.length() > 19 && (s.charAt(s.length() - 6) == '+' || s.charAt(s.length() - 6) == '-')) {
        return OffsetDateTime.parse(s).toEpochSecond();
      }
      // No zone: Catchpoint's REST times are UTC.
      return LocalDateTime.parse(s).toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** {@code 2024-01-15T12:00:00Z}, the form both APIs take in queries. */
  static String iso(long epochSeconds) {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(epochSeconds));
  }
}

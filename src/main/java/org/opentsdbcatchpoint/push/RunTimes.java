package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Parses a run time in the forms Catchpoint uses, always as UTC, to epoch seconds:
 * {@code yyyyMMddHHmmssSSS} (push {@code Summary.Timestamp}), {@code yyyyMMddHHmmss}, ISO-8601 (REST),
 * and epoch seconds or milliseconds (the template's epoch macro).
 */
public final class RunTimes {
  /** 2000-01-01T00:00:00Z: anything earlier is a broken clock or a wrong field. */
  static final long EARLIEST = 946684800L;

  private RunTimes() {}

  /** Epoch seconds, or throws with a message that says what was expected. */
  public static long parse(JsonNode n, String where) throws PushException {
    if (n.isIntegralNumber()) {
      if (!n.canConvertToLong()) {
        throw invalid(where, n.asText());
      }
      long v = n.longValue();
      // A yyyyMMddHHmmss[SSS] timestamp sent as a JSON number reads as its digits.
      return v >= 0 ? parse(Long.toString(v), where) : epoch(v, where);
    }
    if (n.isNumber()) {
      return epoch((long) Math.floor(n.doubleValue()), where);
    }
    if (!n.isTextual()) {
      throw invalid(where, n.toString());
    }
    return parse(n.textValue(), where);
  }

  public static long parse(String raw, String where) throws PushException {
    String s = raw.trim();
    if (s.isEmpty()) {
      throw PushException.badRequest("missing_run_time", "the run time is empty", where);
    }
    if (isDigits(s)) {
      if (s.length() == 17 || s.length() == 14) {
        return compact(s, where);
      }
      if (s.length() <= 13) {
        return epoch(Long.parseLong(s), where);
      }
      throw invalid(where, s);
    }
    try {
      if (s.endsWith("Z") || s.endsWith("z")) {
        return Instant.parse(s.toUpperCase(java.util.Locale.ROOT)).getEpochSecond();
      }
      if (s.length() > 19 && (s.charAt(s.length() - 6) == '+' || s.charAt(s.length() - 6) == '-')) {
        return OffsetDateTime.parse(s).toEpochSecond();
      }
      // ISO-8601 without a zone: Catchpoint's REST times are UTC.
      return LocalDateTime.parse(s).toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw invalid(where, s);
    }
  }

  /**
   * Refuses a time no Catchpoint sender means: before 2000, or more than {@code maxFutureSeconds} after
   * {@code nowSeconds} (a wrong clock or time zone).
   *
   * @param what {@code run} or {@code alert}: the error's kind ({@code run_time_out_of_range}) and words
   */
  public static void checkRange(long t, long nowSeconds, long maxFutureSeconds, String what) throws PushException {
    if (t < EARLIEST) {
      throw PushException.badRequest(what + "_time_out_of_range",
          "the " + what + " time " + t + " is before 2000-01-01: not a Catchpoint " + what + " time", what + " time");
    }
    if (t > nowSeconds + maxFutureSeconds) {
      throw PushException.badRequest(what + "_time_out_of_range", "the " + what + " time " + t + " is more than "
          + maxFutureSeconds + " s in the future (is the sender's clock or time zone wrong?)", what + " time");
    }
  }

  private static long compact(String s, String where) throws PushException {
    try {
      LocalDateTime t = LocalDateTime.of(
          Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(4, 6)),
          Integer.parseInt(s.substring(6, 8)), Integer.parseInt(s.substring(8, 10)),
          Integer.parseInt(s.substring(10, 12)), Integer.parseInt(s.substring(12, 14)));
      return t.toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      throw invalid(where, s);
    }
  }

  /** Epoch seconds, or milliseconds when the number is too large to be seconds. */
  private static long epoch(long v, String where) throws PushException {
    if (v > 100_000_000_000L) {
      return v / 1000;
    }
    if (v < 0) {
      throw invalid(where, Long.toString(v));
    }
    return v;
  }

  private static boolean isDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static PushException invalid(String where, String value) {
    return PushException.badRequest("invalid_run_time", "the run time \"" + Values.abbreviate(value)
        + "\" is not yyyyMMddHHmmssSSS (UTC), ISO-8601 or epoch seconds", where);
  }
}

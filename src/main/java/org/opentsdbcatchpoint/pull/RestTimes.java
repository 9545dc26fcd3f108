package org.opentsdbcatchpoint.pull;

import java.time.Instant;
import java.time.LocalDate;
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
    long fast = utcSeconds(s);
    if (fast != NOT_PLAIN) {
      return fast;
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

  private static final long NOT_PLAIN = Long.MIN_VALUE;

  /**
   * The common form of every row's run time, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, read without
   * java.time's parser (which was a fifth of the time of reading a raw answer). Anything else (another
   * zone, no zone, a leap second, a day the month does not have) is {@link #NOT_PLAIN}: the general
   * path decides.
   */
  static long utcSeconds(String s) {
    int n = s.length();
    if (n < 20 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return NOT_PLAIN;
    }
    if (n > 20) {
      // A fraction of 1 to 9 digits, dropped.
      if (s.charAt(19) != '.' || n - 21 < 1 || n - 21 > 9) {
        return NOT_PLAIN;
      }
      for (int i = 20; i < n - 1; i++) {
        if (digit(s, i) < 0) {
          return NOT_PLAIN;
        }
      }
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || (day > 28 && day > lengthOfMonth(year, month))
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return NOT_PLAIN;
    }
    return LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second;
  }

  private static int lengthOfMonth(int year, int month) {
    return java.time.YearMonth.of(year, month).lengthOfMonth();
  }

  /** The number of {@code count} decimal digits at {@code from}; -1 when one is not a digit. */
  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      int d = digit(s, i);
      if (d < 0) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static int digit(String s, int i) {
    char c = s.charAt(i);
    return c >= '0' && c <= '9' ? c - '0' : -1;
  }

  /** {@code 2024-01-15T12:00:00Z}, the form both APIs take in queries. */
  static String iso(long epochSeconds) {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(epochSeconds));
  }
}

package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;
import org.opentsdbcatchpoint.pipeline.SkipReason;

/**
 * Reads a measurement value the way Catchpoint sends it: a JSON number, or (templates, XML) a string
 * holding a number, {@code True}/{@code False}, or nothing at all.
 */
final class Values {
  /**
   * Possessive, so a long run of digits that is no number ({@code 111...1x}) fails in one pass: with
   * backtracking it took time quadratic in its length (40,000 digits: 20 s; a body holds a megabyte).
   */
  private static final Pattern DECIMAL = Pattern.compile("[-+]?+(\\d++\\.?+\\d*+|\\.\\d++)([eE][-+]?+\\d++)?+");
  /** The spellings of NaN and infinity (Java, .NET, JavaScript); other words are simply not numeric. */
  private static final Pattern NON_FINITE = Pattern.compile("[-+]?(nan|inf|infinity|\u221e)", Pattern.CASE_INSENSITIVE);
  /** Compiled once: {@code String.matches} compiles its pattern on every call, a tenth of a template run's garbage. */
  private static final Pattern WHOLE = Pattern.compile("[-+]?\\d{1,18}");

  private Values() {}

  /** The value, or why there is none. */
  static final class Parsed {
    final double value;
    final String skipReason;
    final String detail;

    private Parsed(double value, String skipReason, String detail) {
      this.value = value;
      this.skipReason = skipReason;
      this.detail = detail;
    }

    boolean ok() {
      return skipReason == null;
    }
  }

  static Parsed of(double v) {
    return new Parsed(v, null, null);
  }

  static Parsed skip(String reason, String detail) {
    return new Parsed(0, reason, detail);
  }

  static Parsed read(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return skip(SkipReason.NULL, null);
    }
    if (n.isNumber()) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? of(d) : skip(SkipReason.NOT_FINITE, n.asText());
    }
    if (n.isBoolean()) {
      return of(n.booleanValue() ? 1 : 0);
    }
    if (n.isTextual()) {
      return parse(n.textValue());
    }
    if (n.isContainerNode()) {
      return skip(SkipReason.NESTED_OBJECT, n.isArray() ? "an array" : "an object");
    }
    return skip(SkipReason.NOT_NUMERIC, null);
  }

  static Parsed parse(String raw) {
    String s = raw.trim();
    if (s.isEmpty()) {
      return skip(SkipReason.EMPTY, null);
    }
    if (s.startsWith("${") && s.endsWith("}")) {
      return skip(SkipReason.EMPTY, "macro " + s + " was not replaced by Catchpoint");
    }
    if (s.equalsIgnoreCase("true")) {
      return of(1);
    }
    if (s.equalsIgnoreCase("false")) {
      return of(0);
    }
    if (!DECIMAL.matcher(s).matches()) {
      if (NON_FINITE.matcher(s).matches()) {
        return skip(SkipReason.NOT_FINITE, abbreviate(s));
      }
      return skip(SkipReason.NOT_NUMERIC, abbreviate(s));
    }
    double d = Double.parseDouble(s);
    return Double.isFinite(d) ? of(d) : skip(SkipReason.NOT_FINITE, abbreviate(s));
  }

  /** A whole number identity field (test id, node id); null when absent or not a whole number. */
  static Long wholeNumber(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return null;
    }
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return n.longValue();
    }
    if (n.isNumber()) {
      double d = n.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? (long) d : null;
    }
    if (n.isTextual()) {
      String s = n.textValue().trim();
      if (WHOLE.matcher(s).matches()) {
        return Long.parseLong(s);
      }
    }
    return null;
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}

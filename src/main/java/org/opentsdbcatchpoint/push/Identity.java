package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reading the identity fields of a webhook body (a run's test and node, an alert's test), which must be
 * there for the body to be usable at all.
 */
public final class Identity {
  private Identity() {}

  public static boolean present(JsonNode n) {
    return n != null && !n.isMissingNode() && !n.isNull()
        && !(n.isTextual() && n.textValue().trim().isEmpty());
  }

  static long require(JsonNode root, String field) throws PushException {
    return require(root.path(field), field, field);
  }

  public static long require(JsonNode n, String field, String where) throws PushException {
    if (!present(n)) {
      throw PushException.badRequest("missing_field", "the payload has no " + field, where);
    }
    Long v = Values.wholeNumber(n);
    if (v == null || v <= 0) {
      throw PushException.badRequest("invalid_field",
          field + " must be a positive whole number, got " + Values.abbreviate(n.toString()), where);
    }
    return v;
  }

  /** A name field's text (bounded, a macro left unreplaced is no name), or null. */
  public static String text(JsonNode n) {
    if (n == null || !n.isTextual()) {
      return null;
    }
    String s = n.textValue().trim();
    if (s.isEmpty() || s.startsWith("${")) {
      return null;
    }
    return s.length() > MAX_NAME ? s.substring(0, MAX_NAME) : s;
  }

  /** Longer names are cut: a name is shown, never a key, and a body must not make it unbounded. */
  public static final int MAX_NAME = 200;

  public static Integer optionalInt(JsonNode n) {
    Long v = Values.wholeNumber(n);
    return v != null && v >= 0 && v < Integer.MAX_VALUE ? Integer.valueOf(v.intValue()) : null;
  }

  /** A whole number (a JSON number, or text holding one), or null. */
  public static Long wholeNumber(JsonNode n) {
    return Values.wholeNumber(n);
  }
}

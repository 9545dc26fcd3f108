package org.opentsdbcatchpoint.push;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading a run's identity fields, which must be there for a push to be usable at all. */
final class Identity {
  private Identity() {}

  static boolean present(JsonNode n) {
    return n != null && !n.isMissingNode() && !n.isNull()
        && !(n.isTextual() && n.textValue().trim().isEmpty());
  }

  static long require(JsonNode root, String field) throws PushException {
    return require(root.path(field), field, field);
  }

  static long require(JsonNode n, String field, String where) throws PushException {
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

  static Integer optionalInt(JsonNode n) {
    Long v = Values.wholeNumber(n);
    return v != null && v >= 0 && v < Integer.MAX_VALUE ? Integer.valueOf(v.intValue()) : null;
  }
}

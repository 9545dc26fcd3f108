package org.opentsdbcatchpoint.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.opentsdbcatchpoint.web.Json;
import org.opentsdbcatchpoint.web.JsonGuard;
import org.opentsdbcatchpoint.web.Request;

/** Reading what Grafana sends the bridge (bodies, fields, times, lists of values), and refusing what it cannot read. */
final class Requests {
  private Requests() {}

  /** A request the bridge cannot serve: answered with its status and a JSON error. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String kind;
    final String where;

    Refused(int status, String kind, String message, String where) {
      super(message, null, false, false);
      this.status = status;
      this.kind = kind;
      this.where = where;
    }
  }

  static Refused badRequest(String kind, String message, String where) {
    return new Refused(400, kind, message, where);
  }

  /** Epoch seconds of a time as Grafana sends {@code range.from} and {@code range.to}: ISO-8601 (or epoch ms). */
  static long instant(JsonNode n, String where) {
    if (n.isNumber()) {
      return n.asLong() / 1000;
    }
    if (!n.isTextual()) {
      throw badRequest("missing_field", "the request has no " + where + " (ISO-8601, as Grafana sends it)", where);
    }
    try {
      return Instant.parse(n.asText()).getEpochSecond();
    } catch (DateTimeParseException e) {
      throw badRequest("invalid_range", where + " is not an ISO-8601 time: " + n.asText(), where);
    }
  }

  /**
   * A value or a list of values, as Grafana sends a variable's values: a JSON array (the raw JSON
   * editor), {@code (a|b)} with regex escapes (the builder, which formats variables as regex), or
   * {@code {a,b}}. A single value is never split at commas: node names have them.
   */
  static List<String> list(JsonNode n, String fallback) {
    List<String> out = new ArrayList<>();
    if (n.isArray()) {
      n.forEach(v -> out.addAll(list(v, null)));
    } else if (n.isTextual() || n.isNumber()) {
      String s = n.asText().trim();
      List<String> parts;
      if (s.length() > 1 && s.startsWith("{") && s.endsWith("}")) {
        parts = Arrays.asList(s.substring(1, s.length() - 1).split(","));
      } else if (s.length() > 1 && s.startsWith("(") && s.endsWith(")") && s.contains("|")) {
        parts = Arrays.asList(s.substring(1, s.length() - 1).split("(?<!\\\\)\\|"));
      } else {
        parts = Collections.singletonList(s);
      }
      for (String part : parts) {
        String v = part.replaceAll("\\\\(.)", "$1").trim();
        if (!v.isEmpty()) {
          out.add(v);
        }
      }
    }
    if (out.isEmpty() && fallback != null) {
      out.add(fallback);
    }
    return out;
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.path(field);
    return v == null || v.isMissingNode() || v.isNull() ? null : v.asText();
  }

  /** Deeper than any request Grafana sends (a handful of levels), far below what overflows a Netty thread's stack. */
  static final int MAX_DEPTH = 64;

  static JsonNode body(Request request) {
    byte[] b = request.body();
    if (request.bodyCut()) {
      throw new Refused(413, "body_too_large", "the body (" + request.bodySize() + " bytes) is larger than "
          + "push.max_body_bytes (" + (b.length - 1) + " bytes), the largest body the plugin takes", "body");
    }
    if (b.length == 0) {
      return JsonNodeFactory.instance.objectNode();
    }
    // Jackson builds trees recursively with no depth limit: 100,000 brackets would end in a StackOverflowError.
    if (depth(b, MAX_DEPTH) > MAX_DEPTH) {
      throw badRequest("too_deep", "the JSON is nested deeper than " + MAX_DEPTH + " levels", "body");
    }
    try {
      JsonNode n = JsonGuard.readTree(Json.MAPPER, b);
      if (n == null || !n.isObject()) {
        throw badRequest("invalid_json", "the body must be a JSON object", "body");
      }
      return n;
    } catch (IOException e) {
      throw badRequest("invalid_json", "the body is not valid JSON: " + e.getMessage().split("\n")[0], "body");
    }
  }

  /** The deepest nesting of brackets and braces outside strings, counting up to {@code stopAfter + 1}. */
  static int depth(byte[] json, int stopAfter) {
    int depth = 0;
    int deepest = 0;
    boolean inString = false;
    for (int i = 0; i < json.length; i++) {
      byte c = json[i];
      if (inString) {
        if (c == '\\') {
          i++; // the escaped byte cannot end the string
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '[' || c == '{') {
        if (++depth > deepest) {
          deepest = depth;
          if (deepest > stopAfter) {
            return deepest;
          }
        }
      } else if (c == ']' || c == '}') {
        depth--;
      }
    }
    return deepest;
  }
}

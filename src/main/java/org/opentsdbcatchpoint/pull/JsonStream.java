package org.opentsdbcatchpoint.pull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Small helpers over Jackson's streaming parser: REST answers are read token by token, never as one
 * tree, so memory stays flat however large an answer is.
 */
final class JsonStream {
  /** Its factory makes parsers that can also read one small object as a tree (a node of a node list). */
  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonStream() {}

  static PullException notCatchpoint(String what) {
    return new PullException(PullException.Kind.API_ERROR, 200, "not a Catchpoint answer: " + what, null);
  }

  /** A whole number from a number or a numeric string at the current token; null otherwise (skipped). */
  static Long wholeNumber(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = p.getDoubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? (long) d : null;
    }
    if (t == JsonToken.VALUE_STRING) {
      String s = p.getText().trim();
      return s.matches("[-+]?\\d{1,18}") ? Long.parseLong(s) : null;
    }
    p.skipChildren();
    return null;
  }

  /** A number from a number or a numeric string; null for null, text, objects (skipped). */
  static Double number(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDoubleValue();
    }
    if (t == JsonToken.VALUE_STRING) {
      String s = p.getText().trim();
      try {
        return s.isEmpty() ? null : Double.valueOf(s);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    p.skipChildren();
    return null;
  }

  /** Text of a scalar; null for null and containers (skipped). */
  static String text(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT
        || t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }

  /** The {@code id} of an {@code {id, name}} object, or a bare id. */
  static Long id(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      return wholeNumber(p, t);
    }
    Long id = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.getCurrentName();
      JsonToken v = p.nextToken();
      if ("id".equals(f)) {
        id = wholeNumber(p, v);
      } else {
        p.skipChildren();
      }
    }
    return id;
  }

  /** An {@code {id, name}} object (or a bare id): both, either may be null. */
  static final class IdName {
    Long id;
    String name;
  }

  static IdName idName(JsonParser p, JsonToken t) throws IOException {
    IdName out = new IdName();
    if (t != JsonToken.START_OBJECT) {
      out.id = wholeNumber(p, t);
      return out;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.getCurrentName();
      JsonToken v = p.nextToken();
      if ("id".equals(f)) {
        out.id = wholeNumber(p, v);
      } else if ("name".equals(f)) {
        out.name = text(p, v);
      } else {
        p.skipChildren();
      }
    }
    return out;
  }

  /** The {@code name} of an {@code {id, name}} object, or a bare string. */
  static String name(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      return text(p, t);
    }
    String name = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.getCurrentName();
      JsonToken v = p.nextToken();
      if ("name".equals(f)) {
        name = text(p, v);
      } else {
        p.skipChildren();
      }
    }
    return name;
  }

  /** An array of numbers (nulls kept as null) at the current START_ARRAY. */
  static List<Double> numbers(JsonParser p, JsonToken t) throws IOException {
    List<Double> values = new ArrayList<>();
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return values;
    }
    JsonToken v;
    while ((v = p.nextToken()) != JsonToken.END_ARRAY && v != null) {
      values.add(number(p, v));
    }
    return values;
  }

  /** A step or hop number: a number, a numeric string, or the digits of a name such as "Step 2". */
  static Integer smallNumber(String text) {
    if (text == null) {
      return null;
    }
    String digits = text.replaceAll("\\D+", "");
    if (digits.isEmpty() || digits.length() > 9) {
      return null;
    }
    return Integer.valueOf(digits);
  }
}

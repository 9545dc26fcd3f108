package org.opentsdbcatchpoint.sink;

import java.util.Map;
import org.opentsdbcatchpoint.mapping.Vocabulary;

/** The little JSON the HTTP targets take, written by hand (cheaper than a tree, and no object per point). */
final class JsonText {
  private JsonText() {}

  /** A JSON string: quotes, backslashes and control characters escaped; everything else as it is. */
  static StringBuilder string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        default:
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    return b.append('"');
  }

  /**
   * The tags as a JSON object, those with an empty key or value left out (neither KairosDB nor OpenTSDB
   * takes them); null when none is left (both need at least one tag).
   */
  static String tags(Map<String, String> tags) {
    StringBuilder b = new StringBuilder(24 * tags.size() + 2).append('{');
    for (Map.Entry<String, String> t : tags.entrySet()) {
      if (t.getKey().isEmpty() || t.getValue().isEmpty()) {
        continue;
      }
      if (b.length() > 1) {
        b.append(',');
      }
      string(b, t.getKey()).append(':');
      string(b, t.getValue());
    }
    return b.length() == 1 ? null : b.append('}').toString();
  }

  /**
   * A value as the plugin stores it in its own TSD ({@link Vocabulary#encodingOf}): a whole number of an
   * integer metric without a decimal point, every other value with one ({@code 12.0}, {@code 0.25}), so
   * that a target that reads the type from the text (KairosDB: long or double; OpenTSDB: integer or
   * float) keeps each metric to one kind. Never an exponent. Finite values only.
   */
  static String value(String metric, double v) {
    String plain = Numbers.plain(v);
    boolean whole = plain.indexOf('.') < 0;
    if (whole && Vocabulary.encodingOf(metric) != Vocabulary.Encoding.INTEGER) {
      return plain + ".0";
    }
    return plain;
  }
}

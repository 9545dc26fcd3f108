package org.opentsdbcatchpoint.synthetic;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * How the fake Catchpoint and the benchmark write synthetic runs into raw answers, in the shapes of
 * shared/catchpoint/PROTOCOL.md: v1 {@code /performance/raw} ({@code {start, end, timezone, detail: {fields,
 * items}}}) and v2 {@code /tests/explorer/raw} ({@code {data: {responseItems: [{..., metrics, items}]}, ...}}).
 * Each method appends one piece; the caller puts the pieces and the items' commas together, as it streams.
 */
public final class RawAnswerJson {
  public static final DateTimeFormatter SECONDS_Z =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  public static final DateTimeFormatter MILLIS_Z =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  /** v2 times have seven fractional digits. */
  public static final DateTimeFormatter V2_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'.0000000Z'").withZone(ZoneOffset.UTC);
  /** What ends a v1 answer with a detail, after its last item. */
  public static final String V1_END = "]}}";
  /** What ends a v2 response item, after its last item. */
  public static final String V2_RESPONSE_ITEM_END = "]}";

  private RawAnswerJson() {}

  /**
   * A v1 answer up to and with {@code "detail":}; then {@code null} and its closing brace (no data), or
   * {@link #v1Columns}.
   */
  public static void v1Start(StringBuilder b, long start, long end) {
    b.append("{\"start\":\"").append(MILLIS_Z.format(Instant.ofEpochSecond(start))).append("\",\"end\":\"")
        .append(MILLIS_Z.format(Instant.ofEpochSecond(end)))
        .append("\",\"timezone\":{\"id\":0,\"name\":\"UTC\"},\"detail\":");
  }

  /** A v1 detail's columns, up to and with the opening of its items. */
  public static void v1Columns(StringBuilder b, List<String> columns) {
    b.append("{\"fields\":{\"synthetic_metrics\":[");
    for (int i = 0; i < columns.size(); i++) {
      b.append(i > 0 ? "," : "").append("{\"name\":").append(quote(columns.get(i))).append('}');
    }
    b.append("]},\"items\":[");
  }

  /** One v1 item; {@code hop} 0 for a run that is not a traceroute hop. */
  public static void v1Item(StringBuilder b, long test, long node, String nodeName, long time, int hop,
      Double[] values) {
    b.append("{\"breakdown_1\":{\"id\":").append(test).append(",\"name\":\"Test ").append(test)
        .append("\"},\"breakdown_2\":{\"id\":").append(node).append(",\"name\":").append(quote(nodeName))
        .append("},\"dimension\":{\"id\":0,\"name\":\"").append(SECONDS_Z.format(Instant.ofEpochSecond(time)))
        .append("\"},\"host_Ip\":\"203.0.113.10\"");
    if (hop > 0) {
      b.append(",\"hop_number\":").append(hop);
    }
    b.append(",\"synthetic_metrics\":");
    numbers(b, values);
    b.append('}');
  }

  /** The opening of a v2 answer, before its response items. */
  public static void v2Start(StringBuilder b) {
    b.append("{\"data\":{\"responseItems\":[");
  }

  /**
   * A v2 response item of one test type, up to and with the opening of its items.
   *
   * @param traceroute true: its items have a HopNumber dimension
   */
  public static void v2ResponseItem(StringBuilder b, long start, long end, boolean hasMoreRecords,
      boolean traceroute, List<String> columns) {
    b.append("{\"startTimeUtc\":\"").append(SECONDS_Z.format(Instant.ofEpochSecond(start)))
        .append("\",\"endTimeUtc\":\"").append(SECONDS_Z.format(Instant.ofEpochSecond(end)))
        .append("\",\"timeZoneOffSet\":\"00:00:00\",\"hasMoreRecords\":").append(hasMoreRecords)
        .append(",\"dimensions\":[{\"id\":16,\"name\":\"Test\"},{\"id\":1,\"name\":\"Node\"}")
        .append(traceroute ? ",{\"id\":90,\"name\":\"HopNumber\"}" : "").append("],\"metrics\":[");
    for (int i = 0; i < columns.size(); i++) {
      b.append(i > 0 ? "," : "").append("{\"index\":").append(i).append(",\"name\":").append(quote(columns.get(i)))
          .append('}');
    }
    b.append("],\"items\":[");
  }

  /** One v2 item; {@code hop} 0 for a run that is not a traceroute hop. */
  public static void v2Item(StringBuilder b, long test, long node, String nodeName, long time, int hop,
      Double[] values) {
    long reportDate = Math.floorDiv(time, 900) * 900;
    b.append("{\"dateTime\":\"").append(V2_TIME.format(Instant.ofEpochSecond(time))).append("\",\"reportDate\":\"")
        .append(SECONDS_Z.format(Instant.ofEpochSecond(reportDate))).append("\",\"values\":");
    numbers(b, values);
    b.append(",\"dimensions\":[{\"type\":{\"id\":16,\"name\":\"Test\"},\"id\":").append(test)
        .append(",\"name\":\"Test ").append(test).append("\"},{\"type\":{\"id\":1,\"name\":\"Node\"},\"id\":")
        .append(node).append(",\"name\":").append(quote(nodeName)).append('}');
    if (hop > 0) {
      b.append(",{\"type\":{\"id\":90,\"name\":\"HopNumber\"},\"id\":").append(hop).append(",\"name\":\"")
          .append(hop).append("\"}");
    }
    b.append("]}");
  }

  /** The end of a v2 answer after its last response item. */
  public static void v2End(StringBuilder b, String traceId) {
    b.append("],\"hasMore\":false},\"messages\":[],\"errors\":[],\"completed\":true,\"traceId\":\"").append(traceId)
        .append("\"}");
  }

  /** A JSON array of values: null as null, whole numbers without a fraction. */
  public static void numbers(StringBuilder b, Double[] values) {
    b.append('[');
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      number(b, values[i]);
    }
    b.append(']');
  }

  /** One value as {@link #numbers} writes it. */
  public static void number(StringBuilder b, Double v) {
    if (v == null) {
      b.append("null");
    } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      b.append(v.longValue());
    } else {
      b.append(v);
    }
  }

  /** A JSON string. */
  public static String quote(String v) {
    StringBuilder b = new StringBuilder(v.length() + 2).append('"');
    for (int k = 0; k < v.length(); k++) {
      char c = v.charAt(k);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}

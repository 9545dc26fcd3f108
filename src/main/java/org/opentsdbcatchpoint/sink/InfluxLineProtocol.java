package org.opentsdbcatchpoint.sink;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * InfluxDB line protocol (1.x and 2.x alike), timestamps in seconds ({@code precision=s}).
 *
 * <p>The mapping: a metric's last dot-separated part is the field, the rest, dots turned into
 * underscores, the measurement: {@code catchpoint.timing.dns} is field {@code dns} of measurement
 * {@code catchpoint_timing}; {@code catchpoint.host.timing.dns} is {@code dns} of
 * {@code catchpoint_host_timing}; {@code catchpoint.run} is {@code run} of {@code catchpoint}. Every tag
 * is a tag. Points of a batch with the same measurement, tags and second (all the timing values of one
 * run, say) become one line with several fields: {@code catchpoint_timing,node_id=540,test_id=100001
 * connect=20,dns=12 1705320873}. Values are floats, written as the shortest decimal that reads back
 * as the same double ({@code 12}, {@code 0.25}: no {@code i} suffix, so a field is always a float).
 *
 * <p>Escaping: commas and spaces in measurements, commas, equals signs and spaces in tag keys, tag
 * values and field keys, with a backslash. Line protocol cannot carry line breaks or other control
 * characters, nor reliably a backslash before them, so those become {@code _}; a measurement may not
 * start with {@code #} (a comment line), so such a name gets a leading {@code _}. Tags whose value is
 * empty are left out (line protocol has no empty tag value); a point with a non-finite value or an
 * empty name cannot be written and is left out (counted as invalid).
 */
public final class InfluxLineProtocol {
  /** {@code catchpoint.timing.dns} -> {@code catchpoint_timing}. */
  public static String measurement(String metric) {
    int dot = metric.lastIndexOf('.');
    return dot < 0 ? metric : metric.substring(0, dot).replace('.', '_');
  }

  /** {@code catchpoint.timing.dns} -> {@code dns}; a metric without a dot is field {@code value}. */
  public static String field(String metric) {
    int dot = metric.lastIndexOf('.');
    return dot < 0 ? "value" : metric.substring(dot + 1);
  }

  /** The batch as lines, each ending in {@code \n}. */
  public Encoded encode(PointRing batch) {
    Map<String, Map<String, String>> lines = new LinkedHashMap<>();
    int invalid = 0;
    StringBuilder key = new StringBuilder(160);
    for (int i = 0; i < batch.size(); i++) {
      String metric = batch.metric(i);
      double value = batch.value(i);
      String measurement = escape(measurement(metric), false);
      String field = escape(field(metric), true);
      if (!Double.isFinite(value) || measurement.isEmpty() || field.isEmpty()) {
        invalid++;
        continue;
      }
      key.setLength(0);
      key.append(measurement.charAt(0) == '#' ? "_" : "").append(measurement);
      for (Map.Entry<String, String> t : batch.tags(i).entrySet()) {
        String k = escape(t.getKey(), true);
        String v = escape(t.getValue(), true);
        if (!k.isEmpty() && !v.isEmpty()) {
          key.append(',').append(k).append('=').append(v);
        }
      }
      key.append(' ').append(batch.seconds(i));
      lines.computeIfAbsent(key.toString(), k -> new LinkedHashMap<>()).put(field, Numbers.plain(value));
    }
    StringBuilder out = new StringBuilder(lines.size() * 200);
    for (Map.Entry<String, Map<String, String>> line : lines.entrySet()) {
      String k = line.getKey();
      int space = k.lastIndexOf(' ');
      out.append(k, 0, space).append(' ');
      boolean first = true;
      for (Map.Entry<String, String> f : line.getValue().entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        out.append(f.getKey()).append('=').append(f.getValue());
      }
      out.append(k, space, k.length()).append('\n');
    }
    return new Encoded(out.toString().getBytes(StandardCharsets.UTF_8), batch.size() - invalid, invalid);
  }

  /**
   * Backslash before comma and space (and equals sign in keys and tag values); control characters and
   * backslashes become {@code _}.
   */
  static String escape(String s, boolean equalsSign) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean special = c == ',' || c == ' ' || (equalsSign && c == '=');
      boolean replaced = c < 0x20 || c == 0x7f || c == '\\';
      if (special || replaced) {
        if (b == null) {
          b = new StringBuilder(s.length() + 8);
          b.append(s, 0, i);
        }
        if (replaced) {
          b.append('_');
        } else {
          b.append('\\').append(c);
        }
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }
}

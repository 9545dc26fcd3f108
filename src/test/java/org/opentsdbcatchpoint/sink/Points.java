package org.opentsdbcatchpoint.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/** Datapoints for the forwarder tests. */
final class Points {
  private Points() {}

  static Map<String, String> tags(String... kv) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static DataPoint point(String metric, long ts, double value, String... kv) {
    return new DataPoint(metric, ts, value, tags(kv));
  }

  /** {@code n} points of one series, one a second from {@code start}, value = index. */
  static List<DataPoint> series(String metric, long start, int n) {
    List<DataPoint> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(point(metric, start + i, i, "test_id", "1", "node_id", "2"));
    }
    return out;
  }
}

package org.opentsdbcatchpoint.sink;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
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

  /** The points as a batch, as the forwarder hands it to a transport. */
  static PointRing batch(List<DataPoint> points) {
    PointRing batch = new PointRing(Math.max(1, points.size()));
    for (DataPoint p : points) {
      batch.add(p);
    }
    return batch;
  }

  /** The points of a batch as datapoints again. */
  static List<DataPoint> points(PointRing batch) {
    List<DataPoint> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      out.add(batch.point(i));
    }
    return out;
  }

  /** The bytes a Graphite format writes on the connection for these points. */
  static byte[] wire(GraphiteFormat format, List<DataPoint> points) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ByteBuffer b : format.wire(format.encode(batch(points)))) {
      out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
    }
    return out.toByteArray();
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

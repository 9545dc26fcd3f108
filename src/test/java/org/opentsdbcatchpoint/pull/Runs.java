package org.opentsdbcatchpoint.pull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.opentsdbcatchpoint.pipeline.Measurement;
import org.opentsdbcatchpoint.pipeline.Run;

/** Test helpers to read runs exactly. */
final class Runs {
  /** 2024-01-15T12:00:00Z, the hour of every REST fixture. */
  static final long NOON = 1705320000L;

  private Runs() {}

  /** A sink that keeps every run. */
  static final class Collect implements RunSink {
    final List<Run> runs = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void accept(Run run) {
      runs.add(run);
    }
  }

  /** {@code test/node@seconds type=T step=S}: a run's identity. */
  static String identity(Run r) {
    return r.testId() + "/" + r.nodeId() + "@" + r.timestampSeconds() + " type=" + r.typeId() + " step=" + r.step();
  }

  /** Measurements by {@code metric} or {@code metric{key=value}}; fails on a duplicate. */
  static Map<String, Double> values(Run r) {
    Map<String, Double> m = new TreeMap<>();
    for (Measurement x : r.measurements()) {
      String key = x.tagKey() == null ? x.metric() : x.metric() + "{" + x.tagKey() + "=" + x.tagValue() + "}";
      if (m.put(key, x.value()) != null) {
        throw new AssertionError("measured twice: " + key + " in " + r);
      }
    }
    return m;
  }

  /** Builds an expected values map from alternating keys and numbers. */
  static Map<String, Double> map(Object... kv) {
    Map<String, Double> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
    }
    return m;
  }
}

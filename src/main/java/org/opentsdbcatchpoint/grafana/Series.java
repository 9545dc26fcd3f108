package org.opentsdbcatchpoint.grafana;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** One series a query answered: its tags and its points (epoch seconds, values), in time order. */
public final class Series {
  public final String metric;
  public final Map<String, String> tags;
  public final long[] seconds;
  public final double[] values;

  public Series(String metric, Map<String, String> tags, long[] seconds, double[] values) {
    this.metric = metric;
    this.tags = Collections.unmodifiableMap(new TreeMap<>(tags));
    this.seconds = seconds;
    this.values = values;
  }

  public int size() {
    return seconds.length;
  }
}

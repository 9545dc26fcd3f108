package org.opentsdbcatchpoint.pipeline;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/** A datapoint ready for a time-series store: metric, epoch seconds, a double value, sorted tags. */
public final class DataPoint {
  private final String metric;
  private final long timestampSeconds;
  private final double value;
  private final SortedMap<String, String> tags;

  public DataPoint(String metric, long timestampSeconds, double value, Map<String, String> tags) {
    this.metric = Objects.requireNonNull(metric, "metric");
    this.timestampSeconds = timestampSeconds;
    this.value = value;
    this.tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
  }

  private DataPoint(String metric, long timestampSeconds, double value, SortedMap<String, String> frozenTags) {
    this.metric = Objects.requireNonNull(metric, "metric");
    this.timestampSeconds = timestampSeconds;
    this.value = value;
    this.tags = frozenTags;
  }

  /**
   * A point of another metric with this point's time and tags. The tags are shared, not copied: most
   * points of a run carry the same ones, and copying them was a third of what mapping a run allocated.
   */
  public DataPoint withMetric(String otherMetric, double otherValue) {
    return new DataPoint(otherMetric, timestampSeconds, otherValue, tags);
  }

  public String metric() {
    return metric;
  }

  public long timestampSeconds() {
    return timestampSeconds;
  }

  public double value() {
    return value;
  }

  public SortedMap<String, String> tags() {
    return tags;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DataPoint)) {
      return false;
    }
    DataPoint p = (DataPoint) o;
    return timestampSeconds == p.timestampSeconds
        && Double.compare(value, p.value) == 0
        && metric.equals(p.metric)
        && tags.equals(p.tags);
  }

  @Override
  public int hashCode() {
    return Objects.hash(metric, timestampSeconds, value, tags);
  }

  @Override
  public String toString() {
    return metric + " " + timestampSeconds + " " + value + " " + tags;
  }
}

package org.opentsdbcatchpoint.pipeline;

import java.util.Objects;

/**
 * One numeric result of a run, already named in the plugin's vocabulary: the metric is
 * {@code catchpoint.<group>.<key>}. A measurement that belongs to a part of the run (a traceroute
 * hop, a host of a host collection) carries that part as one extra tag.
 */
public final class Measurement {
  private final String metric;
  private final double value;
  private final String tagKey;
  private final String tagValue;
  private final String column;

  public Measurement(String metric, double value, String tagKey, String tagValue) {
    this(metric, value, tagKey, tagValue, null);
  }

  public Measurement(String metric, double value) {
    this(metric, value, null, null, null);
  }

  private Measurement(String metric, double value, String tagKey, String tagValue, String column) {
    this.metric = Objects.requireNonNull(metric, "metric");
    this.value = value;
    this.tagKey = tagKey;
    this.tagValue = tagValue;
    this.column = column;
  }

  /** This measurement as read from a REST column ({@code "DNS (ms)"}): the old scripts named metrics after it. */
  public Measurement fromColumn(String restColumn) {
    return new Measurement(metric, value, tagKey, tagValue, restColumn);
  }

  public String metric() {
    return metric;
  }

  public double value() {
    return value;
  }

  /** The extra tag's key ({@code hop}, {@code host}, {@code zone}), or null. */
  public String tagKey() {
    return tagKey;
  }

  /** The extra tag's raw value (sanitised by the mapper), or null. */
  public String tagValue() {
    return tagValue;
  }

  /** The REST column it was read from, or null (a push). */
  public String column() {
    return column;
  }

  @Override
  public String toString() {
    return metric + (tagKey != null ? "{" + tagKey + "=" + tagValue + "}" : "") + "=" + value;
  }
}

package org.opentsdbcatchpoint.grafana;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One query of a metric's series over a time range, in OpenTSDB's terms: an aggregator over the series
 * that are not told apart, optional downsampling, tag filters (literal values) and the tags to group by.
 */
public final class SeriesQuery {
  public final String metric;
  public final long startSeconds;
  public final long endSeconds;
  /** {@code none} (every series as it is), {@code avg}, {@code sum}, {@code min}, {@code max}, {@code count}. */
  public final String aggregator;
  /** {@code 60s-avg}, or null for the raw points. */
  public final String downsample;
  /** Tag key to the values it may have (any one of them). */
  public final Map<String, List<String>> filters;
  /** Tags whose values are kept apart (a series each). */
  public final List<String> groupBy;

  public SeriesQuery(String metric, long startSeconds, long endSeconds, String aggregator, String downsample,
      Map<String, List<String>> filters, List<String> groupBy) {
    this.metric = metric;
    this.startSeconds = startSeconds;
    this.endSeconds = endSeconds;
    this.aggregator = aggregator;
    this.downsample = downsample;
    this.filters = Collections.unmodifiableMap(new LinkedHashMap<>(filters));
    this.groupBy = Collections.unmodifiableList(groupBy);
  }

  @Override
  public String toString() {
    return aggregator + ":" + (downsample != null ? downsample + ":" : "") + metric + filters + " by " + groupBy
        + " [" + startSeconds + "," + endSeconds + "]";
  }
}

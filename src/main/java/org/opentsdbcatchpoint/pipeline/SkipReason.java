package org.opentsdbcatchpoint.pipeline;

/** The stable words used for skipped fields, in responses and stats. */
public final class SkipReason {
  /** An empty template value (a macro Catchpoint had nothing for). */
  public static final String EMPTY = "empty";
  /** Explicit JSON null. */
  public static final String NULL = "null";
  public static final String NOT_NUMERIC = "not_numeric";
  /** NaN, Infinity, or a number beyond double range. */
  public static final String NOT_FINITE = "not_finite";
  /** An object that is not a measurement (ContentType, HostCollections, ...). */
  public static final String NESTED_OBJECT = "nested_object";
  /** A field the plugin knows but is configured not to write. */
  public static final String DISABLED = "disabled";
  /** A traceroute hop whose probes were all lost: no round trip time exists. */
  public static final String NO_ANSWER = "no_answer";
  /** OpenTSDB refused the point itself (illegal characters, too many tags, ...). */
  public static final String REJECTED = "rejected";
  /** The metric does not exist and the TSD does not auto-create metrics. */
  public static final String UNKNOWN_METRIC = "unknown_metric";
  /**
   * A derived metric name (an unknown field) beyond what one request, or the plugin in all, may
   * create: see {@link MetricBudget}.
   */
  public static final String METRIC_BUDGET = "metric_budget";
  /** A fractional value of a whole-number metric (a count of 1.5): its integer cell cannot hold it. */
  public static final String NOT_WHOLE = "not_whole_number";

  private SkipReason() {}
}

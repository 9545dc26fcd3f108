package org.opentsdbcatchpoint.pipeline;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.SettingsReader;

/** The write stage's bounds, shared by every source. Immutable. */
public final class WriteSettings {
  public static final Key MAX_NEW_METRICS = Key.of("metrics.max_new_per_request", "integer", "16",
      "Most new derived metric names (fields outside the naming table) one push or one pulled window may create; "
      + "the rest of its unknown fields are skipped (reason metric_budget).");
  public static final Key MAX_DERIVED = Key.of("metrics.max_derived", "integer", "500",
      "Most derived metric names the plugin creates in all, counted from what the TSD's UID table holds at start.");
  public static final Key MAX_IN_FLIGHT = Key.of("write.max_points_in_flight", "integer", "100000",
      "Datapoints handed to the TSD and not yet acknowledged by HBase, for pushes and pulls together; when HBase "
      + "stalls, requests beyond it wait for room within their deadline and then get 503.");

  public static final List<Key> KEYS = Collections.unmodifiableList(Arrays.asList(MAX_NEW_METRICS, MAX_DERIVED,
      MAX_IN_FLIGHT));

  public final int maxNewMetricsPerRequest;
  public final int maxDerivedMetrics;
  public final int maxPointsInFlight;

  public WriteSettings(SettingsReader r) {
    maxNewMetricsPerRequest = (int) r.integer(MAX_NEW_METRICS, 0, 10_000);
    // OpenTSDB's suggest scan, which counts the names at start, holds a short of results.
    maxDerivedMetrics = (int) r.integer(MAX_DERIVED, 0, 30_000);
    maxPointsInFlight = (int) r.integer(MAX_IN_FLIGHT, 1000, 10_000_000);
  }

  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(MAX_NEW_METRICS.name, maxNewMetricsPerRequest);
    m.put(MAX_DERIVED.name, maxDerivedMetrics);
    m.put(MAX_IN_FLIGHT.name, maxPointsInFlight);
    return m;
  }
}

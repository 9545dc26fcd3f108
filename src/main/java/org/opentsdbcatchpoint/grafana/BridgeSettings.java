package org.opentsdbcatchpoint.grafana;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.SettingsReader;

/** The Grafana bridge's bounds: what one query may ask of the TSD. Immutable. */
public final class BridgeSettings {
  public static final Key MAX_RANGE = Key.of("grafana.max_range", "duration", "31d",
      "Longest time range one Grafana query may ask for; longer is 400 range_too_long.");
  public static final Key MAX_SERIES = Key.of("grafana.max_series", "integer", "500",
      "Most series one Grafana query may answer; more is 400 too_many_series (filter or group by less).");
  public static final Key MAX_DATAPOINTS = Key.of("grafana.max_datapoints", "integer", "1000000",
      "Most datapoints one Grafana query may answer; more is 400 too_many_datapoints (a larger interval helps).");

  public static final List<Key> KEYS = Collections.unmodifiableList(Arrays.asList(MAX_RANGE, MAX_SERIES,
      MAX_DATAPOINTS));

  public final long maxRangeSeconds;
  public final int maxSeries;
  public final long maxDatapoints;

  public BridgeSettings(SettingsReader r) {
    maxRangeSeconds = r.seconds(MAX_RANGE, 60, 3660L * 86400);
    maxSeries = (int) r.integer(MAX_SERIES, 1, 100_000);
    maxDatapoints = r.integer(MAX_DATAPOINTS, 1000, 100_000_000);
  }

  BridgeSettings(long maxRangeSeconds, int maxSeries, long maxDatapoints) {
    this.maxRangeSeconds = maxRangeSeconds;
    this.maxSeries = maxSeries;
    this.maxDatapoints = maxDatapoints;
  }

  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(MAX_RANGE.name, maxRangeSeconds + "s");
    m.put(MAX_SERIES.name, maxSeries);
    m.put(MAX_DATAPOINTS.name, maxDatapoints);
    return m;
  }
}

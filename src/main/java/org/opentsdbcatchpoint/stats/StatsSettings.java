package org.opentsdbcatchpoint.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.SettingsReader;

/** Whether and how often the plugin writes its own counters into the TSD. Immutable. */
public final class StatsSettings {
  public static final Key WRITE_INTERVAL = Key.of("stats.write_interval", "duration", "60s",
      "How often the plugin writes its own counters into the TSD as tsd.catchpoint.* (tagged host), as "
      + "tcollector would store /api/stats: the ingestion-health dashboard reads them. 0: never.");

  public static final List<Key> KEYS = Collections.singletonList(WRITE_INTERVAL);

  public final long writeIntervalSeconds;

  public StatsSettings(SettingsReader r) {
    long s = r.seconds(WRITE_INTERVAL, 0, 86400);
    if (s > 0 && s < 5) {
      r.problem(WRITE_INTERVAL, "must be 0 (never) or at least 5s, not " + s + "s");
    }
    writeIntervalSeconds = s;
  }

  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(WRITE_INTERVAL.name, writeIntervalSeconds + "s");
    return m;
  }
}

package org.opentsdbcatchpoint.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/**
 * The plugin's own counters as datapoints ({@code tsd.catchpoint.push.requests status=200 host=...}),
 * named as tcollector stores a TSD's {@code /api/stats}: the ingestion-health dashboard reads them
 * either way. A fixed set of names, bounded tag values; written to the TSD only (never forwarded).
 */
public final class SelfReport {
  private final Stats stats;
  private final String host;

  /** @param host the {@code host} tag: which TSD the figures are of */
  public SelfReport(Stats stats, String host) {
    this.stats = stats;
    this.host = sanitize(host);
  }

  /** The counters and gauges now, as points of {@code epochSeconds}. */
  public List<DataPoint> points(long epochSeconds, Map<String, Long> extraGauges) {
    List<DataPoint> out = new ArrayList<>();
    Map<String, String> base = Collections.singletonMap("host", host);
    for (Stats.Entry e : stats.snapshot()) {
      out.add(point(e.name, e.tagKey, e.tagValue, epochSeconds, e.value, base));
    }
    for (Map.Entry<String, Long> g : extraGauges.entrySet()) {
      String[] nameAndTag = g.getKey().split(" ", 2);
      String tagKey = null;
      String tagValue = null;
      if (nameAndTag.length == 2) {
        String[] kv = nameAndTag[1].split("=", 2);
        tagKey = kv[0];
        tagValue = kv[1];
      }
      out.add(point(nameAndTag[0], tagKey, tagValue, epochSeconds, g.getValue(), base));
    }
    return out;
  }

  private static DataPoint point(String name, String tagKey, String tagValue, long t, long v,
      Map<String, String> base) {
    Map<String, String> tags = new TreeMap<>(base);
    if (tagKey != null) {
      tags.put(tagKey, sanitize(tagValue));
    }
    return new DataPoint("tsd." + name, t, v, tags);
  }

  /** Tag values of counters are the plugin's own words, accounts and targets: made legal all the same. */
  private static String sanitize(String v) {
    String s = v.replaceAll("[^A-Za-z0-9._/-]+", "_");
    return s.isEmpty() ? "_" : s;
  }
}

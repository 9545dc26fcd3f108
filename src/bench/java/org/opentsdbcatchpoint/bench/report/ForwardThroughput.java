package org.opentsdbcatchpoint.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** Scenario 6, first half: what {@code ForwardBench} measured against real carbon and InfluxDB. */
final class ForwardThroughput {
  private ForwardThroughput() {}

  static void render(BenchReport r, JsonNode forward) {
    r.out.set("forwarders", forward);
    JsonNode w = forward.path("workload");
    r.md.append(String.format(Locale.ROOT, "One forwarder at a time, built from `forward.*` settings with the "
        + "defaults, offered %,d points a round (%,d new series, %d tags a point) and timed until its counters "
        + "say every point was sent (carbon: written to its socket; InfluxDB: answered 204); median over the "
        + "rounds. Delivery is checked in the target afterwards.%n%n", w.path("points_per_round").asLong(),
        w.path("series_per_round").asLong(), w.path("tags_per_point").asInt()));
    r.md.append("| target | points/s (min–max) | dropped | delivery check |\n|---|---:|---:|---|\n");
    for (Iterator<Map.Entry<String, JsonNode>> it = forward.path("targets").fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode t = e.getValue();
      JsonNode pps = t.path("points_per_s");
      JsonNode check = t.path("delivery_check");
      r.md.append(String.format(Locale.ROOT, "| %s | %,.0f (%,.0f–%,.0f) | %,d | %s: %s |%n", e.getKey(),
          pps.path("median").asDouble(), pps.path("min").asDouble(), pps.path("max").asDouble(),
          t.path("dropped_total").asLong(), check.path("ok").asBoolean() ? "ok" : "**failed**",
          check.path("method").asText().replace('|', '/')));
    }
    r.md.append('\n');
  }
}

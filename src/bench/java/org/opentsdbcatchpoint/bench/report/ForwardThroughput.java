package org.opentsdbcatchpoint.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** Scenario 6, first half: what {@code ForwardBench} measured against real carbon, InfluxDB, KairosDB and OpenTSDB. */
final class ForwardThroughput {
  private ForwardThroughput() {}

  static void render(BenchReport r, JsonNode forward) {
    r.out.set("forwarders", forward);
    JsonNode w = forward.path("workload");
    r.md.append(String.format(Locale.ROOT, "One forwarder at a time, built from `forward.*` settings with the "
        + "defaults, offered %,d points a round (%,d new series, %d tags a point) and timed until its counters "
        + "say every point was sent (carbon: written to its socket; InfluxDB, Prometheus: answered 204; KairosDB: answered 204, "
        + "the points queued in it; OpenTSDB: answered 200 after its HBase stored them); median over the "
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
    writerCost(r, forward.path("writer"));
  }

  /** What forwarding costs the threads that write points: no forwarder, live targets, dead targets. */
  private static void writerCost(BenchReport r, JsonNode writer) {
    if (writer.isMissingNode()) {
      return;
    }
    r.md.append("What forwarding costs the writing threads, in the bench's JVM: ").append(writer.path("method").asText())
        .append(".\n\n| targets | paced: write µs p50 / p99 / p99.9 | paced: CPU ms/s (senders) | paced: GCs, ms "
            + "| heap after GC MB | flat out: writes/s |\n|---|---|---|---|---:|---|\n");
    for (Iterator<Map.Entry<String, JsonNode>> it = writer.path("scenarios").fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      StringBuilder paced = new StringBuilder();
      StringBuilder flat = new StringBuilder();
      for (Iterator<Map.Entry<String, JsonNode>> m = e.getValue().fields(); m.hasNext();) {
        Map.Entry<String, JsonNode> x = m.next();
        JsonNode v = x.getValue();
        if (x.getKey().startsWith("paced_")) {
          JsonNode l = v.path("write_latency_us");
          double senders = 0;
          for (JsonNode c : v.path("sender_cpu_ms_per_s")) {
            senders += c.asDouble();
          }
          paced.append(String.format(Locale.ROOT, "%.2f / %.2f / %.2f | %.0f (%.0f) | %d, %d", l.path("p50").asDouble(),
              l.path("p99").asDouble(), l.path("p99_9").asDouble(), v.path("process_cpu_ms_per_s").asDouble(), senders,
              v.path("gc_count").asLong(), v.path("gc_ms").asLong()));
        } else if (x.getKey().startsWith("flat_out_")) {
          flat.append(flat.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f (%s)",
              v.path("writes_per_s").asDouble(), x.getKey().substring("flat_out_".length()).replace('_', ' ')));
        }
      }
      r.md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %s |%n", e.getKey().replace('_', ' '), paced,
          e.getValue().path("heap_used_after_gc_mb").asDouble(), flat));
    }
    r.md.append('\n');
  }
}

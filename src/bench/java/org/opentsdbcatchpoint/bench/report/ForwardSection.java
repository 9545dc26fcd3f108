package org.opentsdbcatchpoint.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.opentsdbcatchpoint.bench.report.BenchReport.Spread;

/**
 * Scenario 6: what the forwarders deliver to real carbon, InfluxDB, Prometheus, KairosDB and OpenTSDB, and the plugin's push with
 * forwarding targets that accept connections and never read, against the same push without forwarders.
 */
final class ForwardSection {
  /** Dead-target figures within the no-forwarder repeats' range, widened by this much, count as unchanged. */
  static final double NOISE_MARGIN = 0.10;

  private ForwardSection() {}

  static void add(BenchReport r) throws IOException {
    r.md.append("## Forwarders (scenario 6)\n\n");
    throughput(r, withRelay(r.input("forward.json"), r.input("forward-relay.json")));
    deadTargets(r, r.input("load-nofwd.json"), r.input("load-deadfwd.json"), r.input("deadfwd-health.json"));
  }

  /** The relay is measured apart (into the stack's TSD, before the stack stops): one table all the same. */
  private static JsonNode withRelay(JsonNode forward, JsonNode relay) {
    if (relay == null) {
      return forward;
    }
    if (forward == null) {
      return relay;
    }
    ((ObjectNode) forward.path("targets")).setAll((ObjectNode) relay.path("targets"));
    return forward;
  }

  private static void throughput(BenchReport r, JsonNode forward) {
    r.md.append("### Points/s delivered to real carbon, InfluxDB, Prometheus, KairosDB and OpenTSDB\n\n");
    if (forward == null) {
      r.md.append("Not run.\n\n");
      return;
    }
    ForwardThroughput.render(r, forward);
  }

  private static void deadTargets(BenchReport r, JsonNode load, JsonNode dead, JsonNode health) {
    r.md.append("### Push with dead forwarding targets\n\n");
    String what = "push latency unchanged (within noise) while a forwarder target is dead";
    if (load == null || dead == null) {
      r.md.append("Not run.\n\n");
      r.target(what, "not run", null);
      return;
    }
    r.md.append("The plugin's push measured twice more as in the ingestion table (same workload, seconds and "
        + "repeats), each time in a TSD just restarted: without forwarders, then with a Graphite, an InfluxDB, a "
        + "Prometheus, a KairosDB and an OpenTSDB (relay) forwarder, all pointed at a port that accepts connections and never reads. Unchanged means: the median with "
        + "dead targets lies within the no-forwarder repeats' range widened by " + Math.round(NOISE_MARGIN * 100)
        + "%.\n\n");
    r.md.append("| clients | points/s, no forwarder | points/s, dead targets | p50 ms, no forwarder | p50 ms, dead "
        + "| p99 ms, no forwarder | p99 ms, dead | unchanged |\n|---:|---:|---:|---:|---:|---:|---:|---|\n");
    ArrayNode rows = r.out.putArray("push_with_dead_forwarders");
    TreeSet<Integer> clients = new TreeSet<>();
    for (JsonNode m : BenchReport.measurements(dead, "push", 0)) {
      clients.add(m.path("clients").asInt());
    }
    boolean all = true;
    List<String> verdicts = new ArrayList<>();
    for (int c : clients) {
      Spread[] base = {spread(load, c, "points_per_second"), spread(load, c, "p50_ms"), spread(load, c, "p99_ms")};
      Spread[] now = {spread(dead, c, "points_per_second"), spread(dead, c, "p50_ms"), spread(dead, c, "p99_ms")};
      boolean unchanged = !base[0].empty() && now[0].median >= base[0].min * (1 - NOISE_MARGIN)
          && now[1].median <= base[1].max * (1 + NOISE_MARGIN) && now[2].median <= base[2].max * (1 + NOISE_MARGIN);
      all &= unchanged;
      verdicts.add(c + (c == 1 ? " client: " : " clients: ") + String.format(Locale.ROOT, "%.2f× points/s, p99 %.1f "
          + "vs %.1f ms", now[0].median / base[0].median, now[2].median, base[2].median));
      r.md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s |%n", c, base[0].count(),
          now[0].count(), ms(base[1]), ms(now[1]), ms(base[2]), ms(now[2]), unchanged ? "yes" : "**no**"));
      ObjectNode row = rows.addObject();
      row.put("clients", c);
      row.set("points_per_second_no_forwarder", base[0].json());
      row.set("points_per_second_dead_targets", now[0].json());
      row.set("p50_ms_no_forwarder", base[1].json());
      row.set("p50_ms_dead_targets", now[1].json());
      row.set("p99_ms_no_forwarder", base[2].json());
      row.set("p99_ms_dead_targets", now[2].json());
      row.put("unchanged", unchanged);
    }
    r.md.append('\n');
    if (health != null) {
      targetsState(r, health.path("forwarders"));
    }
    r.target(what, String.join("; ", verdicts), clients.isEmpty() ? null : all);
  }

  /** What the forwarders themselves said after the run: that the targets really were stuck. */
  private static void targetsState(BenchReport r, JsonNode forwarders) {
    r.md.append("The forwarders after that run (from `/plugin/catchpoint/health`):\n\n| target | queued | sent "
        + "| dropped | errors | last error |\n|---|---:|---:|---:|---|---|\n");
    r.out.set("dead_forwarders_health", forwarders);
    for (Iterator<Map.Entry<String, JsonNode>> it = forwarders.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode f = e.getValue();
      long dropped = 0;
      for (JsonNode n : f.path("dropped")) {
        dropped += n.asLong();
      }
      r.md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %s | %s |%n", e.getKey(),
          f.path("queued").asLong(), f.path("sent").asLong(), dropped, f.path("errors").toString().replace('|', '/'),
          f.path("last_error").asText().replace('|', '/')));
    }
    r.md.append('\n');
  }

  private static Spread spread(JsonNode load, int clients, String field) {
    List<Double> v = new ArrayList<>();
    for (JsonNode m : BenchReport.measurements(load, "push", clients)) {
      v.add(m.path(field).asDouble());
    }
    return BenchReport.spread(v);
  }

  private static String ms(Spread s) {
    if (s.empty()) {
      return "–";
    }
    return s.n == 1 ? String.format(Locale.ROOT, "%.1f", s.median)
        : String.format(Locale.ROOT, "%.1f (%.1f–%.1f)", s.median, s.min, s.max);
  }
}

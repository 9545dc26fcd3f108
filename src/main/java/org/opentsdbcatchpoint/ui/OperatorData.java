package org.opentsdbcatchpoint.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.opentsdbcatchpoint.catalog.CatalogRefresher;
import org.opentsdbcatchpoint.pull.PullService;
import org.opentsdbcatchpoint.stats.History;
import org.opentsdbcatchpoint.stats.Stats;
import org.opentsdbcatchpoint.web.Json;

/** What the operator page shows, in one JSON document: read from the parts when asked, never stored. */
public final class OperatorData implements Supplier<ObjectNode> {
  /** Unknown node ids listed by id (their count is given in full). */
  static final int UNKNOWN_SHOWN = 20;
  private final String version;
  private final long startedMillis;
  private final LongSupplier clockMillis;
  private final Map<String, Object> settingsSummary;
  private final Stats stats;
  private final PullService pull;
  private final Supplier<Map<String, Object>> sharing;
  private final CatalogRefresher catalog;
  private final Supplier<Map<String, Object>> forwarders;
  private final Supplier<Map<String, Object>> metrics;
  private final History history;

  public OperatorData(String version, LongSupplier clockMillis, Map<String, Object> settingsSummary, Stats stats,
      PullService pull, Supplier<Map<String, Object>> sharing, CatalogRefresher catalog,
      Supplier<Map<String, Object>> forwarders,
      Supplier<Map<String, Object>> metrics, History history) {
    this.version = version;
    this.clockMillis = clockMillis;
    this.startedMillis = clockMillis.getAsLong();
    this.settingsSummary = settingsSummary;
    this.stats = stats;
    this.pull = pull;
    this.sharing = sharing;
    this.catalog = catalog;
    this.forwarders = forwarders;
    this.metrics = metrics;
    this.history = history;
  }

  @Override
  public ObjectNode get() {
    long now = clockMillis.getAsLong();
    ObjectNode body = Json.object();
    body.put("plugin", "opentsdb-catchpoint");
    body.put("version", version);
    body.put("now_ms", now);
    body.put("uptime_seconds", (now - startedMillis) / 1000);
    body.set("config", Json.MAPPER.valueToTree(settingsSummary));

    ObjectNode push = body.putObject("push");
    push.set("requests", Json.MAPPER.valueToTree(stats.byTag("catchpoint.push.requests")));
    push.set("runs", Json.MAPPER.valueToTree(stats.byTag("catchpoint.push.runs")));
    push.put("datapoints_written", stats.get("catchpoint.push.datapoints.written"));
    push.set("skipped", Json.MAPPER.valueToTree(stats.byTag("catchpoint.push.fields.skipped")));
    push.set("errors", Json.MAPPER.valueToTree(stats.byTag("catchpoint.push.errors")));
    push.put("ack_p50_ms", stats.ackLatency().quantileMillis(0.5));
    push.put("ack_p99_ms", stats.ackLatency().quantileMillis(0.99));
    push.set("recent_errors", Json.MAPPER.valueToTree(stats.pushErrors().list()));

    ObjectNode pulls = body.putObject("pull");
    pulls.put("started", pull.started());
    pulls.set("accounts", Json.MAPPER.valueToTree(pull.accounts()));
    pulls.set("lag_seconds", Json.MAPPER.valueToTree(pull.lagSeconds()));
    pulls.set("tests", Json.MAPPER.valueToTree(pull.status()));
    pulls.put("datapoints", stats.sum("catchpoint.pull.datapoints"));
    pulls.put("windows_failed", stats.sum("catchpoint.pull.windows_failed"));
    pulls.set("sharing", Json.MAPPER.valueToTree(sharing.get()));
    org.opentsdbcatchpoint.pull.Imports imports = pull.imports();
    pulls.set("imports", Json.MAPPER.valueToTree(imports == null ? java.util.Collections.emptyList() : imports.list()));

    ObjectNode cat = body.putObject("catalog");
    cat.put("nodes", catalog.size());
    long refreshed = catalog.lastSuccessMillis();
    if (refreshed > 0) {
      cat.put("age_seconds", (now - refreshed) / 1000);
    } else {
      cat.putNull("age_seconds");
    }
    cat.put("last_error", catalog.lastError());
    List<Long> unknown = catalog.unknownNodes();
    cat.put("unknown_nodes", unknown.size());
    // Which nodes, so that the operator can look them up in Catchpoint; a few are enough for that.
    ArrayNode some = cat.putArray("unknown");
    for (Long id : unknown.subList(0, Math.min(UNKNOWN_SHOWN, unknown.size()))) {
      some.add(id);
    }

    body.set("forwarders", Json.MAPPER.valueToTree(forwarders.get()));
    body.set("metrics", Json.MAPPER.valueToTree(metrics.get()));

    ObjectNode h = body.putObject("history");
    h.put("step_seconds", history.stepSeconds());
    ObjectNode series = h.putObject("series");
    for (Map.Entry<String, List<double[]>> e : history.series().entrySet()) {
      ArrayNode points = series.putArray(e.getKey());
      for (double[] p : e.getValue()) {
        points.addArray().add((long) p[0]).add(p[1]);
      }
    }
    return body;
  }
}

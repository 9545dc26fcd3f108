package org.opentsdbcatchpoint.tsd;

import com.stumbleupon.async.Deferred;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import net.opentsdb.core.TSDB;
import net.opentsdb.stats.StatsCollector;
import net.opentsdb.tsd.HttpRpcPlugin;
import net.opentsdb.tsd.HttpRpcPluginQuery;
import org.opentsdbcatchpoint.CatchpointService;
import org.opentsdbcatchpoint.stats.Stats;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounted at {@code /plugin/catchpoint}; routes {@code /push}, {@code /health} and the rest to the
 * shared {@link CatchpointService}. Answers asynchronously: the Netty thread is free as soon as the
 * request is handed over.
 */
public final class CatchpointRpcPlugin extends HttpRpcPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(CatchpointRpcPlugin.class);
  private static final String BASE = "/plugin/catchpoint";

  private volatile CatchpointService service;

  /** Empty: OpenTSDB instantiates plugins during discovery. */
  public CatchpointRpcPlugin() {}

  /** A plugin serving an existing service (tests of the routing, without a TSD). */
  CatchpointRpcPlugin(CatchpointService service) {
    this.service = service;
  }

  @Override
  public void initialize(TSDB tsdb) {
    service = SharedService.acquire(tsdb);
    LOG.info("opentsdb-catchpoint {} ready: push at {}/push ({}), health at {}/health, node catalog: {} nodes",
        version(), BASE, service.settings().push.token == null ? "ANONYMOUS pushes allowed" : "token required",
        BASE, service.catalogSize());
  }

  @Override
  public Deferred<Object> shutdown() {
    SharedService.release(service);
    return Deferred.fromResult(null);
  }

  @Override
  public String version() {
    return CatchpointService.version();
  }

  @Override
  public void collectStats(StatsCollector collector) {
    CatchpointService s = service;
    if (s != null) {
      record(s.stats(), collector);
      recordPull(s, collector);
    }
  }

  /** Gauges of the pull side: lag per account, catalog size and age. */
  static void recordPull(CatchpointService s, StatsCollector collector) {
    for (java.util.Map.Entry<String, Long> e : s.pull().lagSeconds().entrySet()) {
      collector.record("catchpoint.pull.lag_seconds", e.getValue(), "account=" + e.getKey());
    }
    collector.record("catchpoint.catalog.size", s.catalogSize());
    long refreshed = s.catalog().lastSuccessMillis();
    if (refreshed > 0) {
      collector.record("catchpoint.catalog.age_seconds", (System.currentTimeMillis() - refreshed) / 1000);
    }
  }

  @Override
  public String getPath() {
    return "/catchpoint";
  }

  @Override
  public void execute(TSDB tsdb, HttpRpcPluginQuery query) throws IOException {
    handle(new QueryExchange(query));
  }

  void handle(PluginExchange exchange) {
    // One byte more than the largest body a route takes tells the route the body is too large: the TSD has
    // inflated a gzip bomb already (Content-Encoding), the plugin does not copy it on top of that.
    int keep = service.settings().push.maxBodyBytes + 1;
    Request request = new Request(exchange.method(), subPath(exchange.path()), exchange.params(),
        exchange::header, exchange.body(keep), exchange.bodySize());
    service.handle(request).whenComplete((response, error) -> {
      if (response == null) {
        // Not the path: it may carry the push token (/push/SECRET).
        LOG.error("unexpected failure answering {} {}", exchange.method(), request.path().isEmpty()
            ? "/" : request.path().get(0), error);
        response = org.opentsdbcatchpoint.web.Json.error(500, "internal_error", "see the TSD log", null);
      }
      send(exchange, response);
    });
  }

  private static void send(PluginExchange exchange, Response r) {
    exchange.respond(r.status(), r.contentType(), r.headers(), r.body());
  }

  /** {@code /plugin/catchpoint/push/x} -> {@code [push, x]}. */
  static List<String> subPath(String path) {
    String rest = path.startsWith(BASE) ? path.substring(BASE.length()) : path;
    List<String> parts = new ArrayList<>();
    for (String p : Arrays.asList(rest.split("/"))) {
      if (!p.isEmpty()) {
        parts.add(p);
      }
    }
    return parts.isEmpty() ? Collections.<String>emptyList() : parts;
  }

  /** Counters to {@code /api/stats}, as {@code tsd.catchpoint.*} with their one tag. */
  static void record(Stats stats, StatsCollector collector) {
    for (Stats.Entry e : stats.snapshot()) {
      if (e.tagKey == null) {
        collector.record(e.name, e.value);
      } else {
        collector.record(e.name, e.value, e.tagKey + "=" + e.tagValue);
      }
    }
    collector.record("catchpoint.push.ack.latency_ms", stats.ackLatency().quantileMillis(0.5), "quantile=p50");
    collector.record("catchpoint.push.ack.latency_ms", stats.ackLatency().quantileMillis(0.99), "quantile=p99");
  }
}

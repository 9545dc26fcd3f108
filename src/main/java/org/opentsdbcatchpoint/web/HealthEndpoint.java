package org.opentsdbcatchpoint.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.opentsdbcatchpoint.stats.Latency;
import org.opentsdbcatchpoint.stats.Stats;

/** {@code GET /plugin/catchpoint/health}: version, uptime, settings (secrets masked), counters. */
public final class HealthEndpoint implements Endpoint {
  private final String version;
  private final long startedMillis;
  private final LongSupplier clockMillis;
  private final Map<String, Object> settingsSummary;
  private final Stats stats;
  private final Supplier<Map<String, Object>> catalog;
  private final Map<String, Supplier<Map<String, Object>>> sections = new LinkedHashMap<>();
  private BooleanSupplier acceptsPushes = () -> true;

  public HealthEndpoint(String version, LongSupplier clockMillis, Map<String, Object> settingsSummary,
      Stats stats, Supplier<Map<String, Object>> catalog) {
    this.version = version;
    this.clockMillis = clockMillis;
    this.startedMillis = clockMillis.getAsLong();
    this.settingsSummary = settingsSummary;
    this.stats = stats;
    this.catalog = catalog;
  }

  /**
   * Adds an object to every answer, built when asked ({@code "forwarders": {...}}): values are
   * booleans, numbers, text or nested maps of the same.
   */
  public HealthEndpoint section(String name, Supplier<Map<String, Object>> content) {
    sections.put(name, content);
    return this;
  }

  /**
   * What {@code ?check=push} asks, for a load balancer's health check of the push route: 200 while
   * this TSD takes pushes, 503 while it does not ({@code tsd.mode=ro}).
   */
  public HealthEndpoint acceptsPushes(BooleanSupplier accepts) {
    this.acceptsPushes = accepts;
    return this;
  }

  private static void putAll(ObjectNode node, Map<String, Object> values) {
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Object v = e.getValue();
      if (v == null) {
        node.putNull(e.getKey());
      } else if (v instanceof Map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> nested = (Map<String, Object>) v;
        putAll(node.putObject(e.getKey()), nested);
      } else if (v instanceof Boolean) {
        node.put(e.getKey(), (Boolean) v);
      } else if (v instanceof Number) {
        node.put(e.getKey(), ((Number) v).longValue());
      } else if (v instanceof Iterable) {
        com.fasterxml.jackson.databind.node.ArrayNode list = node.putArray(e.getKey());
        for (Object item : (Iterable<?>) v) {
          if (item instanceof Number) {
            list.add(((Number) item).longValue());
          } else {
            list.add(String.valueOf(item));
          }
        }
      } else {
        node.put(e.getKey(), String.valueOf(v));
      }
    }
  }

  @Override
  public CompletableFuture<Response> handle(Request request) {
    if (!"GET".equals(request.method()) && !"HEAD".equals(request.method())) {
      return CompletableFuture.completedFuture(Json.error(405, "method_not_allowed",
          "the health endpoint takes GET, not " + request.method(), "method").withHeader("Allow", "GET"));
    }
    String check = request.param("check");
    if (check != null) {
      if (!"push".equals(check)) {
        return CompletableFuture.completedFuture(Json.error(400, "bad_request", "check=push is the one check there is",
            "check"));
      }
      ObjectNode answer = Json.object();
      boolean ok = acceptsPushes.getAsBoolean();
      answer.put("status", ok ? "ok" : "read_only");
      answer.put("accepts_pushes", ok);
      return CompletableFuture.completedFuture(Json.response(ok ? 200 : 503, answer));
    }
    ObjectNode body = Json.object();
    body.put("status", "ok");
    body.put("accepts_pushes", acceptsPushes.getAsBoolean());
    body.put("plugin", "opentsdb-catchpoint");
    body.put("version", version);
    body.put("uptime_seconds", (clockMillis.getAsLong() - startedMillis) / 1000);
    ObjectNode config = body.putObject("config");
    for (Map.Entry<String, Object> e : settingsSummary.entrySet()) {
      // Typed puts: Jackson 2.9 renders POJO nodes unquoted inside ObjectNode.toString().
      Object v = e.getValue();
      if (v instanceof Boolean) {
        config.put(e.getKey(), (Boolean) v);
      } else if (v instanceof Number) {
        config.put(e.getKey(), ((Number) v).longValue());
      } else {
        config.put(e.getKey(), String.valueOf(v));
      }
    }
    putAll(body.putObject("catalog"), catalog.get());
    ObjectNode counters = body.putObject("counters");
    for (Stats.Entry e : stats.snapshot()) {
      String key = e.tagKey == null ? e.name : e.name + "{" + e.tagKey + "=" + e.tagValue + "}";
      counters.put(key, e.value);
    }
    for (Map.Entry<String, Supplier<Map<String, Object>>> s : sections.entrySet()) {
      putAll(body.putObject(s.getKey()), s.getValue().get());
    }
    Latency ack = stats.ackLatency();
    ObjectNode latency = body.putObject("ack_latency_ms");
    latency.put("count", ack.count());
    latency.put("mean", Math.round(ack.meanMillis() * 100) / 100.0);
    latency.put("p50_le", ack.quantileMillis(0.5));
    latency.put("p99_le", ack.quantileMillis(0.99));
    return CompletableFuture.completedFuture(Json.response(200, body));
  }
}

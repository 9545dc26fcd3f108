package org.opentsdbcatchpoint.grafana;

import static org.opentsdbcatchpoint.grafana.Requests.badRequest;
import static org.opentsdbcatchpoint.grafana.Requests.body;
import static org.opentsdbcatchpoint.grafana.Requests.instant;
import static org.opentsdbcatchpoint.grafana.Requests.list;
import static org.opentsdbcatchpoint.grafana.Requests.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import org.opentsdbcatchpoint.alert.Annotations;
import org.opentsdbcatchpoint.catalog.CatalogHolder;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.names.Names;
import org.opentsdbcatchpoint.web.Endpoint;
import org.opentsdbcatchpoint.web.Json;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;

/**
 * {@code /plugin/catchpoint/grafana/}: the contract of Grafana's JSON datasource (simPod's, 0.6 and
 * later: {@code GET /}, {@code /metrics}, {@code /metric-payload-options}, {@code /query},
 * {@code /variable}, {@code /tag-keys}, {@code /tag-values}) and of the older simple-json one
 * ({@code /search}, {@code /annotations}), answering in process from the TSD's own query engine
 * through {@link SeriesSource}. What it adds over Grafana's OpenTSDB datasource: series and variables
 * by name instead of ids, variables from the node catalog, failed runs and Catchpoint alerts as annotations.
 * Every query is bounded in range, series and datapoints ({@link BridgeSettings}); a request it cannot serve is a
 * 400 with a JSON error. The request and answer shapes are written down in docs/grafana.md.
 */
public final class GrafanaBridge implements Endpoint {
  static final String FAILED_RUNS = FailedRuns.TARGET;
  static final String ALERTS = AlertNotes.TARGET;
  static final List<String> AGGREGATORS = Arrays.asList("avg", "sum", "min", "max", "count");
  /** Grafana's series and tables, and flat records for Infinity or a script. */
  static final List<String> FORMATS = Arrays.asList("time_series", "table", "records");

  private final BoundedQueries queries;
  private final FailedRuns failedRuns;
  private final AlertNotes alerts;
  private final Dimensions dimensions;
  private final BridgeSettings bounds;

  GrafanaBridge(SeriesSource source, Annotations annotations, Dimensions dimensions, BridgeSettings bounds) {
    this.queries = new BoundedQueries(source, bounds);
    this.failedRuns = new FailedRuns(queries, dimensions);
    this.alerts = new AlertNotes(annotations);
    this.dimensions = dimensions;
    this.bounds = bounds;
  }

  /**
   * @param tests the tests the configuration names (pull accounts), id to type: listed before any
   *     source named them
   */
  public GrafanaBridge(SeriesSource source, Names names, CatalogHolder catalog, Supplier<Map<Long, String>> tests,
      BridgeSettings bounds) {
    this(source, Annotations.NONE, names, catalog, tests, bounds);
  }

  /** @param annotations the TSD's notes, where the alert webhook's are read back from */
  public GrafanaBridge(SeriesSource source, Annotations annotations, Names names, CatalogHolder catalog,
      Supplier<Map<Long, String>> tests, BridgeSettings bounds) {
    this(source, annotations, new Dimensions(names, catalog, tests), bounds);
  }

  @Override
  public CompletableFuture<Response> handle(Request request) {
    List<String> path = request.path().subList(1, request.path().size());
    String action = path.isEmpty() ? "" : String.join("/", path);
    CompletableFuture<Response> answer;
    try {
      if ("OPTIONS".equals(request.method())) {
        answer = CompletableFuture.completedFuture(Response.json(204, ""));
      } else if (action.isEmpty()) {
        ObjectNode ok = Json.object();
        ok.put("status", "ok");
        ok.put("datasource", "opentsdb-catchpoint Grafana bridge");
        answer = CompletableFuture.completedFuture(Json.response(200, ok));
      } else if (!"POST".equals(request.method())) {
        answer = CompletableFuture.completedFuture(Json.error(405, "method_not_allowed", "the Grafana bridge's "
            + "/" + action + " takes POST", "method").withHeader("Allow", "POST"));
      } else {
        answer = post(action, body(request));
      }
    } catch (Requests.Refused r) {
      answer = CompletableFuture.completedFuture(error(r));
    }
    return answer.exceptionally(GrafanaBridge::failed).thenApply(GrafanaBridge::cors);
  }

  private CompletableFuture<Response> post(String action, JsonNode body) {
    switch (action) {
      case "metrics":
        return done(Json.MAPPER.valueToTree(metrics()));
      case "metric-payload-options":
      case "options":
        return done(options(text(body, "metric"), text(body, "name"), body.path("payload")));
      case "query":
        return query(body);
      case "variable":
        return done(variable(variableTarget(body), true));
      case "search":
        return done(search(text(body, "target")));
      case "tag-keys":
        return done(tagKeys());
      case "tag-values":
        return done(tagValues(text(body, "key")));
      case "annotations":
        return annotations(body);
      default:
        throw new Requests.Refused(404, "not_found", "the Grafana bridge has no /" + action + " (it has /, /metrics, "
            + "/metric-payload-options, /query, /variable, /tag-keys, /tag-values, /search, /annotations)", "path");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // What the query editor offers: every metric of the naming table, and failed runs.

  private List<Map<String, Object>> metrics() {
    List<Map<String, Object>> out = new ArrayList<>();
    List<Map<String, Object>> payloads = Arrays.asList(
        payload("aggregate", "select", "avg", options(AGGREGATORS)),
        payload("group_by", "multi-select", "test", options(new ArrayList<>(Dimensions.TAGS.keySet()))),
        payload("test", "multi-select", "all tests", null),
        payload("node", "multi-select", "all nodes", null),
        payload("country", "multi-select", "all countries", null),
        payload("test_type", "select", "any type", null),
        payload("format", "select", "time_series", options(FORMATS)));
    Map<String, Object> failed = new LinkedHashMap<>();
    failed.put("label", "Failed runs (annotations)");
    failed.put("value", FAILED_RUNS);
    failed.put("payloads", payloads.subList(2, 6));
    out.add(failed);
    Map<String, Object> alerted = new LinkedHashMap<>();
    alerted.put("label", "Catchpoint alerts (annotations)");
    alerted.put("value", ALERTS);
    alerted.put("payloads", payloads.subList(2, 4));
    out.add(alerted);
    for (String metric : new TreeSet<>(Vocabulary.table())) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("value", metric);
      m.put("payloads", payloads);
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> payload(String name, String type, String placeholder,
      List<Map<String, Object>> options) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("name", name);
    p.put("type", type);
    p.put("placeholder", placeholder);
    if (options != null) {
      p.put("options", options);
    }
    return p;
  }

  private static List<Map<String, Object>> options(List<String> values) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String v : values) {
      out.add(option(v, v));
    }
    return out;
  }

  private static Map<String, Object> option(String label, String value) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("label", label);
    o.put("value", value);
    return o;
  }

  private JsonNode options(String metric, String name, JsonNode payload) {
    if (name == null) {
      throw badRequest("missing_field", "name the payload whose options are wanted: {\"metric\",\"payload\",\"name\"}",
          "name");
    }
    switch (name) {
      case "test":
        return labelled(dimensions.tests(text(payload, "test_type")));
      case "node":
        String country = text(payload, "country");
        return labelled(country == null ? dimensions.nodes(null, null) : dimensions.nodes("country", country));
      case "test_type":
        return Json.MAPPER.valueToTree(options(dimensions.testTypes()));
      case "aggregate":
        return Json.MAPPER.valueToTree(options(AGGREGATORS));
      case "group_by":
        return Json.MAPPER.valueToTree(options(new ArrayList<>(Dimensions.TAGS.keySet())));
      default:
        if (Dimensions.TAGS.containsKey(name)) {
          return Json.MAPPER.valueToTree(options(dimensions.attributeValues(name)));
        }
        throw badRequest("unknown_payload", "no payload " + name + " for " + metric, "name");
    }
  }

  private static ArrayNode labelled(Map<Long, String> byId) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (Map.Entry<Long, String> e : byId.entrySet()) {
      out.addObject().put("label", e.getValue()).put("value", Long.toString(e.getKey()));
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Queries.

  /** {@code {range, intervalMs, targets: [{target, refId, payload}], adhocFilters|filters}}. */
  private CompletableFuture<Response> query(JsonNode body) {
    long[] range = range(body.path("range"));
    long intervalSeconds = Math.max(1, body.path("intervalMs").asLong(60_000) / 1000);
    List<FilterOp> adhoc = adhocFilters(body);
    JsonNode targets = body.path("targets");
    if (!targets.isArray()) {
      throw badRequest("missing_field", "the query has no targets array", "targets");
    }
    List<CompletableFuture<List<JsonNode>>> parts = new ArrayList<>();
    int i = 0;
    for (JsonNode t : targets) {
      String where = "targets[" + i++ + "]";
      if (t.path("hide").asBoolean(false)) {
        continue;
      }
      String target = text(t, "target");
      if (target == null) {
        throw badRequest("missing_field", "a target has no \"target\"", where + ".target");
      }
      // simple-json sends its extra JSON as "data" and a table as "type": "table".
      JsonNode payload = t.path("payload").isObject() ? t.path("payload") : t.path("data");
      if ("table".equals(text(t, "type")) && payload.isObject() && !payload.has("format")) {
        payload = ((ObjectNode) payload.deepCopy()).put("format", "table");
      } else if ("table".equals(text(t, "type"))) {
        payload = Json.object().put("format", "table");
      }
      if (FAILED_RUNS.equals(target)) {
        parts.add(failedRuns.find(range, filters(payload, adhoc, where)).thenApply(rows ->
            Collections.singletonList(Event.frame(FAILED_RUNS, FailedRuns.events(rows), text(t, "refId")))));
      } else if (ALERTS.equals(target)) {
        parts.add(alerts.find(range, filters(payload, adhoc, where)).thenApply(events ->
            Collections.singletonList(Event.frame(ALERTS, events, text(t, "refId")))));
      } else {
        parts.add(series(target, payload, range, intervalSeconds, adhoc, where, text(t, "refId")));
      }
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (CompletableFuture<List<JsonNode>> p : parts) {
        out.addAll(p.join());
      }
      return Json.response(200, out);
    });
  }

  private CompletableFuture<List<JsonNode>> series(String target, JsonNode payload, long[] range, long interval,
      List<FilterOp> adhoc, String where, String refId) {
    String metric = target.trim();
    if (!Vocabulary.inTable(metric) && !metric.startsWith(Vocabulary.PREFIX)) {
      throw badRequest("unknown_target", "no metric " + metric + ": a target is a catchpoint.* metric of the naming "
          + "table (see /metrics), " + FAILED_RUNS + " or " + ALERTS, where + ".target");
    }
    String aggregate = text(payload, "aggregate") != null ? text(payload, "aggregate") : "avg";
    if (!AGGREGATORS.contains(aggregate)) {
      throw badRequest("invalid_payload", "aggregate must be one of " + AGGREGATORS + ", not " + aggregate,
          where + ".payload.aggregate");
    }
    List<String> groupBy = new ArrayList<>();
    for (String d : list(payload.path("group_by"), "test")) {
      String tag = Dimensions.tag(d);
      if (tag == null) {
        throw badRequest("invalid_payload", "cannot group by " + d + "; by " + Dimensions.TAGS.keySet(),
            where + ".payload.group_by");
      }
      groupBy.add(tag);
    }
    String format = text(payload, "format") != null ? text(payload, "format") : "time_series";
    if (!FORMATS.contains(format)) {
      throw badRequest("invalid_payload", "format must be one of " + FORMATS + ", not " + format,
          where + ".payload.format");
    }
    SeriesQuery q = new SeriesQuery(metric, range[0], range[1], aggregate, interval + "s-" + aggregate,
        filters(payload, adhoc, where), groupBy);
    return queries.run(q, where).thenApply(found -> {
      switch (format) {
        case "table":
          return Collections.singletonList(table(metric, found, groupBy));
        case "records":
          return records(found, groupBy);
        default:
          return timeSeries(found, groupBy, refId);
      }
    });
  }

  private List<JsonNode> timeSeries(List<Series> found, List<String> groupBy, String refId) {
    BinaryOperator<String> show = dimensions.display();
    List<JsonNode> out = new ArrayList<>();
    for (Series s : found) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("target", label(s, groupBy, show));
      if (refId != null) {
        o.put("refId", refId);
      }
      ArrayNode dps = o.putArray("datapoints");
      for (int i = 0; i < s.size(); i++) {
        dps.addArray().add(s.values[i]).add(s.seconds[i] * 1000);
      }
      out.add(o);
    }
    return out;
  }

  private JsonNode table(String metric, List<Series> found, List<String> groupBy) {
    BinaryOperator<String> show = dimensions.display();
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    t.put("type", "table");
    ArrayNode columns = t.putArray("columns");
    columns.addObject().put("text", "Time").put("type", "time");
    for (String g : groupBy) {
      columns.addObject().put("text", dimensionOf(g)).put("type", "string");
    }
    columns.addObject().put("text", metric).put("type", "number");
    ArrayNode rows = t.putArray("rows");
    for (Series s : found) {
      List<String> groups = new ArrayList<>();
      for (String g : groupBy) {
        groups.add(show.apply(g, s.tags.get(g)));
      }
      for (int i = 0; i < s.size(); i++) {
        ArrayNode row = rows.addArray().add(s.seconds[i] * 1000);
        groups.forEach(row::add);
        row.add(s.values[i]);
      }
    }
    return t;
  }

  /** One object per point: {@code time} (epoch ms), a field per group ({@code test}, {@code node}), {@code value}. */
  private List<JsonNode> records(List<Series> found, List<String> groupBy) {
    BinaryOperator<String> show = dimensions.display();
    List<JsonNode> out = new ArrayList<>();
    for (Series s : found) {
      ObjectNode groups = JsonNodeFactory.instance.objectNode();
      for (String g : groupBy) {
        groups.put(dimensionOf(g), show.apply(g, s.tags.get(g)));
      }
      for (int i = 0; i < s.size(); i++) {
        ObjectNode r = JsonNodeFactory.instance.objectNode().put("time", s.seconds[i] * 1000);
        r.setAll(groups);
        out.add(r.put("value", s.values[i]));
      }
    }
    return out;
  }

  private static String label(Series s, List<String> groupBy, BinaryOperator<String> show) {
    if (groupBy.isEmpty()) {
      return s.metric;
    }
    List<String> parts = new ArrayList<>();
    for (String g : groupBy) {
      String v = s.tags.get(g);
      parts.add(v == null ? "-" : show.apply(g, v));
    }
    return String.join(" / ", parts);
  }

  private static String dimensionOf(String tag) {
    for (Map.Entry<String, String> e : Dimensions.TAGS.entrySet()) {
      if (e.getValue().equals(tag)) {
        return e.getKey();
      }
    }
    return tag;
  }

  /**
   * simple-json's {@code /annotations}: {@code {range, annotation: {query}}}, the query the kinds wanted
   * ({@code failed_runs}, {@code alerts}; neither: both) and key=value filters.
   */
  private CompletableFuture<Response> annotations(JsonNode body) {
    long[] range = range(body.path("range"));
    JsonNode annotation = body.path("annotation");
    Map<String, List<String>> filters = new LinkedHashMap<>();
    boolean failed = false;
    boolean alerted = false;
    String query = text(annotation, "query");
    if (query != null) {
      for (String part : query.trim().split("[\\s,]+")) {
        if (part.equals(FAILED_RUNS)) {
          failed = true;
          continue;
        }
        if (part.equals(ALERTS)) {
          alerted = true;
          continue;
        }
        if (part.isEmpty()) {
          continue;
        }
        String[] kv = part.split("=", 2);
        if (kv.length != 2) {
          throw badRequest("invalid_query", "an annotation query is \"failed_runs\", \"alerts\" or both, and key=value "
              + "filters (test=..., node=..., country=...), not " + part, "annotation.query");
        }
        addFilter(filters, kv[0], kv[1], "annotation.query");
      }
    }
    boolean both = !failed && !alerted;
    CompletableFuture<List<Event>> runs = failed || both
        ? failedRuns.find(range, filters).thenApply(FailedRuns::events)
        : CompletableFuture.completedFuture(Collections.<Event>emptyList());
    CompletableFuture<List<Event>> raised = alerted || both ? alerts.find(range, filters)
        : CompletableFuture.completedFuture(Collections.<Event>emptyList());
    return runs.thenCombine(raised, (r, a) -> {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      Event.addTo(out, annotation, r);
      Event.addTo(out, annotation, a);
      return Json.response(200, out);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Variables, ad hoc filters.

  private static String variableTarget(JsonNode body) {
    JsonNode payload = body.path("payload");
    String t = payload.isObject() ? text(payload, "target") : text(body, "target");
    if (t == null && payload.isTextual()) {
      t = payload.asText();
    }
    if (t == null) {
      throw badRequest("missing_field", "a variable query is {\"payload\":{\"target\":\"tests\"}} (tests, "
          + "tests:<type>, nodes, nodes:<country>, countries, cities, isps, asns, test_types)", "payload.target");
    }
    return t;
  }

  /**
   * {@code tests}, {@code tests:web}, {@code nodes}, {@code nodes:Germany} (the nodes of a country),
   * {@code countries}, {@code cities}, {@code isps}, {@code asns}, {@code regions}, {@code test_types}.
   */
  private JsonNode variable(String target, boolean grafanaShape) {
    String t = target.trim();
    String kind = t.contains(":") ? t.substring(0, t.indexOf(':')) : t;
    String arg = t.contains(":") ? t.substring(t.indexOf(':') + 1).trim() : null;
    Map<String, String> values = new LinkedHashMap<>();
    switch (kind) {
      case "tests":
        dimensions.tests(arg).forEach((id, label) -> values.put(label, Long.toString(id)));
        break;
      case "nodes":
        Map<Long, String> nodes = arg == null ? dimensions.nodes(null, null) : dimensions.nodes("country", arg);
        nodes.forEach((id, label) -> values.put(label, Long.toString(id)));
        break;
      case "test_types":
        dimensions.testTypes().forEach(v -> values.put(v, v));
        break;
      default:
        String attribute = plural(kind);
        if (attribute == null) {
          throw badRequest("unknown_target", "no variable " + t + " (tests, tests:<type>, nodes, nodes:<country>, "
              + "countries, cities, isps, asns, regions, test_types)", "payload.target");
        }
        dimensions.attributeValues(attribute).forEach(v -> values.put(v, v));
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (grafanaShape) {
        out.addObject().put("__text", e.getKey()).put("__value", e.getValue());
      } else {
        out.addObject().put("text", e.getKey()).put("value", e.getValue());
      }
    }
    return out;
  }

  private static String plural(String kind) {
    switch (kind) {
      case "countries":
        return "country";
      case "cities":
        return "city";
      case "isps":
        return "isp";
      case "asns":
        return "asn";
      case "regions":
        return "region";
      case "continents":
        return "continent";
      default:
        return null;
    }
  }

  /** simple-json's {@code /search}: the metrics, or a variable's values ({@code tests}, {@code countries}...). */
  private JsonNode search(String target) {
    if (target == null || target.trim().isEmpty()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      out.add(FAILED_RUNS);
      out.add(ALERTS);
      new TreeSet<>(Vocabulary.table()).forEach(out::add);
      return out;
    }
    return variable(target, false);
  }

  private static JsonNode tagKeys() {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (String d : Dimensions.TAGS.keySet()) {
      out.addObject().put("type", "string").put("text", d);
    }
    return out;
  }

  private JsonNode tagValues(String key) {
    if (key == null || Dimensions.tag(key) == null) {
      throw badRequest("unknown_key", "no ad hoc filter key " + key + "; keys: " + Dimensions.TAGS.keySet(), "key");
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    String tag = Dimensions.tag(key);
    if (tag.equals(Vocabulary.TAG_TEST_ID)) {
      dimensions.tests(null).values().forEach(v -> out.addObject().put("text", v));
    } else if (tag.equals(Vocabulary.TAG_NODE_ID)) {
      dimensions.nodes(null, null).values().forEach(v -> out.addObject().put("text", v));
    } else if (tag.equals(Vocabulary.TAG_TEST_TYPE)) {
      dimensions.testTypes().forEach(v -> out.addObject().put("text", v));
    } else {
      dimensions.attributeValues(tag).forEach(v -> out.addObject().put("text", v));
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Filters and ranges.

  /** An ad hoc filter: key, operator ({@code =} only: OpenTSDB's filters are of values), value. */
  private static final class FilterOp {
    final String key;
    final String value;

    FilterOp(String key, String value) {
      this.key = key;
      this.value = value;
    }
  }

  private static List<FilterOp> adhocFilters(JsonNode body) {
    JsonNode list = body.path("adhocFilters").isArray() ? body.path("adhocFilters") : body.path("filters");
    List<FilterOp> out = new ArrayList<>();
    int i = 0;
    for (JsonNode f : list) {
      String op = text(f, "operator");
      if (op != null && !op.equals("=")) {
        throw badRequest("invalid_filter", "ad hoc filters take = only, not " + op, "filters[" + i + "].operator");
      }
      String key = text(f, "key");
      String value = text(f, "value");
      if (key != null && value != null) {
        out.add(new FilterOp(key, value));
      }
      i++;
    }
    return out;
  }

  /** The payload's filters ({@code test}, {@code node}, {@code country}, {@code test_type}...) and the ad hoc ones. */
  private Map<String, List<String>> filters(JsonNode payload, List<FilterOp> adhoc, String where) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = payload.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (Dimensions.TAGS.containsKey(e.getKey())) {
        for (String v : list(e.getValue(), null)) {
          addFilter(out, e.getKey(), v, where + ".payload." + e.getKey());
        }
      }
    }
    for (FilterOp f : adhoc) {
      addFilter(out, f.key, f.value, "filters");
    }
    return out;
  }

  private void addFilter(Map<String, List<String>> filters, String dimension, String value, String where) {
    String tag = Dimensions.tag(dimension);
    if (tag == null) {
      throw badRequest("invalid_filter", "no dimension " + dimension + " to filter by; " + Dimensions.TAGS.keySet(),
          where);
    }
    String v = value.trim();
    if (v.isEmpty() || v.equals("*") || v.equals(".*") || v.equals("$__all") || v.equals("All")) {
      return;
    }
    List<String> ids = tag.equals(Vocabulary.TAG_TEST_ID) ? dimensions.testIds(v)
        : tag.equals(Vocabulary.TAG_NODE_ID) ? dimensions.nodeIds(v) : Collections.singletonList(v);
    if (ids.isEmpty()) {
      ids = Collections.singletonList(v); // an unknown name: no series, as OpenTSDB would answer
    }
    filters.computeIfAbsent(tag, k -> new ArrayList<>()).addAll(ids);
  }

  /** {@code {from, to}} as ISO-8601 (or epoch milliseconds), within {@code grafana.max_range}. */
  private long[] range(JsonNode range) {
    long from = instant(range.path("from"), "range.from");
    long to = instant(range.path("to"), "range.to");
    if (to <= from) {
      throw badRequest("invalid_range", "range.to must be after range.from", "range");
    }
    if (to - from > bounds.maxRangeSeconds) {
      throw badRequest("range_too_long", "the range is " + (to - from) + " s, longer than grafana.max_range ("
          + bounds.maxRangeSeconds + " s)", "range");
    }
    return new long[] {from, to};
  }

  private static CompletableFuture<Response> done(JsonNode body) {
    return CompletableFuture.completedFuture(Json.response(200, body));
  }

  private static Response error(Requests.Refused r) {
    return Json.error(r.status, r.kind, r.getMessage(), r.where);
  }

  private static Response failed(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof Requests.Refused) {
      return error((Requests.Refused) cause);
    }
    return Json.error(503, "query_failed", "the TSD could not answer the query: " + cause.getClass().getSimpleName(),
        null);
  }

  /** Grafana in direct (browser) mode calls from another origin. */
  private static Response cors(Response r) {
    return r.withHeader("Access-Control-Allow-Origin", "*")
        .withHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        .withHeader("Access-Control-Allow-Headers", "accept, content-type, authorization");
  }
}

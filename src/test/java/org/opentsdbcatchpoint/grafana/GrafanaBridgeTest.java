package org.opentsdbcatchpoint.grafana;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.alert.AlertBook;
import org.opentsdbcatchpoint.alert.Annotations;
import org.opentsdbcatchpoint.alert.Note;
import org.opentsdbcatchpoint.catalog.CatalogHolder;
import org.opentsdbcatchpoint.catalog.Node;
import org.opentsdbcatchpoint.catalog.StaticNodeCatalog;
import org.opentsdbcatchpoint.names.NameStore;
import org.opentsdbcatchpoint.names.Names;
import org.opentsdbcatchpoint.pipeline.Measurement;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.web.Json;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;

/**
 * The bridge's answers to the requests Grafana's JSON datasource sends (the shapes of its README and
 * openapi.yaml), over a scripted query engine: what it asks OpenTSDB, and what it answers.
 */
class GrafanaBridgeTest {
  static final String FROM = "2024-01-15T12:00:00.000Z";
  static final String TO = "2024-01-15T13:00:00.000Z";
  static final long T0 = 1_705_320_000L;

  /** Answers every query with the series scripted for its metric; records the queries. */
  static final class ScriptedSeries implements SeriesSource {
    final List<SeriesQuery> asked = new ArrayList<>();
    final Map<String, List<Series>> byMetric = new LinkedHashMap<>();
    RuntimeException failure;

    @Override
    public synchronized CompletableFuture<List<Series>> query(SeriesQuery q) {
      asked.add(q);
      CompletableFuture<List<Series>> f = new CompletableFuture<>();
      if (failure != null) {
        f.completeExceptionally(failure);
      } else {
        f.complete(byMetric.getOrDefault(q.metric, Collections.<Series>emptyList()));
      }
      return f;
    }

    void add(String metric, Map<String, String> tags, long[] seconds, double[] values) {
      byMetric.computeIfAbsent(metric, k -> new ArrayList<>()).add(new Series(metric, tags, seconds, values));
    }
  }

  private final ScriptedSeries source = new ScriptedSeries();
  private final Names names = new Names(NameStore.NONE);
  private final CatalogHolder catalog = new CatalogHolder(new StaticNodeCatalog(Arrays.asList(
      node(540, "Frankfurt, DE - AWS", "Frankfurt", "Germany"),
      node(312, "Sydney, AU - Telstra", "Sydney", "Australia"),
      node(313, "Jinan, CN - Unicom", "Jinan", "China"))));
  private final Map<Long, String> configured = new LinkedHashMap<>();
  private GrafanaBridge bridge = new GrafanaBridge(source, names, catalog, () -> configured,
      new BridgeSettings(31L * 86400, 500, 1_000_000));

  GrafanaBridgeTest() {
    names.observe(Run.builder(100001, 540, T0).typeId(0).names("Homepage (prod)", null)
        .add(new Measurement("catchpoint.run", 1)).build());
    names.observe(Run.builder(100002, 313, T0).typeId(5).names("dns-probe", null)
        .add(new Measurement("catchpoint.run", 0)).build());
    configured.put(100009L, "api");
  }

  private static Node node(long id, String name, String city, String country) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("node", name);
    a.put("city", city);
    a.put("country", country);
    return new Node(id, a);
  }

  private static Map<String, String> tags(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private Response call(String method, String action, String body) throws Exception {
    List<String> path = new ArrayList<>(Collections.singletonList("grafana"));
    if (!action.isEmpty()) {
      path.addAll(Arrays.asList(action.split("/")));
    }
    return bridge.handle(new Request(method, path, Collections.<String, List<String>>emptyMap(),
        h -> "Content-Type".equalsIgnoreCase(h) ? "application/json" : null,
        body.getBytes(StandardCharsets.UTF_8))).get(5, SECONDS);
  }

  private JsonNode ok(String action, String body) throws Exception {
    Response r = call("POST", action, body);
    assertEquals(200, r.status(), r.bodyText());
    assertEquals("*", r.headers().get("Access-Control-Allow-Origin"));
    return Json.MAPPER.readTree(r.bodyText());
  }

  private JsonNode refused(int status, String action, String body) throws Exception {
    Response r = call("POST", action, body);
    assertEquals(status, r.status(), r.bodyText());
    JsonNode e = Json.MAPPER.readTree(r.bodyText()).path("error");
    assertEquals(status, e.path("code").asInt());
    assertTrue(!e.path("message").asText().isEmpty(), r.bodyText());
    return e;
  }

  private static String query(String targets) {
    return "{\"panelId\":1,\"range\":{\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\",\"raw\":{\"from\":\"now-1h\","
        + "\"to\":\"now\"}},\"interval\":\"30s\",\"intervalMs\":30000,\"maxDataPoints\":550,\"targets\":" + targets
        + "}";
  }

  @Test
  void testConnectionIsAGetOfTheRoot() throws Exception {
    Response r = call("GET", "", "");
    assertEquals(200, r.status());
    assertEquals("ok", Json.MAPPER.readTree(r.bodyText()).path("status").asText());
  }

  @Test
  void metricsListEveryMetricOfTheNamingTableWithThePayloadsTheBuilderShows() throws Exception {
    JsonNode metrics = ok("metrics", "{}");
    List<String> values = new ArrayList<>();
    metrics.forEach(m -> values.add(m.path("value").asText()));
    assertEquals(GrafanaBridge.FAILED_RUNS, values.get(0));
    assertTrue(values.contains("catchpoint.timing.total"), values.toString());
    assertTrue(values.contains("catchpoint.run"), values.toString());
    for (String v : values) {
      assertTrue(v.equals(GrafanaBridge.FAILED_RUNS) || v.equals(GrafanaBridge.ALERTS) || v.startsWith("catchpoint."),
          v);
    }
    JsonNode total = metrics.get(values.indexOf("catchpoint.timing.total"));
    List<String> payloads = new ArrayList<>();
    total.path("payloads").forEach(p -> payloads.add(p.path("name").asText() + ":" + p.path("type").asText()));
    assertEquals(Arrays.asList("aggregate:select", "group_by:multi-select", "test:multi-select",
        "node:multi-select", "country:multi-select", "test_type:select", "format:select"), payloads);
  }

  @Test
  void payloadOptionsNameTestsAndNodes() throws Exception {
    JsonNode tests = ok("metric-payload-options", "{\"metric\":\"catchpoint.timing.total\",\"payload\":{},"
        + "\"name\":\"test\"}");
    assertEquals(Json.MAPPER.readTree("[{\"label\":\"Homepage (prod)\",\"value\":\"100001\"},"
        + "{\"label\":\"dns-probe\",\"value\":\"100002\"},{\"label\":\"100009\",\"value\":\"100009\"}]"), tests);
    JsonNode german = ok("metric-payload-options", "{\"metric\":\"catchpoint.timing.total\",\"payload\":"
        + "{\"country\":\"Germany\"},\"name\":\"node\"}");
    assertEquals(Json.MAPPER.readTree("[{\"label\":\"Frankfurt, DE - AWS\",\"value\":\"540\"}]"), german);
    JsonNode countries = ok("metric-payload-options", "{\"metric\":\"catchpoint.timing.total\",\"payload\":{},"
        + "\"name\":\"country\"}");
    assertEquals(Json.MAPPER.readTree("[{\"label\":\"Australia\",\"value\":\"Australia\"},"
        + "{\"label\":\"China\",\"value\":\"China\"},{\"label\":\"Germany\",\"value\":\"Germany\"}]"), countries);
    refused(400, "metric-payload-options", "{\"metric\":\"catchpoint.timing.total\",\"name\":\"colour\"}");
  }

  @Test
  void aQueryBecomesOneOpenTsdbQueryAndItsSeriesAreNamedByTestAndNode() throws Exception {
    source.add("catchpoint.timing.total", tags("test_id", "100001", "node_id", "540"), new long[] {T0 + 60, T0 + 120},
        new double[] {2310, 2290.5});
    source.add("catchpoint.timing.total", tags("test_id", "100001", "node_id", "312"), new long[] {T0 + 60},
        new double[] {3900});
    JsonNode answer = ok("query", query("[{\"target\":\"catchpoint.timing.total\",\"refId\":\"A\",\"payload\":"
        + "{\"aggregate\":\"max\",\"group_by\":[\"test\",\"node\"],\"test\":\"(100001|100004)\"}}]"));
    assertEquals(Json.MAPPER.readTree("[{\"target\":\"Homepage (prod) / Frankfurt, DE - AWS\",\"refId\":\"A\","
        + "\"datapoints\":[[2310.0,1705320060000],[2290.5,1705320120000]]},"
        + "{\"target\":\"Homepage (prod) / Sydney, AU - Telstra\",\"refId\":\"A\",\"datapoints\":[[3900.0,"
        + "1705320060000]]}]"), answer);
    SeriesQuery q = source.asked.get(0);
    assertEquals("catchpoint.timing.total", q.metric);
    assertEquals(T0, q.startSeconds);
    assertEquals(T0 + 3600, q.endSeconds);
    assertEquals("max", q.aggregator);
    assertEquals("30s-max", q.downsample, "Grafana's interval");
    assertEquals(Collections.singletonMap("test_id", Arrays.asList("100001", "100004")), q.filters);
    assertEquals(Arrays.asList("test_id", "node_id"), q.groupBy);
  }

  @Test
  void namesInFiltersAreTheirIdsAndAdHocFiltersApplyToEveryTarget() throws Exception {
    ok("query", query("[{\"target\":\"catchpoint.run\",\"refId\":\"A\",\"payload\":{\"node\":"
        + "\"Frankfurt, DE \\\\- AWS\",\"test\":[\"Homepage (prod)\"]}}]").replace("\"targets\"",
        "\"filters\":[{\"key\":\"country\",\"operator\":\"=\",\"value\":\"Germany\"}],\"targets\""));
    SeriesQuery q = source.asked.get(0);
    Map<String, List<String>> expected = new LinkedHashMap<>();
    expected.put("node_id", Collections.singletonList("540"));
    expected.put("test_id", Collections.singletonList("100001"));
    expected.put("country", Collections.singletonList("Germany"));
    assertEquals(expected, q.filters);
    assertEquals(Collections.singletonList("test_id"), q.groupBy, "by test unless told");
    assertEquals("avg", q.aggregator);
  }

  @Test
  void aTableHasATimeColumnAColumnPerGroupAndTheValue() throws Exception {
    source.add("catchpoint.timing.dns", tags("test_id", "100002", "country", "China"), new long[] {T0},
        new double[] {42});
    JsonNode answer = ok("query", query("[{\"target\":\"catchpoint.timing.dns\",\"refId\":\"A\",\"payload\":"
        + "{\"group_by\":[\"test\",\"country\"],\"format\":\"table\"}}]"));
    assertEquals(Json.MAPPER.readTree("[{\"type\":\"table\",\"columns\":[{\"text\":\"Time\",\"type\":\"time\"},"
        + "{\"text\":\"test\",\"type\":\"string\"},{\"text\":\"country\",\"type\":\"string\"},"
        + "{\"text\":\"catchpoint.timing.dns\",\"type\":\"number\"}],\"rows\":[[1705320000000,\"dns-probe\","
        + "\"China\",42.0]]}]"), answer);
  }

  @Test
  void recordsAreFlatObjectsForInfinityAndSimpleJsonTablesAreTables() throws Exception {
    source.add("catchpoint.timing.dns", tags("test_id", "100002", "node_id", "313"), new long[] {T0},
        new double[] {42});
    JsonNode records = ok("query", query("[{\"target\":\"catchpoint.timing.dns\",\"payload\":"
        + "{\"group_by\":[\"test\",\"node\"],\"format\":\"records\"}}]"));
    assertEquals(Json.MAPPER.readTree("[{\"time\":1705320000000,\"test\":\"dns-probe\",\"node\":"
        + "\"Jinan, CN - Unicom\",\"value\":42.0}]"), records);
    JsonNode simpleJson = ok("query", query("[{\"target\":\"catchpoint.timing.dns\",\"refId\":\"A\","
        + "\"type\":\"table\",\"data\":{\"group_by\":\"node\"}}]"));
    assertEquals("table", simpleJson.get(0).path("type").asText());
    assertEquals("[[1705320000000,\"Jinan, CN - Unicom\",42.0]]", simpleJson.get(0).path("rows").toString());
    assertEquals("targets[0].payload.format", refused(400, "query", query("[{\"target\":\"catchpoint.run\","
        + "\"payload\":{\"format\":\"csv\"}}]")).path("where").asText());
  }

  @Test
  void failedRunsAreAnAnnotationFrameWithTheErrorsMeaning() throws Exception {
    Map<String, String> dns = tags("test_id", "100002", "node_id", "313");
    source.add("catchpoint.run", dns, new long[] {T0 + 312, T0 + 612, T0 + 912}, new double[] {0, 1, 0});
    source.add("catchpoint.error.code", dns, new long[] {T0 + 312}, new double[] {12007});
    JsonNode answer = ok("query", query("[{\"target\":\"failed_runs\",\"refId\":\"F\",\"payload\":{}}]"));
    JsonNode frame = answer.get(0);
    assertEquals("F", frame.path("refId").asText());
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    frame.path("fields").forEach(f -> fields.put(f.path("name").asText(), f.path("values")));
    assertEquals(Arrays.asList("time", "timeEnd", "title", "text", "tags"), new ArrayList<>(fields.keySet()));
    assertEquals(Json.MAPPER.readTree("[1705320312000,1705320912000]"), fields.get("time"));
    assertEquals(Json.MAPPER.readTree("[\"dns-probe failed on Jinan, CN - Unicom\",\"dns-probe failed on Jinan, "
        + "CN - Unicom\"]"), fields.get("title"));
    assertEquals("dns-probe failed on Jinan, CN - Unicom: the server's name could not be resolved (DNS) (12007)",
        fields.get("text").get(0).asText());
    assertEquals("dns-probe failed on Jinan, CN - Unicom: the run reported an error",
        fields.get("text").get(1).asText(), "no code at that time");
    assertEquals(Json.MAPPER.readTree("[\"catchpoint\",\"failed\",\"test_id:100002\",\"node_id:313\"]"),
        fields.get("tags").get(0));
    for (SeriesQuery q : source.asked) {
      assertEquals("none", q.aggregator, "every run as it is: " + q);
      assertEquals(null, q.downsample);
    }
  }

  /** Global notes as the alert webhook writes them, and one of someone else's. */
  static final class ScriptedNotes implements Annotations {
    final List<Note> global = new ArrayList<>();
    final List<long[]> asked = new ArrayList<>();

    @Override
    public CompletableFuture<String> series(String metric, Map<String, String> tags) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> write(Note note) {
      throw new AssertionError("the bridge writes no notes");
    }

    @Override
    public synchronized CompletableFuture<List<Note>> global(long start, long end) {
      asked.add(new long[] {start, end});
      return CompletableFuture.completedFuture(new ArrayList<>(global));
    }

    void alert(long start, long end, String level, String test, String node, String description) {
      Map<String, String> custom = new LinkedHashMap<>();
      custom.put("source", AlertBook.SOURCE);
      custom.put("level", level);
      custom.put("test_id", test);
      if (node != null) {
        custom.put("node_id", node);
      }
      custom.put("alert_type", "timing");
      global.add(new Note("", start, end, description, "", custom));
    }
  }

  @Test
  void alertsAreAnAnnotationFrameOfTheWebhooksGlobalNotesFilteredByTestAndNode() throws Exception {
    ScriptedNotes notes = new ScriptedNotes();
    notes.alert(T0 + 60, T0 + 600, "critical", "100001", "540", "Catchpoint critical alert (timing): Homepage");
    notes.alert(T0 + 120, 0, "warning", "100002", null, "Catchpoint warning alert (timing): dns-probe");
    notes.global.add(new Note("", T0 + 30, 0, "a deploy", "", Collections.<String, String>emptyMap()));
    bridge = new GrafanaBridge(source, notes, names, catalog, () -> configured,
        new BridgeSettings(31L * 86400, 500, 1_000_000));

    JsonNode frame = ok("query", query("[{\"target\":\"alerts\",\"refId\":\"A\",\"payload\":{}}]")).get(0);
    assertEquals("alerts", frame.path("name").asText());
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    frame.path("fields").forEach(f -> fields.put(f.path("name").asText(), f.path("values")));
    assertEquals(Json.MAPPER.readTree("[1705320060000,1705320120000]"), fields.get("time"), "not the deploy note");
    assertEquals(Json.MAPPER.readTree("[1705320600000,1705323600000]"), fields.get("timeEnd"),
        "the improved one ends at its improvement, the open one at the end of the range");
    assertEquals("Catchpoint critical alert (timing): Homepage", fields.get("text").get(0).asText());
    assertEquals(Json.MAPPER.readTree("[\"catchpoint\",\"alert\",\"critical\",\"test_id:100001\",\"node_id:540\","
        + "\"alert_type:timing\",\"ended\"]"), fields.get("tags").get(0));
    assertEquals(1705320000L, notes.asked.get(0)[0]);
    assertEquals(1705323600L, notes.asked.get(0)[1]);

    JsonNode one = ok("query", query("[{\"target\":\"alerts\",\"payload\":{\"test\":\"dns-probe\"}}]")).get(0);
    assertEquals("[1705320120000]", one.path("fields").get(0).path("values").toString(), "test by name");

    JsonNode listed = ok("annotations", "{\"range\":{\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\"},"
        + "\"annotation\":{\"name\":\"alerts\",\"query\":\"alerts node=540\"}}");
    assertEquals(1, listed.size(), listed::toString);
    assertEquals(1705320060000L, listed.get(0).path("time").asLong());
    assertEquals(1705320600000L, listed.get(0).path("timeEnd").asLong());
    assertTrue(listed.get(0).path("isRegion").asBoolean());
    assertEquals(0, source.asked.size(), "alerts alone query no series");

    source.add("catchpoint.run", tags("test_id", "100002", "node_id", "313"), new long[] {T0 + 312},
        new double[] {0});
    JsonNode both = ok("annotations", "{\"range\":{\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\"},"
        + "\"annotation\":{\"name\":\"all\"}}");
    assertEquals(3, both.size(), "a query naming neither gives the failed runs and the alerts: " + both);
  }

  @Test
  void simpleJsonAnnotationsTakeFiltersInTheirQuery() throws Exception {
    source.add("catchpoint.run", tags("test_id", "100002", "node_id", "313"), new long[] {T0 + 312},
        new double[] {0});
    JsonNode answer = ok("annotations", "{\"range\":{\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\"},"
        + "\"annotation\":{\"name\":\"failures\",\"enable\":true,\"query\":\"failed_runs test=dns-probe\"}}");
    assertEquals(1, answer.size());
    assertEquals(1705320312000L, answer.get(0).path("time").asLong());
    assertEquals("failures", answer.get(0).path("annotation").path("name").asText());
    assertEquals(Collections.singletonMap("test_id", Collections.singletonList("100002")), source.asked.get(0).filters);
    refused(400, "annotations", "{\"range\":{\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\"},"
        + "\"annotation\":{\"query\":\"failed_runs colour=red\"}}");
  }

  @Test
  void variablesAreTestsNodesAndCatalogAttributesWithNamesAsTextAndIdsAsValue() throws Exception {
    assertEquals(Json.MAPPER.readTree("[{\"__text\":\"Homepage (prod)\",\"__value\":\"100001\"},"
        + "{\"__text\":\"dns-probe\",\"__value\":\"100002\"},{\"__text\":\"100009\",\"__value\":\"100009\"}]"),
        ok("variable", "{\"payload\":{\"target\":\"tests\"},\"range\":{}}"));
    assertEquals(Json.MAPPER.readTree("[{\"__text\":\"dns-probe\",\"__value\":\"100002\"}]"),
        ok("variable", "{\"payload\":{\"target\":\"tests:dns\"}}"));
    assertEquals(Json.MAPPER.readTree("[{\"__text\":\"Sydney, AU - Telstra\",\"__value\":\"312\"}]"),
        ok("variable", "{\"payload\":{\"target\":\"nodes:Australia\"}}"));
    assertEquals(Json.MAPPER.readTree("[{\"__text\":\"Frankfurt\",\"__value\":\"Frankfurt\"},"
        + "{\"__text\":\"Jinan\",\"__value\":\"Jinan\"},{\"__text\":\"Sydney\",\"__value\":\"Sydney\"}]"),
        ok("variable", "{\"payload\":{\"target\":\"cities\"}}"));
    assertEquals(Json.MAPPER.readTree("[{\"__text\":\"api\",\"__value\":\"api\"},{\"__text\":\"dns\","
        + "\"__value\":\"dns\"},{\"__text\":\"web\",\"__value\":\"web\"}]"),
        ok("variable", "{\"payload\":{\"target\":\"test_types\"}}"));
    refused(400, "variable", "{\"payload\":{\"target\":\"colours\"}}");
    refused(400, "variable", "{}");
  }

  @Test
  void twoTestsOfOneNameAreToldApartByTheirIds() throws Exception {
    names.observe(Run.builder(100003, 540, T0).typeId(0).names("Homepage (prod)", null)
        .add(new Measurement("catchpoint.run", 1)).build());
    JsonNode tests = ok("variable", "{\"payload\":{\"target\":\"tests:web\"}}");
    assertEquals(Json.MAPPER.readTree("[{\"__text\":\"Homepage (prod) (100001)\",\"__value\":\"100001\"},"
        + "{\"__text\":\"Homepage (prod) (100003)\",\"__value\":\"100003\"}]"), tests);
  }

  @Test
  void adHocFilterKeysAndValues() throws Exception {
    JsonNode keys = ok("tag-keys", "{}");
    assertEquals("{\"type\":\"string\",\"text\":\"test\"}", keys.get(0).toString());
    List<String> all = new ArrayList<>();
    keys.forEach(k -> all.add(k.path("text").asText()));
    assertTrue(all.containsAll(Arrays.asList("node", "country", "city", "test_type")), all.toString());
    assertEquals(Json.MAPPER.readTree("[{\"text\":\"Australia\"},{\"text\":\"China\"},{\"text\":\"Germany\"}]"),
        ok("tag-values", "{\"key\":\"country\"}"));
    refused(400, "tag-values", "{\"key\":\"colour\"}");
  }

  @Test
  void simpleJsonSearchListsMetricsOrAVariablesValues() throws Exception {
    JsonNode all = ok("search", "{\"target\":\"\"}");
    assertEquals(GrafanaBridge.FAILED_RUNS, all.get(0).asText());
    assertEquals(Json.MAPPER.readTree("[{\"text\":\"Sydney, AU - Telstra\",\"value\":\"312\"}]"),
        ok("search", "{\"target\":\"nodes:Australia\"}"));
  }

  @Test
  void everyBoundIsA400ThatSaysWhichAndWhere() throws Exception {
    bridge = new GrafanaBridge(source, names, catalog, () -> configured, new BridgeSettings(7200, 2, 3));
    String longRange = query("[{\"target\":\"catchpoint.run\"}]").replace(TO, "2024-01-15T14:00:01.000Z");
    assertEquals("range_too_long", refused(400, "query", longRange).path("kind").asText());
    for (int i = 0; i < 3; i++) {
      source.add("catchpoint.run", tags("test_id", "10000" + i), new long[] {T0}, new double[] {1});
    }
    JsonNode series = refused(400, "query", query("[{\"target\":\"catchpoint.run\",\"refId\":\"A\"}]"));
    assertEquals("too_many_series", series.path("kind").asText());
    assertEquals("targets[0]", series.path("where").asText());
    source.byMetric.clear();
    source.add("catchpoint.run", tags("test_id", "1"), new long[] {T0, T0 + 1, T0 + 2, T0 + 3},
        new double[] {1, 1, 1, 1});
    assertEquals("too_many_datapoints", refused(400, "query", query("[{\"target\":\"catchpoint.run\"}]"))
        .path("kind").asText());
  }

  @Test
  void deeplyNestedBodiesAreRefusedBeforeJacksonRecursesIntoThem() throws Exception {
    // 100,000 brackets overflowed the Netty thread's stack in Jackson's tree builder: no answer at all.
    assertEquals("too_deep", refused(400, "query", "[".repeat(100_000)).path("kind").asText());
    assertEquals("too_deep", refused(400, "search", "{\"a\":".repeat(50_000)).path("kind").asText());
    // Brackets inside strings are text, not nesting.
    assertEquals("range.from", refused(400, "query", "{\"targets\":[],\"x\":\"" + "[".repeat(1000) + "\\\"\"}")
        .path("where").asText());
  }

  @Test
  void badRequestsAreToldWhatAndWhere() throws Exception {
    assertEquals("invalid_json", refused(400, "query", "{not json").path("kind").asText());
    assertEquals("range.from", refused(400, "query", "{\"targets\":[]}").path("where").asText());
    assertEquals("targets[0].target", refused(400, "query", query("[{\"target\":\"cpu.idle\"}]"))
        .path("where").asText());
    assertEquals("targets[0].payload.aggregate", refused(400, "query",
        query("[{\"target\":\"catchpoint.run\",\"payload\":{\"aggregate\":\"p99\"}}]")).path("where").asText());
    assertEquals("targets[0].payload.group_by", refused(400, "query",
        query("[{\"target\":\"catchpoint.run\",\"payload\":{\"group_by\":\"colour\"}}]")).path("where").asText());
    assertEquals("range", refused(400, "query", query("[]").replace(TO, FROM)).path("where").asText());
    assertEquals("not_found", refused(404, "render", "{}").path("kind").asText());
    Response get = call("GET", "query", "");
    assertEquals(405, get.status());
    assertEquals("POST", get.headers().get("Allow"));
    assertTrue(source.asked.isEmpty(), "nothing bad reached the TSD: " + source.asked);
  }

  @Test
  void aHiddenTargetIsNotQueriedAndAFailingTsdIsA503() throws Exception {
    assertEquals(Json.MAPPER.readTree("[]"), ok("query", query("[{\"target\":\"catchpoint.run\",\"hide\":true}]")));
    assertTrue(source.asked.isEmpty());
    source.failure = new IllegalStateException("HBase is gone");
    Response r = call("POST", "query", query("[{\"target\":\"catchpoint.run\"}]"));
    assertEquals(503, r.status(), r.bodyText());
    source.failure = new IllegalArgumentException("No such downsampling function: p99");
    assertEquals("invalid_query", refused(400, "query", query("[{\"target\":\"catchpoint.run\"}]"))
        .path("kind").asText());
  }

  @Test
  void browserAccessGetsItsCorsAnswer() throws Exception {
    Response r = call("OPTIONS", "query", "");
    assertEquals(204, r.status());
    assertEquals("*", r.headers().get("Access-Control-Allow-Origin"));
    assertTrue(r.headers().get("Access-Control-Allow-Methods").contains("POST"));
  }

  @Test
  void listsTakeTheFormsGrafanaSendsAVariableIn() {
    assertEquals(Arrays.asList("1", "2"), Requests.list(Json.MAPPER.valueToTree("(1|2)"), null));
    assertEquals(Arrays.asList("1", "2"), Requests.list(Json.MAPPER.valueToTree("{1,2}"), null));
    assertEquals(Arrays.asList("a", "b"), Requests.list(Json.MAPPER.valueToTree(Arrays.asList("a", "b")), null));
    assertEquals(Collections.singletonList("Frankfurt, DE - AWS"),
        Requests.list(Json.MAPPER.valueToTree("Frankfurt, DE \\- AWS"), null), "a regex-escaped name");
    assertEquals(Arrays.asList("a|b (x)", "c"), Requests.list(Json.MAPPER.valueToTree("(a\\|b \\(x\\)|c)"),
        null));
    assertEquals(Collections.singletonList("test"), Requests.list(Json.MAPPER.valueToTree(""), "test"));
  }

  /** Found by GrafanaBridgeFuzzTest's first run: Jackson 2.9's byte parser threw ArrayIndexOutOfBoundsException (a 500). */
  @Test
  void aBadlyEscapedBodyIsInvalidJson() throws Exception {
    assertEquals("invalid_json", refused(400, "query", "{\"target\\u00\u00e9\":1}").path("kind").asText());
  }
}

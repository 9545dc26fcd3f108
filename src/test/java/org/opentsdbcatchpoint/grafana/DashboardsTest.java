package org.opentsdbcatchpoint.grafana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.sink.Forwarder;

/**
 * The Grafana dashboards of grafana/: what Grafana needs to load them, every name they use against the
 * naming contract and the counters the code writes, what each must show, and the provisioning example.
 * No Grafana runs here; DashboardsIT sends their queries to a real TSD.
 */
class DashboardsTest {
  private static OwnCounters own;

  @BeforeAll
  static void readTheCounters() throws Exception {
    own = OwnCounters.fromSource();
  }

  private static List<String> problems(JsonNode dashboard) {
    return DashboardCheck.problems(dashboard, own);
  }

  @Test
  void theThreeDashboardsAreThere() throws Exception {
    try (Stream<Path> files = Files.list(GrafanaOpenTsdb.DASHBOARDS)) {
      assertEquals(new TreeSet<>(GrafanaOpenTsdb.FILES),
          files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"catchpoint-overview.json", "catchpoint-test.json", "catchpoint-ingestion.json"})
  void eachDashboardIsWhatGrafanaAndTheNamingContractNeed(String file) throws Exception {
    assertEquals(List.of(), problems(GrafanaOpenTsdb.load(file)), file);
  }

  @Test
  void uidsAndTitlesDiffer() throws Exception {
    Set<String> uids = new HashSet<>();
    Set<String> titles = new HashSet<>();
    for (String f : GrafanaOpenTsdb.FILES) {
      JsonNode d = GrafanaOpenTsdb.load(f);
      assertTrue(uids.add(d.path("uid").asText()), f);
      assertTrue(titles.add(d.path("title").asText()), f);
      assertEquals(f, d.path("uid").asText() + ".json", "the file is named after the uid");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The check fails what it must fail
  // ---------------------------------------------------------------------------------------------

  private static ObjectNode firstTarget(JsonNode d) {
    for (JsonNode p : GrafanaOpenTsdb.panels(d)) {
      if (p.path("targets").size() > 0) {
        return (ObjectNode) p.path("targets").get(0);
      }
    }
    throw new AssertionError("no target");
  }

  private static ObjectNode targetOf(JsonNode d, String metric) {
    for (JsonNode p : GrafanaOpenTsdb.panels(d)) {
      for (JsonNode t : p.path("targets")) {
        if (t.path("metric").asText().equals(metric)) {
          return (ObjectNode) t;
        }
      }
    }
    throw new AssertionError("no target of " + metric);
  }

  private static void assertFails(String file, String expected, Consumer<ObjectNode> change) throws Exception {
    ObjectNode d = (ObjectNode) GrafanaOpenTsdb.load(file);
    change.accept(d);
    List<String> problems = problems(d);
    assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
        () -> "expected a problem with '" + expected + "', got " + problems);
  }

  @Test
  void aMetricOutsideTheNamingContractFails() throws Exception {
    assertFails("catchpoint-test.json", "catchpoint.timing.time_to_first_byte is not in the naming contract",
        d -> targetOf(d, "catchpoint.timing.dns").put("metric", "catchpoint.timing.time_to_first_byte"));
    assertFails("catchpoint-overview.json", "catchpoint.availability is not in the naming contract",
        d -> firstTarget(d).put("metric", "catchpoint.availability"));
  }

  @Test
  void anOwnSeriesTheCodeDoesNotWriteFails() throws Exception {
    assertFails("catchpoint-ingestion.json", "tsd.catchpoint.push.request is not one of the plugin's own series",
        d -> targetOf(d, "tsd.catchpoint.push.requests").put("metric", "tsd.catchpoint.push.request"));
    // In /api/stats (the RPC plugin's collector) but never written into the TSD.
    assertFails("catchpoint-ingestion.json", "tsd.catchpoint.catalog.age_seconds is not one of the plugin's own series",
        d -> targetOf(d, "tsd.catchpoint.catalog.size").put("metric", "tsd.catchpoint.catalog.age_seconds"));
  }

  @Test
  void aTagKeyOutsideTheContractOrTheDefaultTagLimitFails() throws Exception {
    assertFails("catchpoint-overview.json", "tag key continent is not a tag of catchpoint.run (an enrichment tag",
        d -> ((ObjectNode) firstTarget(d).path("filters").get(0)).put("tagk", "continent"));
    // region is the fifth enrichment tag: a hop or step point keeps four.
    assertFails("catchpoint-test.json", "tag key region is not a tag of catchpoint.traceroute.hop_rtt_avg",
        d -> ((ArrayNode) targetOf(d, "catchpoint.traceroute.hop_rtt_avg").path("filters")).addObject()
            .put("type", "wildcard").put("tagk", "region").put("filter", "*").put("groupBy", true));
    assertFails("catchpoint-ingestion.json", "tag key account is not a tag of tsd.catchpoint.push.requests",
        d -> ((ObjectNode) targetOf(d, "tsd.catchpoint.push.requests").path("filters").get(1)).put("tagk", "account"));
  }

  @Test
  void aVariableOverAMetricOrTagThatDoesNotExistFails() throws Exception {
    assertFails("catchpoint-overview.json", "catchpoint.runs is not in the naming contract",
        d -> ((ObjectNode) d.path("templating").path("list").get(1)).put("query", "tag_values(catchpoint.runs, test_type)")
            .put("definition", "tag_values(catchpoint.runs, test_type)"));
    assertFails("catchpoint-overview.json", "tag key testid is not a tag of catchpoint.run",
        d -> ((ObjectNode) d.path("templating").path("list").get(1)).put("query", "tag_values(catchpoint.run, testid)")
            .put("definition", "tag_values(catchpoint.run, testid)"));
  }

  @Test
  void theQueryOptionsTheDatasourceNeedsAreChecked() throws Exception {
    assertFails("catchpoint-ingestion.json", "is a cumulative counter: shouldComputeRate and isCounter",
        d -> targetOf(d, "tsd.catchpoint.push.requests").put("shouldComputeRate", false));
    assertFails("catchpoint-ingestion.json", "is no counter: no rate",
        d -> targetOf(d, "tsd.catchpoint.pull.lag_seconds").put("shouldComputeRate", true).put("isCounter", true));
    assertFails("catchpoint-overview.json", "downsampleInterval must be \"\"",
        d -> firstTarget(d).put("downsampleInterval", "1h"));
    assertFails("catchpoint-overview.json", "downsampleAggregator '' is not one of",
        d -> firstTarget(d).remove("downsampleAggregator"));
    assertFails("catchpoint-overview.json", "need a literal_or filter",
        d -> ((ObjectNode) firstTarget(d).path("filters").get(0)).put("type", "wildcard"));
    assertFails("catchpoint-overview.json", "uses $tests, which is no variable",
        d -> ((ObjectNode) firstTarget(d).path("filters").get(0)).put("filter", "$tests"));
    assertFails("catchpoint-overview.json", "alias uses $tag_city but the target does not group by city",
        d -> firstTarget(d).put("alias", "$tag_city"));
    assertFails("catchpoint-test.json", "a second target of catchpoint.timing.dns in one panel",
        d -> targetOf(d, "catchpoint.timing.connect").put("metric", "catchpoint.timing.dns"));
  }

  @Test
  void theStructureGrafanaNeedsIsChecked() throws Exception {
    assertFails("catchpoint-overview.json", "gridPos needs x, y, w and h",
        d -> ((ObjectNode) d.path("panels").get(0)).remove("gridPos"));
    assertFails("catchpoint-overview.json", "overlaps panel 1",
        d -> ((ObjectNode) d.path("panels").get(1).path("gridPos")).put("x", 0));
    assertFails("catchpoint-overview.json", "datasource must be {\"type\": \"opentsdb\"",
        d -> ((ObjectNode) d.path("panels").get(0)).putObject("datasource").put("uid", "P1234"));
    assertFails("catchpoint-overview.json", "schemaVersion", d -> d.put("schemaVersion", 27));
    assertFails("catchpoint-overview.json", "no templating.list", d -> d.remove("templating"));
    assertFails("catchpoint-overview.json", "no annotations.list", d -> d.remove("annotations"));
    assertFails("catchpoint-overview.json", "expected one input DS_OPENTSDB", d -> d.remove("__inputs"));
    assertFails("catchpoint-overview.json", "no targets",
        d -> ((ObjectNode) d.path("panels").get(0)).putArray("targets"));
  }

  // ---------------------------------------------------------------------------------------------
  // What each dashboard shows
  // ---------------------------------------------------------------------------------------------

  /** Every target of a dashboard with the tag keys it groups by. */
  private static Map<JsonNode, Set<String>> targets(JsonNode d) {
    Map<JsonNode, Set<String>> out = new LinkedHashMap<>();
    for (JsonNode p : GrafanaOpenTsdb.panels(d)) {
      for (JsonNode t : p.path("targets")) {
        Set<String> by = new TreeSet<>();
        for (JsonNode f : t.path("filters")) {
          if (f.path("groupBy").asBoolean()) {
            by.add(f.path("tagk").asText());
          }
        }
        out.put(t, by);
      }
    }
    return out;
  }

  private static boolean shows(JsonNode d, String metric, String aggregator, String groupBy) {
    for (Map.Entry<JsonNode, Set<String>> e : targets(d).entrySet()) {
      JsonNode t = e.getKey();
      if (t.path("metric").asText().equals(metric) && (aggregator == null || t.path("aggregator").asText().equals(aggregator))
          && (groupBy == null ? e.getValue().isEmpty() : e.getValue().contains(groupBy))) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> metrics(JsonNode d) {
    Set<String> out = new TreeSet<>();
    targets(d).keySet().forEach(t -> out.add(t.path("metric").asText()));
    return out;
  }

  @Test
  void theOverviewShowsAvailabilityAndResponseTimeByTestPlaceNetworkAndNode() throws Exception {
    JsonNode d = GrafanaOpenTsdb.load("catchpoint-overview.json");
    for (String by : Arrays.asList(null, Vocabulary.TAG_TEST_ID, "country", "city", "isp", "asn", Vocabulary.TAG_NODE_ID)) {
      assertTrue(shows(d, Vocabulary.RUN, "avg", by), "availability (catchpoint.run, avg) by " + by);
      assertTrue(shows(d, "catchpoint.timing.total", "avg", by), "response time by " + by);
    }
    // The worst nodes: tables of every node, sorted by the mean.
    int tables = 0;
    for (JsonNode p : GrafanaOpenTsdb.panels(d)) {
      if (p.path("type").asText().equals("table")) {
        tables++;
        assertTrue(p.path("options").path("sortBy").size() == 1, p.path("title").asText());
        assertEquals("reduce", p.path("transformations").get(0).path("id").asText(), p.path("title").asText());
      }
    }
    assertEquals(2, tables, "lowest availability and slowest nodes");
  }

  @Test
  void theTestDashboardShowsEveryMeasurementOfTheContract() throws Exception {
    JsonNode d = GrafanaOpenTsdb.load("catchpoint-test.json");
    Set<String> shown = metrics(d);
    List<String> missing = new ArrayList<>();
    for (String group : Arrays.asList(Vocabulary.TIMING, Vocabulary.BYTES, Vocabulary.COUNT, Vocabulary.ERROR,
        Vocabulary.PING)) {
      for (String key : Vocabulary.knownKeys(group)) {
        if (!shown.contains(Vocabulary.PREFIX + group + "." + key)) {
          missing.add(Vocabulary.PREFIX + group + "." + key);
        }
      }
    }
    for (String m : Arrays.asList(Vocabulary.RUN, Vocabulary.TRACEROUTE_HOP_COUNT, Vocabulary.TRACEROUTE_LAST_HOP_RTT,
        Vocabulary.TRACEROUTE_LAST_HOP_LOSS, Vocabulary.TRACEROUTE_HOP_RTT, Vocabulary.TRACEROUTE_HOP_LOSS)) {
      if (!shown.contains(m)) {
        missing.add(m);
      }
    }
    assertEquals(List.of(), missing, "the per-test dashboard lacks these metrics");
    assertTrue(shows(d, Vocabulary.TRACEROUTE_HOP_RTT, null, Vocabulary.TAG_HOP), "round trip per hop");
    assertTrue(shows(d, Vocabulary.TRACEROUTE_HOP_LOSS, null, Vocabulary.TAG_HOP), "loss per hop");
    assertTrue(shows(d, Vocabulary.ERROR_CODE, null, Vocabulary.TAG_NODE_ID), "error codes by node");
    // Every target is of the one test chosen.
    for (JsonNode t : targets(d).keySet()) {
      boolean ofTheTest = false;
      for (JsonNode f : t.path("filters")) {
        ofTheTest |= f.path("tagk").asText().equals(Vocabulary.TAG_TEST_ID) && f.path("filter").asText().equals("$test");
      }
      assertTrue(ofTheTest, t.path("metric").asText() + " is not filtered by $test");
    }
  }

  @Test
  void theIngestionDashboardShowsPushesPullsAndForwarders() throws Exception {
    JsonNode d = GrafanaOpenTsdb.load("catchpoint-ingestion.json");
    assertTrue(shows(d, "tsd.catchpoint.push.requests", null, "status"), "push rate by status");
    assertTrue(shows(d, "tsd.catchpoint.push.errors", null, "kind"), "refused pushes by kind");
    assertTrue(shows(d, "tsd.catchpoint.push.fields.skipped", null, "reason"), "skipped fields by reason");
    assertTrue(shows(d, "tsd.catchpoint.push.ack.latency_ms", null, "quantile"), "p50 and p99");
    assertTrue(shows(d, "tsd.catchpoint.pull.lag_seconds", null, "account"), "pull lag per account");
    assertTrue(shows(d, "tsd.catchpoint.pull.datapoints", null, "account"), "pulled datapoints per account");
    assertTrue(shows(d, "tsd.catchpoint.pull.windows_failed", null, "account"), "failed windows per account");
    assertTrue(shows(d, "tsd.catchpoint.forward.queue_depth", null, "target"), "forwarder queues");
    assertTrue(shows(d, "tsd.catchpoint.forward.retry_buffer_depth", null, "target"), "forwarder retry buffers");
    for (String reason : Forwarder.DROP_REASONS) {
      assertTrue(shows(d, "tsd.catchpoint.forward.dropped." + reason, null, "target"), "drops: " + reason);
    }
    Set<String> shown = metrics(d);
    assertTrue(shown.stream().allMatch(m -> m.startsWith("tsd.catchpoint.")), shown::toString);
  }

  private static Map<String, JsonNode> variables(JsonNode d) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    d.path("templating").path("list").forEach(v -> out.put(v.path("name").asText(), v));
    return out;
  }

  @Test
  void theVariablesListTestsNodesPlacesAndTypesWithTagValues() throws Exception {
    Map<String, JsonNode> overview = variables(GrafanaOpenTsdb.load("catchpoint-overview.json"));
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("test_type", Vocabulary.TAG_TEST_TYPE);
    expected.put("test", Vocabulary.TAG_TEST_ID);
    expected.put("country", "country");
    expected.put("city", "city");
    expected.put("isp", "isp");
    expected.put("node", Vocabulary.TAG_NODE_ID);
    for (Map.Entry<String, String> e : expected.entrySet()) {
      JsonNode v = overview.get(e.getKey());
      assertNotNull(v, "overview variable " + e.getKey());
      GrafanaOpenTsdb.TagValues tv = GrafanaOpenTsdb.tagValues(v.path("query").asText());
      assertEquals(Vocabulary.RUN, tv.metric, e.getKey());
      assertEquals(e.getValue(), tv.tagk, e.getKey());
      assertTrue(v.path("multi").asBoolean() && v.path("includeAll").asBoolean(), e.getKey() + " is multi-value with All");
    }
    Map<String, JsonNode> test = variables(GrafanaOpenTsdb.load("catchpoint-test.json"));
    assertFalse(test.get("test").path("multi").asBoolean(), "one test at a time");
    assertEquals("tag_values(catchpoint.run, node_id, test_id=$test)", test.get("node").path("query").asText());
    for (String f : GrafanaOpenTsdb.FILES) {
      JsonNode ds = variables(GrafanaOpenTsdb.load(f)).get(GrafanaOpenTsdb.DS_INPUT);
      assertNotNull(ds, f + " has the datasource variable");
      assertEquals("datasource", ds.path("type").asText());
    }
  }

  @Test
  void annotationsOfTheTestsSeriesAndGlobalOnesOnSeriesThatExist() throws Exception {
    for (String f : Arrays.asList("catchpoint-overview.json", "catchpoint-test.json")) {
      Set<Boolean> kinds = new HashSet<>();
      for (JsonNode a : GrafanaOpenTsdb.load(f).path("annotations").path("list")) {
        if (a.path("builtIn").asInt() != 1) {
          assertEquals(Vocabulary.RUN, a.path("target").asText(), f);
          kinds.add(a.path("isGlobal").asBoolean());
        }
      }
      assertEquals(Set.of(true, false), kinds, f + ": one query of the series' notes, one of the global notes");
    }
    boolean global = false;
    for (JsonNode a : GrafanaOpenTsdb.load("catchpoint-ingestion.json").path("annotations").path("list")) {
      global |= a.path("isGlobal").asBoolean();
    }
    assertTrue(global, "the ingestion dashboard shows the global notes");
  }

  // ---------------------------------------------------------------------------------------------
  // The reading of the code and of Grafana's datasource
  // ---------------------------------------------------------------------------------------------

  @Test
  void theOwnSeriesAreReadFromTheCode() throws Exception {
    Map<String, OwnCounters.Series> all = own.all();
    assertEquals("status", all.get("tsd.catchpoint.push.requests").tagKey);
    assertFalse(all.get("tsd.catchpoint.push.requests").gauge);
    assertEquals(null, all.get("tsd.catchpoint.push.datapoints.written").tagKey);
    assertEquals("reason", all.get("tsd.catchpoint.push.fields.skipped").tagKey);
    assertEquals("account", all.get("tsd.catchpoint.pull.windows_failed").tagKey);
    assertTrue(all.get("tsd.catchpoint.pull.lag_seconds").gauge);
    assertEquals("account", all.get("tsd.catchpoint.pull.lag_seconds").tagKey);
    assertTrue(all.get("tsd.catchpoint.catalog.size").gauge);
    assertEquals("quantile", all.get("tsd.catchpoint.push.ack.latency_ms").tagKey);
    assertTrue(all.get("tsd.catchpoint.forward.queue_depth").gauge);
    assertEquals("target", all.get("tsd.catchpoint.forward.queue_depth").tagKey);
    for (String reason : Forwarder.DROP_REASONS) {
      OwnCounters.Series s = all.get("tsd.catchpoint.forward.dropped." + reason);
      assertNotNull(s, reason);
      assertEquals("target", s.tagKey);
    }
    // Every other literal counter name of the code is one that only /api/stats reports.
    Path main = Paths.get("src", "main", "java");
    Set<String> statsOnly = new TreeSet<>();
    Pattern record = Pattern.compile("collector\\.record\\(\\s*\"(catchpoint\\.[a-z0-9_.]+)\"");
    try (Stream<Path> files = Files.walk(main)) {
      for (Path p : files.filter(x -> x.toString().endsWith(".java")).collect(Collectors.toList())) {
        Matcher m = record.matcher(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
        while (m.find()) {
          statsOnly.add(m.group(1));
        }
      }
    }
    for (String unread : OwnCounters.unread(own, main)) {
      String name = unread.substring(unread.indexOf(": ") + 2);
      assertTrue(statsOnly.contains(name), "a counter name the reader of the code did not take: " + unread);
    }
  }

  @Test
  void aTargetBecomesTheQueryTheDatasourceSends() throws Exception {
    JsonNode d = GrafanaOpenTsdb.load("catchpoint-overview.json");
    JsonNode byTest = null;
    for (JsonNode p : GrafanaOpenTsdb.panels(d)) {
      if (p.path("title").asText().equals("Availability by test")) {
        byTest = p.path("targets").get(0);
      }
    }
    Map<String, List<String>> values = new LinkedHashMap<>();
    values.put("test", List.of("100001", "100002"));
    values.put("test_type", List.of("web"));
    values.put("node", List.of("540"));
    values.put("country", List.of("Germany"));
    values.put("city", List.of("Frankfurt"));
    values.put("isp", List.of("Amazon"));
    JsonNode expected = GrafanaOpenTsdb.JSON.readTree("{\"metric\":\"catchpoint.run\",\"aggregator\":\"avg\","
        + "\"downsample\":\"5m-avg\",\"filters\":["
        + "{\"type\":\"literal_or\",\"tagk\":\"test_id\",\"filter\":\"100001|100002\",\"groupBy\":true},"
        + "{\"type\":\"literal_or\",\"tagk\":\"test_type\",\"filter\":\"web\",\"groupBy\":false},"
        + "{\"type\":\"literal_or\",\"tagk\":\"node_id\",\"filter\":\"540\",\"groupBy\":false},"
        + "{\"type\":\"literal_or\",\"tagk\":\"country\",\"filter\":\"Germany\",\"groupBy\":false},"
        + "{\"type\":\"literal_or\",\"tagk\":\"city\",\"filter\":\"Frankfurt\",\"groupBy\":false},"
        + "{\"type\":\"literal_or\",\"tagk\":\"isp\",\"filter\":\"Amazon\",\"groupBy\":false}]}");
    assertEquals(expected, GrafanaOpenTsdb.subQuery(byTest, "5m", values));

    JsonNode counter = targetOf(GrafanaOpenTsdb.load("catchpoint-ingestion.json"), "tsd.catchpoint.push.requests");
    ObjectNode q = GrafanaOpenTsdb.subQuery(counter, "10s", Map.of("host", List.of("tsd-1")));
    assertEquals("10s-sum", q.path("downsample").asText());
    assertTrue(q.path("rate").asBoolean());
    assertEquals(GrafanaOpenTsdb.JSON.readTree("{\"counter\":true,\"dropResets\":true}"), q.path("rateOptions"));

    GrafanaOpenTsdb.TagValues tv = GrafanaOpenTsdb.tagValues("tag_values(catchpoint.run, node_id, test_id=$test)");
    assertEquals("catchpoint.run{node_id=*,test_id=100004}", tv.lookup(Map.of("test", List.of("100004"))));
    assertEquals("5m", GrafanaOpenTsdb.interval(2 * 3_600_000L, "5m"));
    assertEquals("5s", GrafanaOpenTsdb.interval(3_600_000L, ""));
  }

  // ---------------------------------------------------------------------------------------------
  // Provisioning and the README
  // ---------------------------------------------------------------------------------------------

  /** {@code key: value} lines of a small YAML file, comments dropped (enough for these two files). */
  private static Map<String, String> yaml(String path) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Paths.get(path), StandardCharsets.UTF_8)) {
      String l = line.replaceAll("\\s+#.*$", "");
      if (l.trim().startsWith("#") || !l.contains(":")) {
        continue;
      }
      String key = l.trim().replaceFirst("^- ", "");
      int colon = key.indexOf(':');
      out.putIfAbsent(key.substring(0, colon).trim(), key.substring(colon + 1).trim());
    }
    return out;
  }

  @Test
  void theProvisionedDatasourceIsTheOneTheDashboardsSelect() throws Exception {
    Map<String, String> ds = yaml("grafana/provisioning/datasources/opentsdb.yaml");
    assertEquals("1", ds.get("apiVersion"));
    assertEquals("opentsdb", ds.get("type"));
    assertEquals("4", ds.get("tsdbVersion"), "OpenTSDB 2.4");
    assertEquals("1", ds.get("tsdbResolution"), "seconds");
    assertTrue(ds.get("uid").matches("[a-zA-Z0-9_-]{1,40}"), ds.get("uid"));
    for (String f : GrafanaOpenTsdb.FILES) {
      JsonNode v = variables(GrafanaOpenTsdb.load(f)).get(GrafanaOpenTsdb.DS_INPUT);
      assertEquals(ds.get("uid"), v.path("current").path("value").asText(), f + ": the variable selects the provisioned uid");
      assertEquals(ds.get("name"), v.path("current").path("text").asText(), f);
    }
    Map<String, String> dashboards = yaml("grafana/provisioning/dashboards/catchpoint.yaml");
    assertEquals("1", dashboards.get("apiVersion"));
    assertEquals("file", dashboards.get("type"));
    assertTrue(dashboards.get("path").startsWith("/"), "an absolute path: " + dashboards.get("path"));
  }

  @Test
  void theReadmeNamesEveryFileAndItsLinksLead() throws Exception {
    Path readme = Paths.get("grafana", "README.md");
    String text = new String(Files.readAllBytes(readme), StandardCharsets.UTF_8);
    for (String f : GrafanaOpenTsdb.FILES) {
      assertTrue(text.contains(f), "grafana/README.md does not name " + f);
    }
    assertTrue(text.contains("provisioning/datasources/opentsdb.yaml"), "datasource provisioning");
    assertTrue(text.contains("provisioning/dashboards/catchpoint.yaml"), "dashboard provisioning");
    Matcher m = Pattern.compile("\\]\\(((?!https?:)[^)#]+)(#[^)]*)?\\)").matcher(text);
    while (m.find()) {
      assertTrue(Files.exists(readme.toAbsolutePath().getParent().resolve(m.group(1)).normalize()),
          "grafana/README.md links to " + m.group(1) + ", which does not exist");
    }
  }
}

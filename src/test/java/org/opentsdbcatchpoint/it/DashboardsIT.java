package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.grafana.GrafanaOpenTsdb;
import org.opentsdbcatchpoint.mapping.Vocabulary;

/**
 * The Grafana dashboards of grafana/ against the real TSD, as Grafana's built-in OpenTSDB datasource
 * (tsdbVersion 4) would query it: every panel target becomes its {@code POST /api/query} (variables
 * replaced by values the TSD has), every variable its {@code /api/search/lookup}, every annotation query
 * its {@code /api/query}; each must answer with data. The Catchpoint series are queried over the
 * fixtures' runs (2024-01-15, 11:00 to 13:00 UTC), the plugin's own tsd.catchpoint.* series over the
 * last hour (stats.write_interval is 5 s on the test stack).
 */
@Order(5)
class DashboardsIT {
  private static final long FROM = 1705316400L;
  private static final long TO = 1705323600L;
  /** A run with every known measurement of the naming contract, by a test of its own, at 12:20. */
  private static final String COMPLETE_TEST = "100080";
  private static final long COMPLETE_TIME = 1705321200L;
  /** The own series are written every 5 s; a rate needs two points, a failed window a pull. */
  private static final Duration OWN_SERIES_DEADLINE = Duration.ofMinutes(3);
  private static final String NOTE = "DashboardsIT: a note on the series of test " + COMPLETE_TEST;
  private static final String GLOBAL_NOTE = "DashboardsIT: a global note";

  @BeforeAll
  static void data() throws Exception {
    // The shared push fixtures (the recommended template is macros, not a run).
    Path dir = Tsd.fixture("push-web-default.json").getParent();
    int pushed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "push-*.json")) {
      for (Path f : files) {
        byte[] body = Files.readAllBytes(f);
        if (new String(body, StandardCharsets.UTF_8).contains("${")) {
          continue;
        }
        Tsd.Answer a = Tsd.push(body);
        assertEquals(200, a.status, () -> f.getFileName() + ": " + a);
        pushed++;
      }
    }
    assertTrue(pushed >= 6, "pushed " + pushed + " fixtures from " + dir);

    // The fixtures have a part of the contract's measurements: one run has them all (template format,
    // grouped: timing.dns, bytes.response_content, ...).
    ObjectNode run = Tsd.JSON.createObjectNode();
    run.put("testId", COMPLETE_TEST);
    run.put("testName", "every measurement (DashboardsIT)");
    run.put("testTypeId", "0");
    run.put("nodeId", "540");
    run.put("tsEpoch", Long.toString(COMPLETE_TIME));
    int values = 0;
    for (String group : List.of(Vocabulary.TIMING, Vocabulary.BYTES, Vocabulary.COUNT, Vocabulary.ERROR,
        Vocabulary.PING, Vocabulary.SCORE)) {
      ObjectNode g = run.putObject(group);
      int i = 1;
      for (String key : Vocabulary.knownKeys(group)) {
        g.put(key, group.equals(Vocabulary.ERROR) ? (key.equals("code") ? "12007" : "1") : Integer.toString(10 * i++));
        values++;
      }
    }
    Tsd.Answer complete = Tsd.push(Tsd.JSON.writeValueAsBytes(run), "application/json", "&details");
    assertEquals(200, complete.status, complete::toString);
    assertEquals(values + 1, complete.json.path("written").asInt(), () -> "every value and catchpoint.run: " + complete);

    // A refused push, so that tsd.catchpoint.push.errors exists.
    Tsd.Answer refused = Tsd.push("{\"TestId\": ".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, refused.status, refused::toString);

    aFailedPullWindow();
  }

  /** A v1 pull against the fake while it answers 503, unless a window failed already. */
  private static void aFailedPullWindow() throws Exception {
    if (failedWindows() > 0) {
      return;
    }
    Pulls.fake("POST", "/__fake/down?seconds=300&api=v1");
    try {
      Pulls.pullNow(Pulls.V1);
    } finally {
      Pulls.fake("POST", "/__fake/reset");
    }
    assertTrue(failedWindows() > 0, "no pull window failed while the fake was down");
  }

  private static long failedWindows() throws Exception {
    Tsd.Answer h = Tsd.get("/plugin/catchpoint/health");
    assertEquals(200, h.status, h::toString);
    long n = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = h.json.path("counters").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().startsWith("catchpoint.pull.windows_failed{")) {
        n += e.getValue().asLong();
      }
    }
    return n;
  }

  // -----------------------------------------------------------------------------------------------
  // The requests of the datasource
  // -----------------------------------------------------------------------------------------------

  static Tsd.Answer query(ObjectNode body) throws Exception {
    return Tsd.send(Tsd.request("/api/query?arrays=true").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Tsd.JSON.writeValueAsBytes(body))).build());
  }

  /** The values of {@code tagk} that /api/search/lookup finds for {@code m}, in Grafana's numeric-then-text order. */
  static List<String> lookup(String m, String tagk) throws Exception {
    Tsd.Answer a = Tsd.get("/api/search/lookup?m=" + URLEncoder.encode(m, StandardCharsets.UTF_8)
        + "&limit=" + GrafanaOpenTsdb.LOOKUP_LIMIT);
    assertEquals(200, a.status, () -> "lookup " + m + ": " + a);
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode r : a.json.path("results")) {
      if (r.path("tags").has(tagk)) {
        out.add(r.path("tags").path(tagk).asText());
      }
    }
    List<String> sorted = new ArrayList<>(out);
    sorted.sort(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
    return sorted;
  }

  /** One dashboard's variables, resolved as Grafana resolves them. */
  static final class Dashboard {
    final String file;
    final JsonNode json;
    final List<JsonNode> queryVariables = new ArrayList<>();
    private final Map<String, List<String>> lookups = new HashMap<>();

    Dashboard(String file) throws Exception {
      this.file = file;
      this.json = GrafanaOpenTsdb.load(file);
      for (JsonNode v : json.path("templating").path("list")) {
        if (v.path("type").asText().equals("query")) {
          queryVariables.add(v);
        }
      }
    }

    List<String> lookupCached(String m, String tagk) throws Exception {
      String key = m + " " + tagk;
      List<String> v = lookups.get(key);
      if (v == null) {
        v = lookup(m, tagk);
        if (!v.isEmpty()) {
          // Nothing yet (the own series' host before their first write) is asked again.
          lookups.put(key, v);
        }
      }
      return v;
    }

    /** The single-valued variable (one test at a time), or null. */
    JsonNode single() {
      JsonNode found = null;
      for (JsonNode v : queryVariables) {
        if (!v.path("multi").asBoolean()) {
          assertTrue(found == null, file + ": one single-valued variable at most in this test");
          found = v;
        }
      }
      return found;
    }

    /** The values a single-valued variable can take. */
    List<String> candidates() throws Exception {
      JsonNode s = single();
      if (s == null) {
        return Collections.singletonList(null);
      }
      GrafanaOpenTsdb.TagValues tv = GrafanaOpenTsdb.tagValues(s.path("query").asText());
      return lookupCached(tv.lookup(Map.of()), tv.tagk);
    }

    /** Every variable's values: the chosen one for the single-valued one, "All" (every value) for the others. */
    Map<String, List<String>> values(String chosen) throws Exception {
      Map<String, List<String>> out = new LinkedHashMap<>();
      for (JsonNode v : queryVariables) {
        String name = v.path("name").asText();
        GrafanaOpenTsdb.TagValues tv = GrafanaOpenTsdb.tagValues(v.path("query").asText());
        if (!v.path("multi").asBoolean()) {
          out.put(name, List.of(chosen));
        } else {
          out.put(name, lookupCached(tv.lookup(out), tv.tagk));
        }
      }
      return out;
    }

    /**
     * Null when the target's query answers a series with data (for some value of the single-valued
     * variable), else why not.
     */
    String whyNoData(JsonNode panel, JsonNode target, long startMillis, Long endMillis) throws Exception {
      long range = (endMillis == null ? System.currentTimeMillis() : endMillis) - startMillis;
      String interval = GrafanaOpenTsdb.interval(range, panel.path("interval").asText(""));
      Set<String> groupBy = new LinkedHashSet<>();
      for (JsonNode f : target.path("filters")) {
        if (f.path("groupBy").asBoolean()) {
          groupBy.add(f.path("tagk").asText());
        }
      }
      String why = "no value to choose";
      for (String chosen : candidates()) {
        Map<String, List<String>> values = values(chosen);
        String empty = null;
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
          if (e.getValue().isEmpty()) {
            empty = e.getKey();
          }
        }
        if (empty != null) {
          why = "variable $" + empty + " lists nothing";
          continue;
        }
        ObjectNode q = GrafanaOpenTsdb.subQuery(target, interval, values);
        ObjectNode body = GrafanaOpenTsdb.queryBody(List.of(q), startMillis, endMillis);
        Tsd.Answer a = query(body);
        if (a.status != 200) {
          String message = a.json != null ? a.json.path("error").path("message").asText(a.body) : a.body;
          return "the TSD refused the query (" + a.status + " " + message + "): " + body;
        }
        String missing = null;
        boolean data = false;
        for (JsonNode s : a.json) {
          data |= s.path("dps").size() > 0;
          for (String tagk : groupBy) {
            if (!s.path("tags").has(tagk)) {
              missing = "a series without the tag " + tagk + " it is grouped by: " + s;
            }
          }
        }
        if (missing != null) {
          return missing;
        }
        if (data) {
          return null;
        }
        why = "no series with data for " + body;
      }
      return why;
    }
  }

  // -----------------------------------------------------------------------------------------------
  // The tests
  // -----------------------------------------------------------------------------------------------

  private static final class Pending {
    final Dashboard dashboard;
    final JsonNode panel;
    final JsonNode target;
    final String where;
    String why = "not queried";

    Pending(Dashboard dashboard, JsonNode panel, JsonNode target) {
      this.dashboard = dashboard;
      this.panel = panel;
      this.target = target;
      this.where = dashboard.file + " '" + panel.path("title").asText() + "' " + target.path("refId").asText() + " "
          + target.path("metric").asText();
    }
  }

  @Test
  void everyPanelTargetAnswersWithData() throws Exception {
    List<String> failures = new ArrayList<>();
    List<Pending> own = new ArrayList<>();
    int catchpoint = 0;
    for (String file : GrafanaOpenTsdb.FILES) {
      Dashboard d = new Dashboard(file);
      for (JsonNode panel : GrafanaOpenTsdb.panels(d.json)) {
        for (JsonNode target : panel.path("targets")) {
          Pending p = new Pending(d, panel, target);
          if (target.path("metric").asText().startsWith("tsd.")) {
            own.add(p);
            continue;
          }
          String why = d.whyNoData(panel, target, FROM * 1000, TO * 1000);
          if (why != null) {
            failures.add(p.where + ": " + why);
          }
          catchpoint++;
        }
      }
    }
    // The own series: the last hour, no end ("now"), until each has data or the deadline.
    int ownCount = own.size();
    long deadline = System.nanoTime() + OWN_SERIES_DEADLINE.toNanos();
    while (!own.isEmpty()) {
      for (Iterator<Pending> it = own.iterator(); it.hasNext(); ) {
        Pending p = it.next();
        p.why = p.dashboard.whyNoData(p.panel, p.target, System.currentTimeMillis() - 3_600_000L, null);
        if (p.why == null) {
          it.remove();
        }
      }
      if (own.isEmpty() || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(1000);
    }
    for (Pending p : own) {
      failures.add(p.where + ": " + p.why + " (within " + OWN_SERIES_DEADLINE.toSeconds() + " s)");
    }
    System.out.println("DashboardsIT: " + catchpoint + " Catchpoint targets and " + ownCount
        + " own-series targets queried as Grafana would");
    assertEquals(List.of(), failures, "panel targets without data");
    assertTrue(catchpoint > 50 && ownCount > 15, catchpoint + " and " + ownCount + " targets");
  }

  @Test
  void everyVariableListsValues() throws Exception {
    Map<String, String> expected = Map.of("test", "100001", "test_type", "web", "node", "540", "country", "Germany",
        "city", "Frankfurt", "isp", "Amazon");
    int lookups = 0;
    for (String file : GrafanaOpenTsdb.FILES) {
      Dashboard d = new Dashboard(file);
      for (String chosen : d.candidates()) {
        Map<String, List<String>> values = pollValues(d, chosen);
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
          assertFalse(e.getValue().isEmpty(), () -> file + ": $" + e.getKey() + " lists nothing (" + values + ")");
          if (expected.containsKey(e.getKey()) && chosen == null) {
            assertTrue(e.getValue().contains(expected.get(e.getKey())), () -> file + ": $" + e.getKey() + " = " + e.getValue());
          }
          lookups++;
        }
      }
      if (d.single() != null) {
        assertTrue(d.candidates().contains("100001") && d.candidates().contains(COMPLETE_TEST), d.candidates()::toString);
      }
    }
    System.out.println("DashboardsIT: " + lookups + " variable lookups answered");
  }

  /** The host of the own series is written 5 s after the start: polled, the others are there. */
  private static Map<String, List<String>> pollValues(Dashboard d, String chosen) throws Exception {
    long deadline = System.nanoTime() + OWN_SERIES_DEADLINE.toNanos();
    while (true) {
      Dashboard fresh = new Dashboard(d.file);
      Map<String, List<String>> values = fresh.values(chosen);
      if (values.values().stream().noneMatch(List::isEmpty) || System.nanoTime() > deadline) {
        return values;
      }
      Thread.sleep(1000);
    }
  }

  @Test
  void theAnnotationQueriesReturnTheSeriesAndTheirNotes() throws Exception {
    // A note on the series of the complete run, a global one beside it, and a global one of now.
    Tsd.Answer s = Tsd.get("/api/query?start=" + FROM + "&end=" + TO + "&show_tsuids=true&m="
        + URLEncoder.encode("sum:catchpoint.run{test_id=" + COMPLETE_TEST + "}", StandardCharsets.UTF_8));
    assertEquals(200, s.status, s::toString);
    String tsuid = s.json.get(0).path("tsuids").get(0).asText();
    long nowNote = System.currentTimeMillis() / 1000 - 120;
    note(tsuid, COMPLETE_TIME, NOTE);
    note(null, COMPLETE_TIME + 60, GLOBAL_NOTE);
    note(null, nowNote, GLOBAL_NOTE + " of now");

    int checked = 0;
    for (String file : GrafanaOpenTsdb.FILES) {
      for (JsonNode ann : GrafanaOpenTsdb.load(file).path("annotations").path("list")) {
        if (ann.path("builtIn").asInt() == 1) {
          continue;
        }
        String target = ann.path("target").asText();
        boolean own = target.startsWith("tsd.");
        boolean global = ann.path("isGlobal").asBoolean();
        ObjectNode body = own
            ? GrafanaOpenTsdb.queryBody(List.of(GrafanaOpenTsdb.annotationQuery(target)),
                System.currentTimeMillis() - 3_600_000L, null)
            : GrafanaOpenTsdb.queryBody(List.of(GrafanaOpenTsdb.annotationQuery(target)), FROM * 1000, TO * 1000);
        Tsd.Answer a = query(body);
        String where = file + " annotation '" + ann.path("name").asText() + "'";
        assertEquals(200, a.status, () -> where + ": " + a);
        assertTrue(a.json.size() > 0, () -> where + ": no series, so Grafana shows no annotation: " + body);
        // Grafana reads the first series only.
        JsonNode notes = a.json.get(0).path(global ? "globalAnnotations" : "annotations");
        String description = global ? (own ? GLOBAL_NOTE + " of now" : GLOBAL_NOTE) : NOTE;
        long time = global ? (own ? nowNote : COMPLETE_TIME + 60) : COMPLETE_TIME;
        // The note of this run (a stack whose data is kept has those of earlier runs too), at the time it was
        // written in seconds: Grafana shows it at startTime * 1000.
        boolean found = false;
        for (JsonNode n : notes) {
          found |= n.path("description").asText().equals(description) && n.path("startTime").asLong() == time;
        }
        final boolean shown = found;
        assertTrue(shown, () -> where + ": the first series lacks the note '" + description + "' at " + time + ": "
            + a.json.get(0));
        checked++;
      }
    }
    assertEquals(5, checked, "two annotation queries in the overview and the test dashboard, one in ingestion");
  }

  private static void note(String tsuid, long startTime, String description) throws Exception {
    ObjectNode n = Tsd.JSON.createObjectNode();
    if (tsuid != null) {
      n.put("tsuid", tsuid);
    }
    n.put("startTime", startTime);
    n.put("description", description);
    Tsd.Answer a = Tsd.send(Tsd.request("/api/annotation").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Tsd.JSON.writeValueAsBytes(n))).build());
    assertEquals(200, a.status, () -> "annotation " + n + ": " + a);
  }
}

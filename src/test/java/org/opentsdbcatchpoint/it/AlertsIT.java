package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.opentsdbcatchpoint.grafana.GrafanaOpenTsdb;

/**
 * Catchpoint alerts posted to the real TSD (warning, a second alert in the same second, critical,
 * improved; the recommended template, an integrator's JSON, XML) become OpenTSDB annotations: read back
 * with {@code /api/annotation}, with {@code /api/query} (on the test's series, on each node's, and
 * globally), with the queries Grafana's OpenTSDB datasource sends for the shipped dashboards' annotations,
 * and from the Grafana bridge. Bad alert bodies get the push's answers. A second TSD on the same HBase
 * ends an alert the first opened. A test id and time of its own each run, so that a stack whose data is
 * kept holds no earlier record of them.
 */
@Order(9)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertsIT {
  static final long TEST = 780_000 + ThreadLocalRandom.current().nextInt(100_000);
  /** A minute of 2024-03 of this run's own. */
  static final long T = 1_709_251_200L + (TEST % 40_000) * 60;
  static final String ALERT = "/plugin/catchpoint/alert?token=" + Tsd.TOKEN;
  static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  /** Notes the alerts' answers named: which target, start second -> tsuid (empty for global). */
  static final Map<String, String> TSUIDS = new LinkedHashMap<>();

  @BeforeAll
  static void runsOfTheTestOnTwoNodes() throws Exception {
    for (long node : new long[] {540, 312}) {
      ObjectNode run = (ObjectNode) Tsd.JSON.readTree(Tsd.fixtureBytes("push-web-default.json"));
      run.put("TestId", TEST);
      run.put("NodeId", node);
      run.put("NodeName", node == 540 ? "Frankfurt, DE - AWS" : "Sydney, AU - Telstra");
      String at = COMPACT.format(Instant.ofEpochSecond(T)) + "000";
      run.put("TestRuntime", at);
      ((ObjectNode) run.path("Summary")).put("Timestamp", at);
      Tsd.Answer a = Tsd.push(Tsd.JSON.writeValueAsBytes(run));
      assertEquals(200, a.status, a::toString);
    }
  }

  static Tsd.Answer post(String body, String contentType) throws Exception {
    return post(Tsd.URL, body, contentType);
  }

  static Tsd.Answer post(String tsd, String body, String contentType) throws Exception {
    return Tsd.send(Tsd.request(tsd, ALERT).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  static JsonNode stored(String body, String contentType) throws Exception {
    Tsd.Answer a = post(body, contentType);
    assertEquals(200, a.status, a::toString);
    for (JsonNode n : a.json.path("notes")) {
      TSUIDS.put(n.path("on").asText() + "@" + n.path("startTime").asLong(), n.path("tsuid").asText(""));
    }
    return a.json;
  }

  /** The shipped template, filled as Catchpoint would. */
  static String template(String level, String nodeName, long time) throws Exception {
    String t = new String(Files.readAllBytes(Paths.get("plugin-config", "catchpoint-alert-template.json")),
        StandardCharsets.UTF_8);
    return t.replace("${testId}", Long.toString(TEST)).replace("${testName}", "Alerts IT homepage")
        .replace("${testUrl}", "https://example.com/").replace("${productName}", "Web").replace("${clientId}", "22")
        .replace("${nodeName}", nodeName).replace("${nodeServerAddress}", "192.0.2.1")
        .replace("${notificationLevelId}", level).replace("${alertTypeId}", "7")
        .replace("${alertCreateDateUtc}", "").replace("${AlertProcessingTimestampUtcEpoch}", Long.toString(time));
  }

  static JsonNode query(String m, boolean global) throws Exception {
    Tsd.Answer a = Tsd.get("/api/query?start=" + (T - 600) + "&end=" + (T + 900) + "&show_tsuids=true"
        + (global ? "&global_annotations=true" : "") + "&m=" + URLEncoder.encode(m, StandardCharsets.UTF_8));
    assertEquals(200, a.status, a::toString);
    return a.json;
  }

  /** This test's notes of a list, start second to the note. */
  static Map<Long, JsonNode> ours(JsonNode notes) {
    Map<Long, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode n : notes) {
      if (Long.toString(TEST).equals(n.path("custom").path("test_id").asText())) {
        out.put(n.path("startTime").asLong(), n);
      }
    }
    return out;
  }

  @Test
  @Order(1)
  void warningCriticalAndImprovedAlertsAreStored() throws Exception {
    JsonNode warning = stored(template("0", "Frankfurt, DE - AWS", T + 60), "application/json");
    assertEquals("opened", warning.path("action").asText());
    assertEquals(540, warning.path("alert").path("node_id").asLong(), "the catalog's id of the node's name");
    assertEquals(3, warning.path("notes").size(), warning::toString);

    // The default XML (best effort), another node, the same second: the test's and the global note move on.
    JsonNode xml = stored("<Alert><TestId>" + TEST + "</TestId><NodeId>312</NodeId><NodeName>Sydney, AU - Telstra"
        + "</NodeName><NotificationLevelId>0</NotificationLevelId><AlertTypeId>7</AlertTypeId>"
        + "<AlertProcessingTimestampUtcEpoch>" + (T + 60) + "</AlertProcessingTimestampUtcEpoch></Alert>",
        "application/xml");
    assertEquals("alert-xml", xml.path("alert").path("format").asText());
    assertTrue(TSUIDS.containsKey("node@" + (T + 60)) && TSUIDS.containsKey("test@" + (T + 61))
        && TSUIDS.containsKey("global@" + (T + 61)), TSUIDS::toString);

    JsonNode critical = stored(template("1", "Frankfurt, DE - AWS", T + 120), "application/json");
    assertEquals("level_changed", critical.path("action").asText());

    // An integrator's shape: PascalCase, the level as a word.
    JsonNode improved = stored("{\"TestId\":\"" + TEST + "\",\"NodeName\":\"Frankfurt, DE - AWS\",\"AlertTypeId\":7,"
        + "\"NotificationLevel\":\"OK\",\"AlertProcessingTimestampUtcEpoch\":" + (T + 300) + "}", "application/json");
    assertEquals("ended", improved.path("action").asText());

    // A late retry of the warning changes nothing.
    assertEquals("already_recorded", stored(template("0", "Frankfurt, DE - AWS", T + 60), "application/json")
        .path("action").asText());
  }

  @Test
  @Order(2)
  void apiAnnotationHasEachNoteWithItsTimes() throws Exception {
    String test540 = TSUIDS.get("test@" + (T + 60));
    assertNotNull(test540, TSUIDS::toString);
    JsonNode first = annotation(test540, T + 60);
    assertEquals(T + 120, first.path("endTime").asLong(), "the warning ended when it became critical");
    assertEquals("warning", first.path("custom").path("level").asText());
    JsonNode second = annotation(TSUIDS.get("test@" + (T + 61)), T + 61);
    assertEquals("312", second.path("custom").path("node_id").asText());
    assertEquals(0, second.path("endTime").asLong(), "still open");
    assertTrue(second.path("description").asText().contains("shown 1 s later"), second::toString);
    JsonNode criticalOnNode = annotation(TSUIDS.get("node@" + (T + 120)), T + 120);
    assertEquals(T + 300, criticalOnNode.path("endTime").asLong(), "the improvement set its end, no new note");
    assertEquals("critical", criticalOnNode.path("custom").path("level").asText());
    assertTrue(criticalOnNode.path("description").asText().startsWith("Catchpoint critical alert (timing): Alerts IT "
        + "homepage (test " + TEST + ") on Frankfurt, DE - AWS (node 540)"), criticalOnNode::toString);
    JsonNode global = annotation(null, T + 120);
    assertEquals(T + 300, global.path("endTime").asLong());
  }

  static JsonNode annotation(String tsuid, long start) throws Exception {
    Tsd.Answer a = Tsd.get("/api/annotation?start_time=" + start + (tsuid == null ? "" : "&tsuid=" + tsuid));
    assertEquals(200, a.status, () -> tsuid + "@" + start + ": " + a);
    return a.json;
  }

  @Test
  @Order(3)
  void apiQueryShowsThemOnTheRightSeries() throws Exception {
    JsonNode all = query("sum:catchpoint.run{test_id=" + TEST + "}", true);
    assertEquals(1, all.size(), all::toString);
    Map<Long, JsonNode> notes = ours(all.get(0).path("annotations"));
    assertEquals(Set.of(T + 60, T + 61, T + 120), notes.keySet(), "the test's and its nodes' notes: " + notes);
    Map<Long, JsonNode> global = ours(all.get(0).path("globalAnnotations"));
    assertEquals(Set.of(T + 60, T + 61, T + 120), global.keySet());
    assertEquals(T + 300, global.get(T + 120).path("endTime").asLong());
    // Each note's series is the test's (or the node's): its tags are tags of the series the query found.
    Set<String> seriesPairs = new HashSet<>();
    for (JsonNode tsuid : all.get(0).path("tsuids")) {
      seriesPairs.addAll(pairs(tsuid.asText()));
    }
    String metric = all.get(0).path("tsuids").get(0).asText().substring(0, 6);
    for (JsonNode n : all.get(0).path("annotations")) {
      String tsuid = n.path("tsuid").asText();
      assertEquals(metric, tsuid.substring(0, 6), "catchpoint.run: " + n);
      assertTrue(seriesPairs.containsAll(pairs(tsuid)), "the tags of a series of the test: " + n);
    }

    Map<Long, JsonNode> sydney = ours(query("sum:catchpoint.run{test_id=" + TEST + ",node_id=312}", false).get(0)
        .path("annotations"));
    assertEquals(Set.of(T + 60), sydney.keySet(), "node 312's own note only (the test-level ones have no node)");
    assertEquals("312", sydney.get(T + 60).path("custom").path("node_id").asText());
    Map<Long, JsonNode> frankfurt = ours(query("sum:catchpoint.run{test_id=" + TEST + ",node_id=540}", false).get(0)
        .path("annotations"));
    assertEquals(Set.of(T + 60, T + 120), frankfurt.keySet());
    assertEquals(T + 120, frankfurt.get(T + 60).path("endTime").asLong());
    assertEquals(T + 300, frankfurt.get(T + 120).path("endTime").asLong());
  }

  /** A TSUID's tag pairs (after the 3-byte metric: 3-byte key and 3-byte value each). */
  static List<String> pairs(String tsuid) {
    List<String> out = new ArrayList<>();
    for (int i = 6; i + 12 <= tsuid.length(); i += 12) {
      out.add(tsuid.substring(i, i + 12));
    }
    return out;
  }

  @Test
  @Order(4)
  void theDashboardsAnnotationQueriesShowThem() throws Exception {
    int checked = 0;
    for (String file : GrafanaOpenTsdb.FILES) {
      for (JsonNode ann : GrafanaOpenTsdb.load(file).path("annotations").path("list")) {
        if (ann.path("builtIn").asInt() == 1 || !"catchpoint.run".equals(ann.path("target").asText())) {
          continue;
        }
        boolean global = ann.path("isGlobal").asBoolean();
        ObjectNode body = GrafanaOpenTsdb.queryBody(List.of(GrafanaOpenTsdb.annotationQuery("catchpoint.run")),
            (T - 600) * 1000, (T + 900) * 1000);
        Tsd.Answer a = Tsd.send(Tsd.request("/api/query?arrays=true").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Tsd.JSON.writeValueAsBytes(body))).build());
        assertEquals(200, a.status, a::toString);
        // Grafana shows the first series' notes, at startTime * 1000.
        Map<Long, JsonNode> shown = ours(a.json.get(0).path(global ? "globalAnnotations" : "annotations"));
        assertTrue(shown.keySet().containsAll(Set.of(T + 60, T + 61, T + 120)),
            () -> file + " '" + ann.path("name").asText() + "': " + shown.keySet());
        checked++;
      }
    }
    assertEquals(4, checked, "the overview's and the per-test dashboard's two annotation queries");
  }

  @Test
  @Order(5)
  void theGrafanaBridgeListsThem() throws Exception {
    String range = "\"range\":{\"from\":\"" + Instant.ofEpochSecond(T - 600) + "\",\"to\":\""
        + Instant.ofEpochSecond(T + 900) + "\"}";
    Tsd.Answer frame = GrafanaBridgeIT.post("query", "{" + range + ",\"targets\":[{\"target\":\"alerts\","
        + "\"refId\":\"A\",\"payload\":{\"test\":\"" + TEST + "\"}}]}");
    assertEquals(200, frame.status, frame::toString);
    JsonNode fields = frame.json.get(0).path("fields");
    assertEquals("[" + (T + 60) * 1000 + "," + (T + 61) * 1000 + "," + (T + 120) * 1000 + "]",
        fields.get(0).path("values").toString(), "one a global note: " + frame);
    assertEquals((T + 300) * 1000, fields.get(1).path("values").get(2).asLong(), "ended at the improvement");
    // The failed runs beside them: the notes alone are no series (OpenTSDB's none aggregator answers them so).
    Tsd.Answer failed = GrafanaBridgeIT.post("query", "{" + range + ",\"targets\":[{\"target\":\"failed_runs\","
        + "\"payload\":{\"test\":\"" + TEST + "\"}},{\"target\":\"catchpoint.run\",\"payload\":{\"test\":\""
        + TEST + "\",\"group_by\":[\"node\"]}}]}");
    assertEquals(200, failed.status, failed::toString);
    assertEquals("[" + T * 1000 + "," + T * 1000 + "]", failed.json.get(0).path("fields").get(0).path("values")
        .toString(), "both nodes' runs failed (the fixture's run has an error): " + failed);
    assertEquals(3, failed.json.size(), "the frame and one series a node: " + failed);
    Tsd.Answer listed = GrafanaBridgeIT.post("annotations", "{" + range + ",\"annotation\":{\"name\":\"a\","
        + "\"query\":\"alerts test=" + TEST + " node=312\"}}");
    assertEquals(200, listed.status, listed::toString);
    assertEquals(1, listed.json.size(), listed::toString);
    assertEquals((T + 61) * 1000, listed.json.get(0).path("time").asLong());
  }

  @Test
  @Order(7)
  void anotherTsdOfTheHBaseEndsWhatThisOneOpenedAndKeepsToItsSeconds(@TempDir Path tmp) throws Exception {
    Path pushOnly = tmp.resolve("push-only.conf");
    Files.writeString(pushOnly, "tsd.plugin.catchpoint.pull.accounts =\n");
    String b = Tsd.extraTsd("alerts-b", Tsd.freePort(), pushOnly);
    try {
      String ping = "{\"testId\":" + TEST + ",\"nodeId\":312,\"alertTypeId\":12,\"notificationLevelId\":%d,"
          + "\"alertProcessingTimestampUtcEpoch\":%d}";
      Tsd.Answer opened = post(String.format(ping, 1, T + 400), "application/json");
      assertEquals("opened", opened.json.path("action").asText(), opened::toString);
      // The same second on the other TSD, another node: the test's note takes the next second there too.
      Tsd.Answer other = post(b, "{\"testId\":" + TEST + ",\"nodeId\":540,\"alertTypeId\":12,"
          + "\"notificationLevelId\":0,\"alertProcessingTimestampUtcEpoch\":" + (T + 400) + "}", "application/json");
      assertEquals(200, other.status, other::toString);
      List<String> on = new ArrayList<>();
      other.json.path("notes").forEach(n -> on.add(n.path("on").asText() + "@" + n.path("startTime").asLong()));
      assertEquals(List.of("test@" + (T + 401), "node@" + (T + 400), "global@" + (T + 401)), on);
      Tsd.Answer ended = post(b, String.format(ping, 3, T + 500), "application/json");
      assertEquals("ended", ended.json.path("action").asText(), ended::toString);
      String test = opened.json.path("notes").get(0).path("tsuid").asText();
      assertEquals(T + 500, annotation(test, T + 400).path("endTime").asLong(), "read through the first TSD");
      assertEquals(0, annotation(test, T + 401).path("endTime").asLong(), "the other node's alert is still open");
    } finally {
      Tsd.extraTsdStop("alerts-b");
    }
  }

  @Test
  @Order(6)
  void badAlertBodiesGetThePushsAnswers() throws Exception {
    Tsd.Answer invalid = post("{\"testId\":", "application/json");
    assertEquals(400, invalid.status, invalid::toString);
    assertEquals("invalid_json", invalid.json.path("error").path("kind").asText());
    assertTrue(invalid.json.path("error").path("where").asText().startsWith("line 1"));
    Tsd.Answer level = post("{\"testId\":" + TEST + ",\"notificationLevelId\":2}", "application/json");
    assertEquals(400, level.status);
    assertEquals("notificationLevelId", level.json.path("error").path("where").asText());
    Tsd.Answer notAlert = post("{\"TestId\":", "text/plain");
    assertEquals(400, notAlert.status);
    Tsd.Answer noToken = Tsd.send(Tsd.request("/plugin/catchpoint/alert").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertEquals(401, noToken.status);
    assertEquals(405, Tsd.get(ALERT).status);
    Tsd.Answer health = Tsd.get("/plugin/catchpoint/health");
    assertTrue(health.json.path("counters").path("catchpoint.alert.errors{kind=invalid_json}").asLong() >= 1,
        health::toString);
    assertTrue(health.json.path("counters").path("catchpoint.alert.requests{status=200}").asLong() >= 5);
  }
}

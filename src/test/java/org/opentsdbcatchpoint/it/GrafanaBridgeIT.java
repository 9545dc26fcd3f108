package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The Grafana bridge on the real TSD, asked exactly what Grafana's JSON datasource asks (the request
 * shapes of its README and openapi.yaml): its series are OpenTSDB's own query answers, named by test
 * and node; failed runs are annotations with the error's meaning; the names outlive a restart.
 * Its own test ids (7200xx), so nothing else in the stack writes its series.
 */
@Order(7)
class GrafanaBridgeIT {
  static final String BRIDGE = "/plugin/catchpoint/grafana/";
  static final String FROM = "2024-01-15T12:00:00.000Z";
  static final String TO = "2024-01-15T13:00:00.000Z";

  private static byte[] fixture(String name, long testId, String testName) throws Exception {
    ObjectNode body = (ObjectNode) Tsd.JSON.readTree(Tsd.fixtureBytes(name));
    body.put("TestId", testId);
    ((ObjectNode) body.path("TestDetail")).put("Name", testName);
    return Tsd.JSON.writeValueAsBytes(body);
  }

  static Tsd.Answer post(String action, String body) throws Exception {
    return Tsd.send(Tsd.request(BRIDGE + action).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  static JsonNode ok(String action, String body) throws Exception {
    Tsd.Answer a = post(action, body);
    assertEquals(200, a.status, a::toString);
    return a.json;
  }

  static String query(String targets) {
    return "{\"app\":\"dashboard\",\"requestId\":\"Q1\",\"timezone\":\"browser\",\"panelId\":2,\"range\":{\"from\":\""
        + FROM + "\",\"to\":\"" + TO + "\",\"raw\":{\"from\":\"now-1h\",\"to\":\"now\"}},\"interval\":\"1m\","
        + "\"intervalMs\":60000,\"maxDataPoints\":550,\"targets\":" + targets + ",\"filters\":[]}";
  }

  static void pushNamedRuns() throws Exception {
    assertEquals(200, Tsd.push(fixture("push-web-default.json", 720001, "Grafana IT homepage")).status);
    assertEquals(200, Tsd.push(fixture("push-dns-error.json", 720002, "Grafana IT resolver")).status);
    assertEquals(200, Tsd.push(fixture("push-ping.json", 720004, "Grafana IT gateway")).status);
  }

  private static String ownQuery(String m) throws Exception {
    Tsd.Answer a = Tsd.get("/api/query?start=1705320000&end=1705323600&m=" + URLEncoder.encode(m,
        StandardCharsets.UTF_8));
    assertEquals(200, a.status, a::toString);
    return a.json.toString();
  }

  @Test
  void theBridgeAnswersAsOpenTsdbDoesWithNamesAndFailedRunsAsAnnotations() throws Exception {
    pushNamedRuns();
    Tsd.Answer root = Tsd.get(BRIDGE);
    assertEquals(200, root.status, root::toString);

    // The series, as /api/query computes them (one-minute average), named by test and node.
    JsonNode answer = ok("query", query("[{\"target\":\"catchpoint.timing.total\",\"refId\":\"A\",\"payload\":"
        + "{\"aggregate\":\"avg\",\"group_by\":[\"test\",\"node\"],\"test\":\"(720001|720004)\"}}]"));
    JsonNode own = Tsd.JSON.readTree(ownQuery("avg:60s-avg:catchpoint.timing.total{test_id=720001|720004,"
        + "node_id=*}"));
    assertEquals(2, own.size(), own::toString);
    List<String> expected = new ArrayList<>();
    for (JsonNode s : own) {
      String label = (s.path("tags").path("test_id").asText().equals("720001") ? "Grafana IT homepage"
          : "Grafana IT gateway") + " / Frankfurt, DE - AWS";
      StringBuilder dps = new StringBuilder();
      s.path("dps").fields().forEachRemaining(e -> dps.append(dps.length() == 0 ? "" : ",").append("[")
          .append(e.getValue().asDouble()).append(",").append(Long.parseLong(e.getKey()) * 1000).append("]"));
      expected.add("{\"target\":\"" + label + "\",\"refId\":\"A\",\"datapoints\":[" + dps + "]}");
    }
    List<String> got = new ArrayList<>();
    answer.forEach(s -> got.add(s.toString()));
    expected.sort(null);
    got.sort(null);
    assertEquals(expected, got);
    assertTrue(got.get(1).contains("[2310.0,1705320840000]"), got::toString);

    // The same as flat records (Infinity's plain JSON).
    JsonNode records = ok("query", query("[{\"target\":\"catchpoint.timing.total\",\"payload\":"
        + "{\"group_by\":[\"node\"],\"test\":\"720001\",\"format\":\"records\"}}]"));
    assertEquals("[{\"time\":1705320840000,\"node\":\"Frankfurt, DE - AWS\",\"value\":2310.0}]",
        records.toString());

    // A failed run: an annotation frame with what the code means.
    JsonNode frame = ok("query", query("[{\"target\":\"failed_runs\",\"refId\":\"F\",\"payload\":"
        + "{\"test\":\"720002\"}}]")).get(0);
    JsonNode fields = frame.path("fields");
    assertEquals("[1705320312000]", fields.get(0).path("values").toString(), frame::toString);
    assertEquals("[\"Grafana IT resolver failed on Jinan, CN - Unicom: the server's name could not be resolved "
        + "(DNS) (12007)\"]", fields.get(3).path("values").toString());
    JsonNode web = ok("query", query("[{\"target\":\"failed_runs\",\"refId\":\"F\",\"payload\":"
        + "{\"test\":\"720001\"}}]")).get(0);
    assertEquals("[\"Grafana IT homepage failed on Frankfurt, DE - AWS: the run reported an error\"]",
        web.path("fields").get(3).path("values").toString(), "a failed object, no error code");
    JsonNode none = ok("query", query("[{\"target\":\"failed_runs\",\"refId\":\"F\",\"payload\":"
        + "{\"test\":\"720004\"}}]")).get(0);
    assertEquals("[]", none.path("fields").get(0).path("values").toString(), "the ping run succeeded");

    // Variables: names as text, ids as values, nodes from the catalog.
    JsonNode tests = ok("variable", "{\"payload\":{\"target\":\"tests:dns\"},\"range\":{\"from\":\"" + FROM
        + "\",\"to\":\"" + TO + "\"}}");
    assertTrue(tests.toString().contains("{\"__text\":\"Grafana IT resolver\",\"__value\":\"720002\"}"),
        tests::toString);
    JsonNode german = ok("variable", "{\"payload\":{\"target\":\"nodes:Germany\"}}");
    assertEquals("[{\"__text\":\"Frankfurt, DE - AWS\",\"__value\":\"540\"}]", german.toString());
  }

  @Test
  void whatTheTsdHasNeverSeenIsNoSeriesAndAnUnknownValueDoesNotHideTheKnownOnes() throws Exception {
    pushNamedRuns();
    assertEquals("[]", ok("query", query("[{\"target\":\"catchpoint.timing.never_written_here\",\"refId\":\"A\"}]"))
        .toString(), "an unknown metric");
    assertEquals("[]", ok("query", query("[{\"target\":\"catchpoint.run\",\"refId\":\"A\",\"payload\":"
        + "{\"test\":\"987654321987\"}}]")).toString(), "an unknown test");
    JsonNode one = ok("query", query("[{\"target\":\"catchpoint.run\",\"refId\":\"A\",\"payload\":"
        + "{\"test\":\"(720001|987654321987)\"}}]"));
    assertEquals(1, one.size(), one::toString);
    assertEquals("Grafana IT homepage", one.get(0).path("target").asText());
  }

  @Test
  void badQueriesAre400sThatSayWhere() throws Exception {
    Tsd.Answer longRange = post("query", query("[{\"target\":\"catchpoint.run\"}]").replace(FROM,
        "2023-11-01T00:00:00.000Z"));
    assertEquals(400, longRange.status, longRange::toString);
    assertEquals("range_too_long", longRange.json.path("error").path("kind").asText());
    Tsd.Answer foreign = post("query", query("[{\"target\":\"tsd.rpc.received\"}]"));
    assertEquals(400, foreign.status, foreign::toString);
    assertEquals("targets[0].target", foreign.json.path("error").path("where").asText());
    Tsd.Answer junk = post("query", "{\"range\":");
    assertEquals(400, junk.status, junk::toString);
    assertEquals("invalid_json", junk.json.path("error").path("kind").asText());
  }

  @Test
  void namesOutliveARestart() throws Exception {
    pushNamedRuns();
    Tsd.stack("restart-tsd");
    // Before any push or pull names them again: read from the plugin's table at start.
    JsonNode tests = ok("variable", "{\"payload\":{\"target\":\"tests\"}}");
    assertTrue(tests.toString().contains("{\"__text\":\"Grafana IT homepage\",\"__value\":\"720001\"}"),
        tests::toString);
  }
}

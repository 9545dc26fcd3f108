package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Duplicates, partial payloads, unknown nodes and token placement against the real TSD. */
@Order(2)
class PushSemanticsIT {
  private static final long FROM = 1705320000L;
  private static final long TO = 1705323600L;

  /** The web fixture with a test id of its own, so each test reads only what it wrote. */
  private static ObjectNode webRun(long testId) throws Exception {
    ObjectNode run = (ObjectNode) Tsd.JSON.readTree(Tsd.fixtureBytes("push-web-default.json"));
    run.put("TestId", testId);
    return run;
  }

  private static long freshTestId() {
    return 700_000_000L + ThreadLocalRandom.current().nextInt(100_000_000);
  }

  @Test
  void theReadmeExample() throws Exception {
    assertEquals(200, Tsd.push(Tsd.fixtureBytes("push-web-default.json")).status);
    Tsd.Series s = Tsd.only("catchpoint.timing.dns", Map.of("test_id", "100001", "node_id", "540"), FROM, TO);
    assertEquals(Map.of(1705320873L, 12.0), s.dps);
  }

  @Test
  void theSameRunTwiceIsOneValue() throws Exception {
    long id = freshTestId();
    byte[] body = Tsd.JSON.writeValueAsBytes(webRun(id));
    Tsd.Answer first = Tsd.push(body);
    Tsd.Answer second = Tsd.push(body);
    assertEquals(200, first.status, first::toString);
    assertEquals(200, second.status, second::toString);
    Tsd.Series s = Tsd.only("catchpoint.timing.total", Map.of("test_id", Long.toString(id)), FROM, TO);
    assertEquals(Map.of(1705320873L, 2310.0), s.dps);
  }

  @Test
  void aMixedPayloadKeepsItsGoodFields() throws Exception {
    long id = freshTestId();
    ObjectNode run = webRun(id);
    ObjectNode timing = (ObjectNode) run.path("Summary").path("Timing");
    timing.put("Dns", "NaN");
    timing.put("Connect", "fast");
    timing.putNull("Ssl");
    timing.put("Wait", "Infinity");
    Tsd.Answer a = Tsd.push(Tsd.JSON.writeValueAsBytes(run), "application/json", "&details");
    assertEquals(200, a.status, a::toString);
    assertEquals(25, a.json.path("written").asInt(), a::toString);
    assertEquals(7, a.json.path("skipped").asInt(), a::toString);
    String details = a.json.path("details").toString();
    assertTrue(details.contains("\"field\":\"Summary.Timing.Dns\",\"reason\":\"not_finite\""), details);
    assertTrue(details.contains("\"field\":\"Summary.Timing.Connect\",\"reason\":\"not_numeric\""), details);
    assertTrue(details.contains("\"field\":\"Summary.Timing.Ssl\",\"reason\":\"null\""), details);
    Tsd.Series total = Tsd.only("catchpoint.timing.total", Map.of("test_id", Long.toString(id)), FROM, TO);
    assertEquals(Map.of(1705320873L, 2310.0), total.dps);
  }

  @Test
  void anUnknownNodeIsWrittenWithoutEnrichmentOnceTheCatalogHasLookedForIt() throws Exception {
    long id = freshTestId();
    ObjectNode run = webRun(id);
    run.put("NodeId", 999_999);
    run.put("NodeName", "Nowhere, ZZ - (unknown) ISP, Ltd.");
    byte[] body = Tsd.JSON.writeValueAsBytes(run);
    // The stack pulls, so its catalog can learn nodes: the push waits for a refresh (one per 15 s at
    // most) within its deadline. A 503 catalog_refresh is Catchpoint's cue to retry, as it does.
    Tsd.Answer first = Tsd.push(body);
    assertTrue(first.status == 200 || (first.status == 503
        && first.json.path("error").path("kind").asText().equals("catalog_refresh")), first::toString);
    Pulls.await("the push stored once the catalog has looked for node 999999", () -> Tsd.push(body).status,
        status -> status == 200, java.time.Duration.ofSeconds(60));
    Tsd.Answer health = Tsd.get("/plugin/catchpoint/health");
    assertTrue(health.json.path("catalog").path("unknown").toString().contains("999999"), health::toString);
    Tsd.Series s = Tsd.only("catchpoint.timing.dns", Map.of("test_id", Long.toString(id)), FROM, TO);
    Map<String, String> expected = new TreeMap<>(Map.of("test_id", Long.toString(id), "node_id", "999999",
        "test_type", "web"));
    assertEquals(expected, s.tags);
  }

  @Test
  void theTokenMayBeThePathSegment() throws Exception {
    Tsd.Answer a = Tsd.send(Tsd.request("/plugin/catchpoint/push/" + Tsd.TOKEN)
        .header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(Tsd.fixtureBytes("push-ping.json"))).build());
    assertEquals(200, a.status, a::toString);
  }

  @Test
  void healthAndStatsShowTheCounters() throws Exception {
    assertEquals(200, Tsd.push(Tsd.fixtureBytes("push-ping.json")).status);
    Tsd.Answer health = Tsd.get("/plugin/catchpoint/health");
    assertEquals(200, health.status, health::toString);
    assertEquals("ok", health.json.path("status").asText());
    assertEquals("****", health.json.path("config").path("push.token").asText());
    assertTrue(health.json.path("counters").path("catchpoint.push.requests{status=200}").asLong() > 0, health::toString);
    assertTrue(!health.body.contains(Tsd.TOKEN), "the token must never be shown");
    Tsd.Answer stats = Tsd.get("/api/stats");
    assertEquals(200, stats.status);
    assertTrue(stats.body.contains("catchpoint.push.datapoints.written"), stats::toString);
    assertTrue(!stats.body.contains(Tsd.TOKEN), "the token must never be shown");
    // The TSD serves its whole config unmasked at /api/config: the plugin takes its secrets out.
    Tsd.Answer config = Tsd.get("/api/config");
    assertEquals(200, config.status);
    assertEquals("********", config.json.path("tsd.plugin.catchpoint.push.token").asText(), config::toString);
    assertTrue(!config.body.contains(Tsd.TOKEN), "the token must never be shown");
  }
}

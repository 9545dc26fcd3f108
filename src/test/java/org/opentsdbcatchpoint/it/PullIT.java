package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * REST pulls on the real stack, from the fake Catchpoint beside it: a run pushed and then pulled is
 * one value, the status page, the admin token of /pull/run, and a v1 token that expires. After the
 * push tests (1-3); PullStoredIT checks what the pulls stored meanwhile.
 */
@Order(10)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PullIT {
  private static final DateTimeFormatter PUSH_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS")
      .withZone(ZoneOffset.UTC);

  /** The names of the fake's nodes (src/test/resources/it/fake-nodes.json). */
  private static final Map<Long, String> NODE_NAMES = Map.of(540L, "Frankfurt, DE - AWS", 312L,
      "Sydney, AU - Telstra", 313L, "Jinan, CN - Unicom", 88L, "Chicago, US - Level3", 701L, "São Paulo, BR - Vivo",
      Pulls.LIVE_ONLY_NODE, "Reykjavik, IS - Siminn");

  /**
   * A run pushed first and pulled afterwards: the pull writes the very cells the push wrote (same
   * metric, tags, second and double value), so there is one series with one value per metric, and
   * OpenTSDB reports no duplicate.
   */
  @Test
  @Order(1)
  void aRunPushedAndThenPulledIsOneValue() throws Exception {
    long test = Pulls.V2_WEB;
    // The next run of any node at least 2 s from now: pushed before the fake serves it.
    long now = Pulls.now();
    Pulls.Run next = null;
    for (Pulls.Run r : Pulls.runs(test, now + 2, now + 70)) {
      if (NODE_NAMES.containsKey(r.node) && r.values.get("SSL (ms)") != null) {
        next = r;
        break;
      }
    }
    assertNotNull(next, "no run of a known node in the next 70 s");
    Pulls.Run run = next;

    ObjectNode push = (ObjectNode) Tsd.JSON.readTree(Tsd.fixtureBytes("push-web-default.json"));
    push.put("TestId", test);
    push.put("NodeId", run.node);
    push.put("NodeName", NODE_NAMES.get(run.node));
    push.remove("Asn");
    String at = PUSH_TIME.format(Instant.ofEpochSecond(run.time));
    push.put("TestRuntime", at);
    push.put("ReportWindow", at.substring(0, 12));
    ObjectNode summary = (ObjectNode) push.path("Summary");
    summary.put("Timestamp", at);
    summary.remove(List.of("Error", "Byte", "Score", "HostCollections"));
    ObjectNode timing = summary.putObject("Timing");
    Map<String, String> metrics = new LinkedHashMap<>();
    putTiming(timing, metrics, run, "DNS (ms)", "Dns", "catchpoint.timing.dns");
    putTiming(timing, metrics, run, "Connect (ms)", "Connect", "catchpoint.timing.connect");
    putTiming(timing, metrics, run, "SSL (ms)", "Ssl", "catchpoint.timing.ssl");
    putTiming(timing, metrics, run, "Wait (ms)", "Wait", "catchpoint.timing.wait");
    putTiming(timing, metrics, run, "Response (ms)", "Response", "catchpoint.timing.response");
    putTiming(timing, metrics, run, "Document Complete (ms)", "DocumentComplete", "catchpoint.timing.document_complete");
    ObjectNode counter = summary.putObject("Counter");
    counter.put("Connections", run.values.get("# Connections"));
    metrics.put("# Connections", "catchpoint.count.connections");

    Tsd.Answer pushed = Tsd.push(Tsd.JSON.writeValueAsBytes(push));
    assertEquals(200, pushed.status, pushed::toString);
    assertTrue(pushed.json.path("written").asInt() >= metrics.size(), pushed::toString);

    // Now the pull of the same run.
    long serial = Pulls.lastRawSerial();
    Pulls.await("the fake serving the run", Pulls::now, t -> t >= run.time + Pulls.LAG_SECONDS + 1,
        Duration.ofSeconds(90));
    Pulls.pullNow(Pulls.V2);
    List<long[]> windows = Pulls.rawWindowsSince(serial, test);
    assertTrue(windows.stream().anyMatch(w -> w[0] <= run.time && run.time < w[1]), () -> "no pull asked for the "
        + "pushed run at " + run.time + ": " + windows.stream().map(java.util.Arrays::toString).toList());
    assertTrue(Pulls.cursor(Pulls.V2, test) > run.time, "the pull did not reach the pushed run");

    Map<String, String> filter = Map.of("test_id", Long.toString(test), "node_id", Long.toString(run.node));
    for (Map.Entry<String, String> m : metrics.entrySet()) {
      Tsd.Series s = Tsd.only(m.getValue(), filter, run.time - 1, run.time + 1);
      assertEquals(Long.toString(run.node), s.tags.get("node_id"), m.getValue());
      assertTrue(s.tags.containsKey("asn") && s.tags.containsKey("city"), () -> "not enriched: " + s);
      assertEquals(Map.of(run.time, run.values.get(m.getKey())), s.dps, m.getValue());
    }
  }

  private static void putTiming(ObjectNode timing, Map<String, String> metrics, Pulls.Run run, String column,
      String key, String metric) {
    Double v = run.values.get(column);
    if (v != null) {
      timing.put(key, v);
      metrics.put(column, metric);
    }
  }

  @Test
  @Order(2)
  void theStatusShowsEveryAccountAndTest() throws Exception {
    // Each account's first scheduled pull comes up to an interval after the start: not waited for.
    for (String account : List.of(Pulls.V1, Pulls.V2, Pulls.BIG)) {
      Pulls.pullNow(account);
    }
    JsonNode status = Pulls.status();
    assertTrue(status.path("started").asBoolean(), status::toString);
    assertEquals(List.of(Pulls.V1, Pulls.V2, Pulls.BIG), texts(status.path("accounts")));
    // 5 nodes of catalog.file, and one more that only the fake's node lists have.
    assertEquals(6, status.path("catalog").path("size").asInt(), status::toString);
    assertTrue(status.path("catalog").path("last_refresh").isTextual(), status::toString);
    long now = Pulls.now();
    for (Object[] c : new Object[][] {{Pulls.V1, Pulls.V1_WEB, "v1", "web"}, {Pulls.V1, Pulls.V1_PING, "v1", "ping"},
        {Pulls.V2, Pulls.V2_WEB, "v2", "web"}, {Pulls.V2, Pulls.V2_TRACEROUTE, "v2", "traceroute"},
        {Pulls.BIG, Pulls.BIG_WEB, "v2", "web"}}) {
      JsonNode t = Pulls.testStatus(status, (String) c[0], (Long) c[1]);
      assertEquals(c[2], t.path("api").asText(), t::toString);
      assertEquals(c[3], t.path("test_type").asText(), t::toString);
      long cursor = Instant.parse(t.path("cursor").asText()).getEpochSecond();
      long success = Instant.parse(t.path("last_success").asText()).getEpochSecond();
      long next = Instant.parse(t.path("next_run").asText()).getEpochSecond();
      // Just pulled; the next pull within the interval (30 s, itbig's 2 min) give or take a tenth.
      long interval = Pulls.BIG.equals(c[0]) ? 120 : 30;
      assertTrue(cursor <= now && cursor > now - 90, t::toString);
      assertTrue(success <= now && success > now - 90, t::toString);
      assertTrue(next > now - 60 && next <= now + interval * 11 / 10 + 5, t::toString);
      assertTrue(t.path("lag_seconds").asLong() >= 0 && t.path("lag_seconds").asLong() < 90, t::toString);
      assertTrue(t.path("last_error").isNull(), t::toString);
    }
    assertTrue(status.path("lag_seconds").path(Pulls.V2).asLong() >= 0, status::toString);
  }

  @Test
  @Order(3)
  void pullingNowNeedsTheAdminToken() throws Exception {
    Tsd.Answer none = Pulls.run(Pulls.V2, "");
    assertEquals(401, none.status, none::toString);
    // One rule for every token: missing 401, wrong 403.
    Tsd.Answer wrong = Pulls.run(Pulls.V2, "&token=" + Pulls.ADMIN_TOKEN + "x");
    assertEquals(403, wrong.status, wrong::toString);
    Tsd.Answer pushToken = Pulls.run(Pulls.V2, "&token=" + Tsd.TOKEN);
    assertEquals(403, pushToken.status, "the push token is not the admin token: " + pushToken);
    assertFalse(none.body.contains(Pulls.ADMIN_TOKEN) || wrong.body.contains(Pulls.ADMIN_TOKEN));

    Tsd.Answer get = Tsd.get("/plugin/catchpoint/pull/run?account=" + Pulls.V2 + "&token=" + Pulls.ADMIN_TOKEN);
    assertEquals(405, get.status, get::toString);
    Tsd.Answer unknown = Pulls.run("nosuch", "&token=" + Pulls.ADMIN_TOKEN);
    assertEquals(404, unknown.status, unknown::toString);

    // The token in the header; until a cycle of this request ran (not one the schedule had started).
    long cycles = cycles(Pulls.V2);
    Tsd.Answer header;
    int tries = 0;
    do {
      header = Tsd.send(Tsd.request("/plugin/catchpoint/pull/run?account=" + Pulls.V2 + "&wait")
          .header("X-Catchpoint-Admin-Token", Pulls.ADMIN_TOKEN)
          .POST(HttpRequest.BodyPublishers.noBody()).build());
      assertEquals(200, header.status, header::toString);
    } while (!header.json.path("ran").asBoolean() && ++tries < 100 && sleep(200));
    assertTrue(header.json.path("ran").asBoolean(), header::toString);
    assertTrue(cycles(Pulls.V2) > cycles, "no pull cycle was counted");
    Tsd.Answer started = Pulls.run(Pulls.V2, "&token=" + Pulls.ADMIN_TOKEN);
    assertEquals(202, started.status, started::toString);
    assertFalse(Tsd.get("/plugin/catchpoint/health").body.contains(Pulls.ADMIN_TOKEN), "the admin token is shown");
  }

  @Test
  @Order(4)
  void anExpiredV1TokenIsRefreshedAndThePullGoesOn() throws Exception {
    long tokens = Pulls.fakeCount("token");
    long expiredAnswers = Pulls.fakeCount("expired");
    long cursorBefore = Pulls.cursor(Pulls.V1, Pulls.V1_WEB);
    Pulls.fake("POST", "/__fake/expire-tokens");
    Thread.sleep(1000);
    Pulls.pullNow(Pulls.V1);
    assertTrue(Pulls.fakeCount("expired") > expiredAnswers, "the fake never answered 'Expired token'");
    assertTrue(Pulls.fakeCount("token") > tokens, "no new token was asked for");
    JsonNode t = Pulls.testStatus(Pulls.status(), Pulls.V1, Pulls.V1_WEB);
    assertTrue(t.path("last_error").isNull(), t::toString);
    assertTrue(Instant.parse(t.path("cursor").asText()).getEpochSecond() > cursorBefore, t::toString);
  }

  /** The account's pull cycles so far (the counter of /plugin/catchpoint/health). */
  private static long cycles(String account) throws Exception {
    return Tsd.get("/plugin/catchpoint/health").json.path("counters").path("catchpoint.pull.cycles{account=" + account + "}")
        .asLong();
  }

  private static boolean sleep(long millis) throws InterruptedException {
    Thread.sleep(millis);
    return true;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}

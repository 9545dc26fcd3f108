package org.opentsdbcatchpoint;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.opentsdbcatchpoint.config.Key;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentsdbcatchpoint.config.InvalidSettingsException;
import org.opentsdbcatchpoint.PluginSettings;
import org.opentsdbcatchpoint.config.Settings;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Writer;
import org.opentsdbcatchpoint.web.Json;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;

class CatchpointServiceTest {
  private static final String P = Key.PREFIX;
  private static final String SECRET = "service-Secret-9d2f";

  private final List<DataPoint> written = Collections.synchronizedList(new ArrayList<>());
  private final Writer writer = p -> {
    written.add(p);
    return CompletableFuture.completedFuture(null);
  };
  private CatchpointService service;

  @TempDir
  Path tmp;

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.shutdown();
    }
  }

  @Test
  void healthShowsVersionMaskedConfigAndCounters() throws Exception {
    service = new CatchpointService(settings(), TestPlatform.of(writer, () -> false));

    Response push = service.handle(new Request("POST", Collections.singletonList("push"), token(),
        headers("application/json"), fixture("push-ping.json"))).get(5, SECONDS);
    assertEquals(200, push.status(), push.bodyText());
    int points = json(push).path("written").asInt();
    assertTrue(points > 0);
    assertEquals(points, written.size());

    Response health = get("health");
    assertEquals(200, health.status(), health.bodyText());
    assertTrue(health.contentType().startsWith("application/json"));
    assertFalse(health.bodyText().contains(SECRET), "health leaks the push token: " + health.bodyText());
    JsonNode body = json(health);
    assertEquals("ok", body.path("status").asText());
    assertEquals("opentsdb-catchpoint", body.path("plugin").asText());
    String version = body.path("version").asText();
    assertEquals(CatchpointService.version(), version);
    assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), "a filtered version, not a placeholder: " + version);
    assertTrue(body.path("uptime_seconds").asLong() >= 0);

    JsonNode config = body.path("config");
    assertEquals("****", config.path("push.token").asText());
    assertEquals(2, config.path("push.write_threads").asInt());
    assertEquals(5000, config.path("push.ack_timeout_ms").asLong());
    assertFalse(config.path("push.allow_anonymous").asBoolean());
    assertEquals(0, body.path("catalog").path("nodes").asInt());

    JsonNode counters = body.path("counters");
    assertEquals(1, counters.path("catchpoint.push.requests{status=200}").asLong(), counters.toString());
    assertEquals(1, counters.path("catchpoint.push.runs{format=default-json}").asLong(), counters.toString());
    assertEquals(points, counters.path("catchpoint.push.datapoints.written").asLong(), counters.toString());
    assertEquals(1, body.path("ack_latency_ms").path("count").asLong());
    assertEquals(1, service.stats().get("catchpoint.push.requests", "status", "200"));
  }

  @Test
  void unknownRouteIs404Json() throws Exception {
    service = new CatchpointService(settings(), TestPlatform.of(writer, () -> false));
    for (Response r : new Response[] {get("nope"), get("favicon.ico")}) {
      assertEquals(404, r.status());
      assertTrue(r.contentType().startsWith("application/json"));
      JsonNode error = json(r).path("error");
      assertEquals(404, error.path("code").asInt());
      assertEquals("not_found", error.path("kind").asText());
      assertEquals("path", error.path("where").asText());
      assertFalse(r.bodyText().contains(SECRET));
    }
  }

  @Test
  void healthTakesGetOnly() throws Exception {
    service = new CatchpointService(settings(), TestPlatform.of(writer, () -> false));
    Response r = service.handle(new Request("POST", Collections.singletonList("health"), new HashMap<>(),
        h -> null, null)).get(5, SECONDS);
    assertEquals(405, r.status());
    assertEquals("GET", r.headers().get("Allow"));
  }

  @Test
  void wrongTokenThroughTheServiceIs403WithoutTheSecret() throws Exception {
    service = new CatchpointService(settings(), TestPlatform.of(writer, () -> false));
    Response r = service.handle(new Request("POST", Arrays.asList("push", "guess"), new HashMap<>(),
        headers("application/json"), fixture("push-ping.json"))).get(5, SECONDS);
    assertEquals(403, r.status());
    assertFalse(r.bodyText().contains(SECRET));
    assertTrue(written.isEmpty());
  }

  @Test
  void readOnlyTsdIs503() throws Exception {
    service = new CatchpointService(settings(), TestPlatform.of(writer, () -> true));
    Response r = service.handle(new Request("POST", Collections.singletonList("push"), token(),
        headers("application/json"), fixture("push-ping.json"))).get(5, SECONDS);
    assertEquals(503, r.status());
    assertEquals("read_only", json(r).path("error").path("kind").asText());
    assertTrue(written.isEmpty());
  }

  @Test
  void catalogFileIsLoadedAndCounted() throws Exception {
    Map<String, String> m = baseSettings();
    m.put(P + "catalog.file", Fixtures.path("rest-v1-nodes.json").toString());
    service = new CatchpointService(PluginSettings.from(Settings.of(m)), TestPlatform.of(writer, () -> false));
    assertTrue(service.catalogSize() > 0);
    assertEquals(service.catalogSize(), json(get("health")).path("catalog").path("nodes").asInt());
  }

  @Test
  void unreadableCatalogContentStopsTheService() throws Exception {
    Path junk = Files.write(tmp.resolve("nodes.json"), "this is not json".getBytes());
    Map<String, String> m = baseSettings();
    m.put(P + "catalog.file", junk.toString());
    // Read with the settings: the TSD stops at its start, with the other problems, before any service exists.
    InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
        () -> PluginSettings.from(Settings.of(m)));
    assertTrue(e.getMessage().contains(P + "catalog.file"), e.getMessage());
  }

  @Test
  void duringATokenRotationPushesAndAlertsWithEitherTokenAreTakenAndTheOldOnesCounted() throws Exception {
    Map<String, String> m = baseSettings();
    m.put(P + "push.previous_token", "old-" + SECRET);
    service = new CatchpointService(PluginSettings.from(Settings.of(m)), TestPlatform.of(writer, () -> false));
    Map<String, List<String>> old = new HashMap<>();
    old.put("token", Collections.singletonList("old-" + SECRET));
    Response byOld = service.handle(new Request("POST", Collections.singletonList("push"), old,
        headers("application/json"), fixture("push-ping.json"))).get(5, SECONDS);
    assertEquals(200, byOld.status(), byOld.bodyText());
    Response byNew = service.handle(new Request("POST", Collections.singletonList("push"), token(),
        headers("application/json"), fixture("push-ping.json"))).get(5, SECONDS);
    assertEquals(200, byNew.status(), byNew.bodyText());
    Response alertByOld = service.handle(new Request("POST", java.util.Arrays.asList("alert", "old-" + SECRET),
        new HashMap<>(), headers("application/json"), "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .get(5, SECONDS);
    assertEquals(400, alertByOld.status(), "the token is taken; the empty alert is not: " + alertByOld.bodyText());
    Map<String, List<String>> wrong = new HashMap<>();
    wrong.put("token", Collections.singletonList("older-" + SECRET));
    assertEquals(403, service.handle(new Request("POST", Collections.singletonList("push"), wrong,
        headers("application/json"), fixture("push-ping.json"))).get(5, SECONDS).status());

    JsonNode health = json(get("health"));
    assertEquals(2, health.path("counters").path("catchpoint.push.previous_token_used").asLong(), health.toString());
    assertEquals("****", health.path("config").path("push.previous_token").asText());
    assertFalse(health.toString().contains(SECRET), "health leaks a push token: " + health);
  }

  /**
   * HBase frozen: the write of the plugin's own counters blocks inside the TSD (a new counter name is a UID
   * lookup that waits for HBase). It once ran on the timer that also fires the pushes' deadlines, so with
   * HBase frozen a push then got no answer at all (found on JDK 25, where the counters' first write happened
   * during StalledStorageIT's freeze). Every write blocks here; the push must still be answered 503 by its
   * deadline while the counters' write hangs.
   */
  @Test
  void aPushIsAnsweredByItsDeadlineWhileTheCountersWriteHangs() throws Exception {
    java.util.concurrent.CountDownLatch countersBlocked = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch frozen = new java.util.concurrent.CountDownLatch(1);
    Writer frozenStore = p -> {
      if (p.metric().startsWith("tsd.catchpoint.")) {
        countersBlocked.countDown();
      }
      try {
        frozen.await(); // as TSDB.addPoint does for a new name while HBase does not answer
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return CompletableFuture.completedFuture(null);
    };
    Map<String, String> m = baseSettings();
    m.put(P + "push.ack_timeout_ms", "1000");
    m.put(P + "stats.write_interval", "5s");
    service = new CatchpointService(PluginSettings.from(Settings.of(m)), TestPlatform.of(frozenStore, () -> false));
    try {
      assertTrue(countersBlocked.await(30, SECONDS), "the counters were never written");
      long started = System.nanoTime();
      Response r = service.handle(new Request("POST", Collections.singletonList("push"), token(),
          headers("application/json"), fixture("push-ping.json"))).get(20, SECONDS);
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      assertEquals(503, r.status(), r.bodyText());
      assertTrue(tookMs < 10_000, "answered only after " + tookMs + " ms, the deadline is 1000 ms");
    } finally {
      frozen.countDown();
    }
  }

  @Test
  void theBenchmarksRouteIsNotInThePlugin() throws Exception {
    service = new CatchpointService(settings(), TestPlatform.of(writer, () -> false));
    Response r = service.handle(new Request("POST", java.util.Arrays.asList("bench", "addpoint"), token(),
        headers("application/json"), "[]".getBytes())).get(5, SECONDS);
    assertEquals(404, r.status(), r.bodyText());
  }

  private Response get(String route) throws Exception {
    return service.handle(new Request("GET", Collections.singletonList(route), new HashMap<>(), h -> null, null))
        .get(5, SECONDS);
  }

  private static PluginSettings settings() {
    return PluginSettings.from(Settings.of(baseSettings()));
  }

  private static Map<String, String> baseSettings() {
    Map<String, String> m = new HashMap<>();
    m.put(P + "push.token", SECRET);
    m.put(P + "push.write_threads", "2");
    m.put(P + "push.ack_timeout_ms", "5000");
    return m;
  }

  private static Map<String, List<String>> token() {
    Map<String, List<String>> params = new HashMap<>();
    params.put("token", Collections.singletonList(SECRET));
    return params;
  }

  private static java.util.function.Function<String, String> headers(String contentType) {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.put("Content-Type", contentType);
    return h::get;
  }

  private static JsonNode json(Response r) throws IOException {
    return Json.MAPPER.readTree(r.bodyText());
  }

  private static byte[] fixture(String name) {
    return Fixtures.bytes(name);
  }
}

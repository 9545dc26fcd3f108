package org.opentsdbcatchpoint.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.TestPlatform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.CatchpointService;
import org.opentsdbcatchpoint.PluginSettings;
import org.opentsdbcatchpoint.config.Settings;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pull.FakeCatchpoint.Reply;
import org.opentsdbcatchpoint.web.Json;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;

/** /plugin/catchpoint/pull/status and /pull/run on the whole service, pulling from the fake Catchpoint. */
class PullEndpointTest {
  private static final String P = Key.PREFIX;
  private static final String ADMIN = "admin-Token-42";
  private FakeCatchpoint fake;
  private CatchpointService service;
  private final List<DataPoint> written = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws Exception {
    fake = new FakeCatchpoint();
    fake.always("/api/v2/tests/explorer/raw", Reply.fixture("rest-v2-raw.json"));
    fake.always("/api/v2/nodes/all", Reply.fixture("rest-v2-nodes-all.json"));
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.shutdown();
    }
    fake.close();
  }

  private CatchpointService service(boolean adminToken) {
    Map<String, String> m = new HashMap<>();
    m.put(P + "push.token", "push-secret-0123456789");
    m.put(P + "pull.accounts", "main");
    m.put(P + "pull.main.api_key", "v2-key");
    m.put(P + "pull.main.base_url", fake.url("/api/v2"));
    m.put(P + "pull.main.tests.web", "100001");
    m.put(P + "pull.main.interval", "1h");
    m.put(P + "pull.main.import_rate", "6000");
    if (adminToken) {
      m.put(P + "pull.admin_token", ADMIN);
    }
    return new CatchpointService(PluginSettings.from(Settings.of(m)), TestPlatform.of(p -> {
      written.add(p);
      return CompletableFuture.completedFuture(null);
    }, () -> false));
  }

  @Test
  void anUnknownActionIsNotEchoedForItCanCarryTheAdminToken() throws Exception {
    service = service(true);
    Response r = call("POST", "pull/run;token=" + ADMIN);
    assertEquals(404, r.status());
    assertEquals("not_found", json(r).path("error").path("kind").asText());
    assertFalse(r.bodyText().contains(ADMIN), r.bodyText());
  }

  private Response call(String method, String path, String... params) throws Exception {
    Map<String, List<String>> q = new HashMap<>();
    for (int i = 0; i < params.length; i += 2) {
      q.put(params[i], Collections.singletonList(params[i + 1]));
    }
    return service.handle(new Request(method, Arrays.asList(path.split("/")), q, name -> null, null))
        .get(10, TimeUnit.SECONDS);
  }

  private static JsonNode json(Response r) throws Exception {
    return Json.MAPPER.readTree(r.bodyText());
  }

  @Test
  void statusBeforeAndAfterStartAndARunOnDemand() throws Exception {
    service = service(true);
    JsonNode before = json(call("GET", "pull/status"));
    assertFalse(before.path("started").asBoolean());
    assertEquals("main", before.path("accounts").get(0).asText());
    assertEquals(404, call("POST", "pull/run", "account", "main", "token", ADMIN).status(), "not started yet");

    service.startPulls(new InMemoryCursorStore());
    assertEquals(401, call("POST", "pull/run", "account", "main").status());
    assertEquals(403, call("POST", "pull/run", "account", "main", "token", "wrong").status(),
        "one rule for every token: missing 401, wrong 403");
    assertEquals(400, call("POST", "pull/run", "token", ADMIN).status());
    assertEquals(404, call("POST", "pull/run", "account", "nobody", "token", ADMIN).status());
    assertEquals(405, call("GET", "pull/run", "account", "main", "token", ADMIN).status());

    Response ran = call("POST", "pull/run", "account", "main", "token", ADMIN, "wait", "");
    assertEquals(200, ran.status(), ran.bodyText());
    assertTrue(json(ran).path("ran").asBoolean() || json(ran).has("message"), ran.bodyText());
    assertFalse(fake.seen("/api/v2/tests/explorer/raw").isEmpty());
    Response accepted = call("POST", "pull/run", "account", "main", "token", ADMIN);
    assertEquals(202, accepted.status(), accepted.bodyText());

    // The schedule starts once the catalog has had its first load (here: a fake with no node list).
    JsonNode status = json(call("GET", "pull/status"));
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (!status.path("tests").get(0).path("next_run").isTextual() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      status = json(call("GET", "pull/status"));
    }
    assertTrue(status.path("started").asBoolean());
    JsonNode test = status.path("tests").get(0);
    assertEquals("main", test.path("account").asText());
    assertEquals(100001, test.path("test_id").asLong());
    assertEquals("web", test.path("test_type").asText());
    assertTrue(test.path("cursor").isTextual(), status.toString());
    assertTrue(test.path("next_run").isTextual(), status.toString());
    assertFalse(status.toString().contains("v2-key"), status.toString());
  }

  @Test
  void anImportAskedForRunsAndShowsItsProgress() throws Exception {
    service = service(true);
    assertEquals(503, call("POST", "pull/import", "account", "main", "tests", "100001", "from", "2024-01-15",
        "to", "2024-01-15", "token", ADMIN).status(), "not started yet");
    service.startPulls(new InMemoryCursorStore());
    assertEquals(401, call("POST", "pull/import", "account", "main", "tests", "100001").status());
    Response badFrom = call("POST", "pull/import", "account", "main", "tests", "100001", "from", "last monday",
        "to", "2024-01-15", "token", ADMIN);
    assertEquals(400, badFrom.status());
    assertEquals("from", json(badFrom).path("error").path("where").asText());
    assertEquals("tests", json(call("POST", "pull/import", "account", "main", "tests", "1x", "from", "2024-01-15",
        "to", "2024-01-15", "token", ADMIN)).path("error").path("where").asText());
    assertEquals(405, call("PUT", "pull/import").status());

    Response asked = call("POST", "pull/import", "account", "main", "tests", "100001", "from", "2024-01-15",
        "to", "2024-01-15", "token", ADMIN);
    assertEquals(202, asked.status(), asked.bodyText());
    JsonNode plan = json(asked).path("import");
    assertEquals("2024-01-15T00:00:00Z", plan.path("from").asText());
    assertEquals("2024-01-16T00:00:00Z", plan.path("to").asText()); // the whole day named
    assertEquals(4, plan.path("windows_total").asInt());
    String id = plan.path("id").asText();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    JsonNode p = null;
    while (System.nanoTime() < deadline) {
      p = json(call("GET", "pull/import", "id", id)).path("import");
      if ("done".equals(p.path("state").asText())) {
        break;
      }
      Thread.sleep(20);
    }
    assertEquals("done", p.path("state").asText(), String.valueOf(p));
    assertEquals(4, p.path("windows_done").asInt());
    assertTrue(p.path("runs").asLong() > 0 && p.path("points").asLong() > 0, String.valueOf(p));
    assertEquals(id, json(call("GET", "pull/status")).path("imports").path(0).path("id").asText());
    assertEquals(id, json(call("GET", "pull/import")).path("imports").path(0).path("id").asText());
    assertEquals(404, call("GET", "pull/import", "id", "main-00000000").status());
    Response again = call("POST", "pull/import", "account", "main", "tests", "100001", "from", "2024-01-15",
        "to", "2024-01-15", "token", ADMIN);
    assertEquals(200, again.status());
    assertFalse(json(again).path("created").asBoolean());
  }

  @Test
  void runOnDemandIsRefusedWithoutAnAdminToken() throws Exception {
    service = service(false);
    service.startPulls(new InMemoryCursorStore());
    assertEquals(403, call("POST", "pull/run", "account", "main", "token", "").status());
  }

  @Test
  void theCatalogIsRefreshedFromTheAccountsOnceStarted() throws Exception {
    service = service(true);
    assertEquals(0, service.catalogSize());
    service.startPulls(new InMemoryCursorStore());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (service.catalogSize() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(1, service.catalogSize());
    assertEquals(1, json(call("GET", "pull/status")).path("catalog").path("size").asInt());
  }
}

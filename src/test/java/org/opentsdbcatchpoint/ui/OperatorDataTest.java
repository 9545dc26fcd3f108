package org.opentsdbcatchpoint.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.catalog.CatalogRefresher;
import org.opentsdbcatchpoint.pull.PullService;
import org.opentsdbcatchpoint.stats.History;
import org.opentsdbcatchpoint.stats.Stats;

/** The operator page's JSON, from the parts it reads. */
class OperatorDataTest {
  private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
  private final Stats stats = new Stats();
  private final PullService pull = mock(PullService.class);
  private final CatalogRefresher catalog = mock(CatalogRefresher.class);
  private final AtomicLong pushed = new AtomicLong();
  private final History history = new History(30, 120).track("push_requests", pushed::get);

  private OperatorData data() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("push.token", "****");
    Map<String, Object> metrics = Collections.<String, Object>singletonMap("derived_names", 7);
    Map<String, Object> sharing = new LinkedHashMap<>();
    sharing.put("mode", "lease");
    sharing.put("pulls_here", Collections.singletonList("acme"));
    return new OperatorData("1.2.3", now::get, config, stats, pull, () -> sharing, catalog, Collections::emptyMap,
        () -> metrics, history);
  }

  @Test
  void countersErrorsAndRates() {
    OperatorData data = data();
    stats.increment("catchpoint.push.requests", "status", "200");
    stats.increment("catchpoint.push.requests", "status", "400");
    stats.pushErrors().add(now.get(), 400, "invalid_json", "the body is not valid JSON", "line 1, column 2");
    history.sample(now.get());
    pushed.set(60);
    now.addAndGet(30_000);
    history.sample(now.get());

    JsonNode d = data.get();
    assertEquals("1.2.3", d.path("version").asText());
    assertEquals(30, d.path("uptime_seconds").asLong());
    assertEquals("****", d.path("config").path("push.token").asText());
    assertEquals(1, d.path("push").path("requests").path("400").asLong());
    JsonNode e = d.path("push").path("recent_errors").get(0);
    assertEquals("invalid_json", e.path("kind").asText());
    assertEquals("line 1, column 2", e.path("where").asText());
    assertEquals(7, d.path("metrics").path("derived_names").asInt());
    assertEquals(30, d.path("history").path("step_seconds").asInt());
    JsonNode point = d.path("history").path("series").path("push_requests").get(0);
    assertEquals(now.get() / 1000, point.get(0).asLong());
    assertEquals(2.0, point.get(1).asDouble());
  }

  @Test
  void theCatalogListsTheFirstUnknownNodesAndCountsThemAll() {
    List<Long> unknown = new ArrayList<>();
    for (long id = 1; id <= OperatorData.UNKNOWN_SHOWN + 5; id++) {
      unknown.add(id);
    }
    when(catalog.unknownNodes()).thenReturn(unknown);
    when(catalog.size()).thenReturn(6);
    when(catalog.lastError()).thenReturn("HTTP 503 from the node API");

    JsonNode c = data().get().path("catalog");
    assertEquals(6, c.path("nodes").asInt());
    assertEquals(OperatorData.UNKNOWN_SHOWN + 5, c.path("unknown_nodes").asInt());
    assertEquals(OperatorData.UNKNOWN_SHOWN, c.path("unknown").size());
    assertEquals(1, c.path("unknown").get(0).asLong());
    assertTrue(c.path("age_seconds").isNull(), "never refreshed: no age");
    assertEquals("HTTP 503 from the node API", c.path("last_error").asText());
  }

  @Test
  void pullsPerAccountAndTest() {
    when(pull.started()).thenReturn(true);
    when(pull.accounts()).thenReturn(Arrays.asList("main"));
    when(pull.lagSeconds()).thenReturn(Collections.singletonMap("main", 42L));
    Map<String, Object> test = new LinkedHashMap<>();
    test.put("account", "main");
    test.put("test_id", 100001L);
    test.put("last_error", "HTTP 401");
    when(pull.status()).thenReturn(Collections.singletonList(test));

    JsonNode p = data().get().path("pull");
    assertTrue(p.path("started").asBoolean());
    assertEquals(42, p.path("lag_seconds").path("main").asLong());
    assertEquals("HTTP 401", p.path("tests").get(0).path("last_error").asText());
  }
}

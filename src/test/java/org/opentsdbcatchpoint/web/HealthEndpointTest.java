package org.opentsdbcatchpoint.web;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.stats.Stats;

class HealthEndpointTest {
  private final AtomicBoolean readOnly = new AtomicBoolean();
  private final HealthEndpoint health = new HealthEndpoint("1.0", () -> 1_000L,
      Collections.<String, Object>emptyMap(), new Stats(), LinkedHashMap::new).acceptsPushes(() -> !readOnly.get());

  private Response get(String query) throws Exception {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (query != null) {
      String[] kv = query.split("=", 2);
      params.put(kv[0], Collections.singletonList(kv[1]));
    }
    return health.handle(new Request("GET", Collections.singletonList("health"), params, h -> null, new byte[0]))
        .get(5, SECONDS);
  }

  @Test
  void aLoadBalancerAsksWhetherThisTsdTakesPushes() throws Exception {
    Response ok = get("check=push");
    assertEquals(200, ok.status());
    assertEquals("{\"status\":\"ok\",\"accepts_pushes\":true}", ok.bodyText());
    readOnly.set(true);
    Response ro = get("check=push");
    assertEquals(503, ro.status(), "tsd.mode=ro: route the pushes elsewhere");
    assertEquals("{\"status\":\"read_only\",\"accepts_pushes\":false}", ro.bodyText());
    JsonNode full = Json.MAPPER.readTree(get(null).bodyText());
    assertEquals(200, get(null).status(), "the health page itself stays 200");
    assertEquals(false, full.path("accepts_pushes").asBoolean(true));
    assertEquals(400, get("check=pull").status());
  }

  @Test
  void aMissingValueInASectionIsJsonNull() throws Exception {
    Map<String, Object> lease = new LinkedHashMap<>();
    lease.put("holder", null);
    lease.put("this_tsd", false);
    lease.put("accounts", Arrays.asList("acme", "globex"));
    health.section("pulls", () -> Collections.<String, Object>singletonMap("catalog", lease));
    JsonNode pulls = Json.MAPPER.readTree(get(null).bodyText()).path("pulls");
    assertEquals("{\"catalog\":{\"holder\":null,\"this_tsd\":false,\"accounts\":[\"acme\",\"globex\"]}}",
        pulls.toString());
  }
}

package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The plugin creates at most metrics.max_derived derived metric names in all, counted from the TSD's
 * UID table, so a restart does not reset the count. Late in the run: it uses up the stack's budget
 * (later tests write only names of the naming table).
 */
@Order(98)
class MetricNamesTotalIT {

  static JsonNode metrics() throws Exception {
    Tsd.Answer h = Tsd.get("/plugin/catchpoint/health");
    assertEquals(200, h.status, h::toString);
    return h.json.path("metrics");
  }

  @Test
  void theTotalIsBoundedAndSurvivesARestart() throws Exception {
    int max = metrics().path("max_derived").asInt();
    assertEquals(400, max, "metrics.max_derived of opentsdb-extra.conf");
    String p = PushBoundsIT.prefix();
    int post = 0;
    while (metrics().path("derived_names").asInt() < max) {
      assertTrue(post < max, "the budget never ran out");
      ObjectNode run = PushBoundsIT.dnsRun();
      ObjectNode timing = (ObjectNode) run.path("Summary").path("Timing");
      for (int i = 0; i < 20; i++) {
        timing.put(p + "p" + post + "f" + i, i);
      }
      assertEquals(200, Tsd.push(Tsd.JSON.writeValueAsBytes(run)).status);
      post++;
    }
    assertEquals(max, metrics().path("derived_names").asInt(), "never beyond the bound");
    int created = PushBoundsIT.namesStartingWith("catchpoint.timing." + p);

    ObjectNode run = PushBoundsIT.dnsRun();
    ((ObjectNode) run.path("Summary").path("Timing")).put(p + "late", 1);
    Tsd.Answer a = Tsd.push(Tsd.JSON.writeValueAsBytes(run), "application/json", "&details");
    assertEquals(200, a.status, a::toString);
    JsonNode skipped = null;
    for (JsonNode d : a.json.path("details")) {
      if (d.path("field").asText().equals("catchpoint.timing." + p + "late")) {
        skipped = d;
      }
    }
    assertTrue(skipped != null && skipped.path("reason").asText().equals("metric_budget")
        && skipped.path("detail").asText().contains("metrics.max_derived"), a::toString);

    Tsd.stack("restart-tsd");
    assertEquals(max, metrics().path("derived_names").asInt(), "counted again from the UID table");
    assertEquals(200, Tsd.push(Tsd.JSON.writeValueAsBytes(run)).status);
    assertEquals(created, PushBoundsIT.namesStartingWith("catchpoint.timing." + p), "no name after the restart");
  }
}

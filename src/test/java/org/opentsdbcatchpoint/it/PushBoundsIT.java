package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * What one push can cost the real TSD: a body of fifty thousand unknown keys is refused at once,
 * a body of thousands creates at most metrics.max_new_per_request (16) metric names, and so does
 * every template post of unknown fields. The metric names are counted in the TSD's own UID table
 * (/api/suggest), each test under a prefix of its own.
 */
@Order(4)
class PushBoundsIT {
  /** The deadline of the test stack (push.ack_timeout_ms in opentsdb-extra.conf). */
  static final long ACK_TIMEOUT_MS = 3000;
  /** What "within the deadline" may add: scheduling and the loopback round trip. */
  static final long MARGIN_MS = 1000;
  static final int NEW_PER_REQUEST = 16;

  /** A prefix no other test writes: {@code zq<random>}. */
  static String prefix() {
    return "zq" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36);
  }

  /** How many metric names the TSD holds that start with {@code catchpoint.<group>.<prefix>}. */
  static int namesStartingWith(String metricPrefix) throws Exception {
    Tsd.Answer a = Tsd.get("/api/suggest?type=metrics&max=100000&q=" + metricPrefix);
    assertEquals(200, a.status, a::toString);
    return a.json.size();
  }

  static ObjectNode dnsRun() throws Exception {
    return (ObjectNode) Tsd.JSON.readTree(Tsd.fixtureBytes("push-dns-v3.json"));
  }

  @Test
  void fiftyThousandUnknownKeysAreRefusedAtOnceAndCreateNoName() throws Exception {
    ObjectNode run = dnsRun();
    ObjectNode timing = (ObjectNode) run.path("Summary").path("Timing");
    for (int i = 0; i < 50_000; i++) {
      timing.put("K" + i, i);
    }
    byte[] body = Tsd.JSON.writeValueAsBytes(run);
    int before = namesStartingWith("catchpoint.timing.k");
    assertTrue(body.length > 500_000 && body.length < 1_048_576, "most of a megabyte, under the body limit: " + body.length);

    long started = System.nanoTime();
    Tsd.Answer a = Tsd.push(body);
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertEquals(413, a.status, a::toString);
    assertEquals("too_many_fields", a.json.path("error").path("kind").asText(), a::toString);
    assertTrue(tookMs < ACK_TIMEOUT_MS + MARGIN_MS, "answered after " + tookMs + " ms");
    assertEquals(before, namesStartingWith("catchpoint.timing.k"));
    assertEquals(200, Tsd.get("/api/version").status, "the TSD keeps serving");
  }

  @Test
  void thousandsOfUnknownKeysCreateAtMostTheBudgetOfOneRequest() throws Exception {
    String p = prefix();
    ObjectNode run = dnsRun();
    run.put("TestId", 800_000_000L + ThreadLocalRandom.current().nextInt(100_000_000));
    ObjectNode timing = (ObjectNode) run.path("Summary").path("Timing");
    for (int i = 0; i < 3000; i++) {
      timing.put(p + "K" + i, i);
    }
    long started = System.nanoTime();
    Tsd.Answer a = Tsd.push(Tsd.JSON.writeValueAsBytes(run), "application/json", "&details");
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertEquals(200, a.status, a::toString);
    assertTrue(tookMs < ACK_TIMEOUT_MS + MARGIN_MS, "answered after " + tookMs + " ms");
    int budgetSkips = 0;
    for (JsonNode d : a.json.path("details")) {
      if ("metric_budget".equals(d.path("reason").asText())) {
        budgetSkips++;
      }
    }
    // Every one is counted; at most a thousand are listed, and the answer says how many more there were.
    assertEquals(3000 - NEW_PER_REQUEST, a.json.path("skipped").asInt());
    assertEquals(1000, budgetSkips);
    assertEquals(3000 - NEW_PER_REQUEST - 1000, a.json.path("details_omitted").asInt());
    // Keys become snake case (zq...K0 -> zq..._k0); the first 16 in the body were created and written.
    assertEquals(NEW_PER_REQUEST, namesStartingWith("catchpoint.timing." + p));
    String testId = Long.toString(run.path("TestId").asLong());
    for (int i : new int[] {0, NEW_PER_REQUEST - 1}) {
      Tsd.Series s = Tsd.only("catchpoint.timing." + p + "_k" + i, java.util.Map.of("test_id", testId), 1705320000L,
          1705323600L);
      assertEquals(java.util.Map.of(1705320289L, (double) i), s.dps);
    }
    assertEquals(0, namesStartingWith("catchpoint.timing." + p + "_k" + NEW_PER_REQUEST));
  }

  @Test
  void everyTemplatePostOfUnknownFieldsCreatesAtMostItsBudget() throws Exception {
    String p = prefix();
    for (int post = 0; post < 20; post++) {
      ObjectNode run = (ObjectNode) Tsd.JSON.readTree(Tsd.fixtureBytes("push-template-filled.json"));
      ObjectNode timing = (ObjectNode) run.path("timing");
      for (int i = 0; i < 300; i++) {
        timing.put(p + "p" + post + "f" + i, Integer.toString(i));
      }
      Tsd.Answer a = Tsd.push(Tsd.JSON.writeValueAsBytes(run));
      assertEquals(200, a.status, a::toString);
      assertEquals(NEW_PER_REQUEST, namesStartingWith("catchpoint.timing." + p + "p" + post + "f"),
          "post " + post);
    }
    assertEquals(20 * NEW_PER_REQUEST, namesStartingWith("catchpoint.timing." + p));
  }
}

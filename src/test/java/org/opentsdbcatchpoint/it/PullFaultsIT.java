package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catchpoint answering wrong (the fake's /__fake/fault): a 200 of garbage, an HTML login page, a body
 * shorter than its Content-Length, a chunked body cut mid-JSON, an endless answer and one that trickles
 * a byte a second. An extra TSD of its own pulls two accounts of its own (v1 windowed, v2; their own test
 * ids, so no other test's data or cursor is touched) with small bounds: a 2 s read timeout, a 4 s
 * answer_deadline and the smallest max_answer_bytes (1 MB), and an hour's interval, so that only the
 * pulls this test asks for (the admin endpoint) take the faults. Each fault is bounded in time, counted
 * and shown (status, /health), the TSD keeps answering, and once the fake answers well the cursors
 * backfill every run, once.
 */
@Order(16)
class PullFaultsIT {
  static final String NAME = "faults";
  static final String V1 = "ftv1";
  static final long V1_WEB = 900411;
  static final String V2 = "ftv2";
  static final long V2_WEB = 900421;
  static final long DEADLINE_MS = 4000;
  static final long READ_TIMEOUT_MS = 2000;
  static final long MAX_ANSWER_BYTES = 1 << 20;

  private String tsd;

  @AfterEach
  void cleanUp() throws Exception {
    Pulls.fake("POST", "/__fake/reset");
    if (tsd != null) {
      Tsd.extraTsdStop(NAME);
    }
  }

  @Test
  void misbehavingAnswersAreBoundedCountedAndLeaveNoGap(@TempDir Path tmp) throws Exception {
    Path conf = tmp.resolve("faults.conf");
    StringBuilder c = new StringBuilder()
        .append("tsd.plugin.catchpoint.pull.accounts = ").append(V1).append(',').append(V2).append('\n')
        .append("tsd.plugin.catchpoint.pull.mode = always\n")
        .append("tsd.plugin.catchpoint.pull.admin_token = ").append(Pulls.ADMIN_TOKEN).append('\n')
        .append("tsd.plugin.catchpoint.pull.cursor_file = @TSD_DIR@/cursors.properties\n");
    for (String a : List.of(V1, V2)) {
      String p = "tsd.plugin.catchpoint.pull." + a + ".";
      boolean v1 = a.equals(V1);
      c.append(p).append("api = ").append(v1 ? "v1" : "v2").append('\n')
          .append(v1
              ? p + "client_id = fake-client\n" + p + "client_secret = " + Pulls.CLIENT_SECRET + "\n" + p + "windowed = true\n"
              : p + "api_key = " + Pulls.API_KEY + "\n")
          .append(p).append("base_url = @FAKE_CATCHPOINT_URL@").append(v1 ? "/ui/api" : "/api/v2").append('\n')
          .append(p).append("tests.web = ").append(v1 ? V1_WEB : V2_WEB).append('\n')
          .append(p).append("interval = 1h\n").append(p).append("lag = 5s\n").append(p).append("window = 10m\n")
          .append(p).append("timeout = ").append(READ_TIMEOUT_MS / 1000).append("s\n")
          .append(p).append("answer_deadline = ").append(DEADLINE_MS / 1000).append("s\n")
          .append(p).append("max_answer_bytes = ").append(MAX_ANSWER_BYTES).append('\n');
    }
    Files.writeString(conf, c);
    // A cursor file of an earlier run on the same stack would start the pulls from its time.
    Files.deleteIfExists(Path.of(System.getProperty("it.stack.dir"), "tsds", NAME, "cursors.properties"));
    tsd = Tsd.extraTsd(NAME, Tsd.freePort(), conf);

    // A first whole cycle of each (the hour before now), so that the cursors are near now.
    both(a -> pull(a));
    long v1Cursor = cursor(V1, V1_WEB);
    long v2Cursor = cursor(V2, V2_WEB);
    long before = Math.min(v1Cursor, v2Cursor);
    assertTrue(before > Pulls.now() - 60, "the cursors are not near now: " + Instant.ofEpochSecond(before));
    Map<String, Long> start = counters();
    Map<String, Long> fakeStart = fakeCounts();

    // 1. Four wrong answers and a fifth: every attempt of the window's call goes wrong, so it gives up.
    fault("garbage,html,truncated,chunk-cut,garbage");
    Map<String, Long> took = both(a -> pull(a));
    Map<String, Long> gaveUp = took;
    Map<String, Long> now = counters();
    for (String a : List.of(V1, V2)) {
      // Five attempts, with four backoffs of at most 1, 2, 4 and 8 s between them.
      assertTrue(took.get(a) < 5 * READ_TIMEOUT_MS + 15_000 + 5000, a + " took " + took.get(a) + " ms to give up");
      assertEquals(5, delta(start, now, "io_errors", a), a + ": every wrong answer is an I/O error: " + now);
      assertTrue(delta(start, now, "bad_answers", a) >= 3, a + ": garbage twice and the HTML page are bad answers: "
          + now);
      assertEquals(4, delta(start, now, "retries", a), a + ": " + now);
      assertEquals(1, delta(start, now, "windows_failed", a), a + ": " + now);
      JsonNode t = testStatus(a, a.equals(V1) ? V1_WEB : V2_WEB);
      assertTrue(t.path("last_error").asText().contains("gave up after 5 attempts"), t::toString);
    }
    Map<String, Long> fakeNow = fakeCounts();
    assertEquals(Map.of("fault_garbage", 4L, "fault_html", 2L, "fault_truncated", 2L, "fault_chunk-cut", 2L),
        Map.of("fault_garbage", fakeNow.get("fault_garbage") - fakeStart.get("fault_garbage"),
            "fault_html", fakeNow.get("fault_html") - fakeStart.get("fault_html"),
            "fault_truncated", fakeNow.get("fault_truncated") - fakeStart.get("fault_truncated"),
            "fault_chunk-cut", fakeNow.get("fault_chunk-cut") - fakeStart.get("fault_chunk-cut")),
        "every armed fault was served, to these pulls");
    assertEquals(v1Cursor, cursor(V1, V1_WEB), "the v1 cursor stayed");
    assertEquals(v2Cursor, cursor(V2, V2_WEB), "the v2 cursor stayed");

    // 2. An endless answer: cut at max_answer_bytes, not retried before the next interval.
    fault("endless");
    long endlessBefore = Pulls.fakeCount("endless_chars");
    took = both(a -> pull(a));
    Map<String, Long> endlessCut = took;
    now = counters();
    for (String a : List.of(V1, V2)) {
      assertTrue(took.get(a) < DEADLINE_MS, a + " took " + took.get(a) + " ms to cut an endless answer");
      assertEquals(1, delta(start, now, "answers_too_large", a), a + ": " + now);
      assertEquals(2, delta(start, now, "windows_failed", a), a + ": " + now);
    }
    long endlessChars = Pulls.await("the fake noticed both clients left", () -> Pulls.fakeCount("endless_chars")
        - endlessBefore, n -> n > 2 * MAX_ANSWER_BYTES, Duration.ofSeconds(10));

    // 3. A byte a second: cut at answer_deadline (at most a read timeout after it), while the TSD answers.
    fault("trickle");
    CompletableFuture<Map<String, Long>> trickled = CompletableFuture.supplyAsync(() -> {
      try {
        return both(a -> pull(a));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    // Meanwhile the TSD serves: its health, and a query of what it pulled.
    long served = 0;
    while (!trickled.isDone()) {
      long asked = System.nanoTime();
      Tsd.Answer h = Tsd.get(tsd, "/plugin/catchpoint/health");
      assertEquals(200, h.status, h::toString);
      assertTrue(!Tsd.query(tsd, "catchpoint.timing.dns", Map.of("test_id", Long.toString(V2_WEB)), before - 600,
          before).isEmpty(), "the pulled hour reads back");
      assertTrue(System.nanoTime() - asked < 2_000_000_000L, "a health and a query took over 2 s during the trickle");
      served++;
      Thread.sleep(250);
    }
    took = trickled.get();
    now = counters();
    for (String a : List.of(V1, V2)) {
      assertTrue(took.get(a) >= DEADLINE_MS && took.get(a) < DEADLINE_MS + READ_TIMEOUT_MS + 2000,
          a + " took " + took.get(a) + " ms to cut a trickling answer");
      assertEquals(1, delta(start, now, "answers_too_slow", a), a + ": " + now);
      assertEquals(3, delta(start, now, "windows_failed", a), a + ": " + now);
    }
    assertTrue(served > 0);
    JsonNode health = Tsd.get(tsd, "/plugin/catchpoint/health").json.path("counters");
    for (String k : List.of("bad_answers", "answers_too_large", "answers_too_slow", "windows_failed")) {
      assertTrue(health.path("catchpoint.pull." + k + "{account=" + V2 + "}").asLong() > 0, k + " in " + health);
    }

    // 4. Well again: one pull each backfills from the cursors, every run once.
    both(a -> pull(a));
    long after = Math.min(cursor(V1, V1_WEB), cursor(V2, V2_WEB));
    assertTrue(after > Math.max(v1Cursor, v2Cursor), "the cursors moved on");
    for (String a : List.of(V1, V2)) {
      assertTrue(testStatus(a, a.equals(V1) ? V1_WEB : V2_WEB).path("last_error").isNull());
    }
    Pulls.assertExactly(V1_WEB, "DNS (ms)", "catchpoint.timing.dns", before - 3000, after);
    Pulls.assertExactly(V2_WEB, "DNS (ms)", "catchpoint.timing.dns", before - 3000, after);
    Pulls.assertExactly(V2_WEB, "Document Complete (ms)", "catchpoint.timing.document_complete", before - 3000, after);
    System.out.println("PullFaultsIT: five wrong answers given up after " + gaveUp + " ms; endless answers cut after "
        + endlessCut + " ms (the fake sent " + endlessChars + " characters for two cuts at " + MAX_ANSWER_BYTES
        + " bytes); trickles cut after " + took + " ms (" + served + " health and query rounds meanwhile); counters "
        + counters());
  }

  /**
   * Arms faults for the next raw answers of each account's test (the main TSD's pulls of other tests
   * are answered well), once a new window is due: a pull right after another has nothing to ask for.
   */
  private void fault(String kinds) throws Exception {
    long cursors = Math.max(cursor(V1, V1_WEB), cursor(V2, V2_WEB));
    Pulls.await("a new window to pull", () -> Pulls.now() - Pulls.LAG_SECONDS - cursors, n -> n >= 1,
        Duration.ofSeconds(10));
    Pulls.fake("POST", "/__fake/fault?kinds=" + kinds + "&trickle_ms=1000&api=v1&test=" + V1_WEB);
    Pulls.fake("POST", "/__fake/fault?kinds=" + kinds + "&trickle_ms=1000&api=v2&test=" + V2_WEB);
  }

  private static Map<String, Long> fakeCounts() throws IOException, InterruptedException {
    JsonNode r = Pulls.fake("GET", "/__fake/requests").json;
    Map<String, Long> m = new LinkedHashMap<>();
    for (String k : List.of("fault_garbage", "fault_html", "fault_truncated", "fault_chunk-cut")) {
      m.put(k, r.path(k).asLong(0));
    }
    return m;
  }

  /** Both accounts' calls at once; the milliseconds each took. */
  private static Map<String, Long> both(Call call) throws Exception {
    Map<String, CompletableFuture<Long>> f = new LinkedHashMap<>();
    for (String a : List.of(V1, V2)) {
      f.put(a, CompletableFuture.supplyAsync(() -> {
        long t0 = System.nanoTime();
        try {
          call.run(a);
        } catch (Exception e) {
          throw new IllegalStateException(a + ": " + e, e);
        }
        return (System.nanoTime() - t0) / 1_000_000;
      }));
    }
    Map<String, Long> took = new LinkedHashMap<>();
    for (Map.Entry<String, CompletableFuture<Long>> e : f.entrySet()) {
      took.put(e.getKey(), e.getValue().get());
    }
    return took;
  }

  interface Call {
    void run(String account) throws Exception;
  }

  /** Runs a whole cycle of an account now (again while a scheduled one is running). */
  private void pull(String account) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      Tsd.Answer a = Tsd.send(Tsd.request(tsd, "/plugin/catchpoint/pull/run?account=" + account + "&wait&token="
          + Pulls.ADMIN_TOKEN).timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.noBody()).build());
      if (a.status == 404 && a.toString().contains("have not started")) {
        Thread.sleep(200); // the TSD is up, its pulls start after the catalog's first load
        continue;
      }
      assertEquals(200, a.status, a::toString);
      if (a.json.path("ran").asBoolean()) {
        return;
      }
      Thread.sleep(200);
    }
    fail("no pull of " + account + " could be run within 2 minutes");
  }

  private JsonNode testStatus(String account, long test) throws IOException, InterruptedException {
    Tsd.Answer s = Tsd.get(tsd, "/plugin/catchpoint/pull/status");
    assertEquals(200, s.status, s::toString);
    return Pulls.testStatus(s.json, account, test);
  }

  private long cursor(String account, long test) throws IOException, InterruptedException {
    JsonNode c = testStatus(account, test).path("cursor");
    assertTrue(c.isTextual(), () -> account + "/" + test + " has no cursor");
    return Instant.parse(c.asText()).getEpochSecond();
  }

  /** The extra TSD's pull counters, "name{account=A}" without the catchpoint.pull. prefix. */
  private Map<String, Long> counters() throws IOException, InterruptedException {
    Tsd.Answer h = Tsd.get(tsd, "/plugin/catchpoint/health");
    assertEquals(200, h.status, h::toString);
    Map<String, Long> m = new LinkedHashMap<>();
    h.json.path("counters").fields().forEachRemaining(e -> {
      if (e.getKey().startsWith("catchpoint.pull.")) {
        m.put(e.getKey().substring("catchpoint.pull.".length()), e.getValue().asLong());
      }
    });
    return m;
  }

  private static long delta(Map<String, Long> from, Map<String, Long> to, String counter, String account) {
    String k = counter + "{account=" + account + "}";
    return to.getOrDefault(k, 0L) - from.getOrDefault(k, 0L);
  }
}

package org.opentsdbcatchpoint.alert;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.TestPlatform;
import org.opentsdbcatchpoint.stats.Stats;
import org.opentsdbcatchpoint.web.AccessToken;
import org.opentsdbcatchpoint.web.Json;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;

/** The alert endpoint's contract: the push's token rules and statuses, the answer, the series it picks. */
class AlertReceiverTest {
  static final long T = 1_705_320_000L;
  static final String TOKEN = "s3cret";

  private final MemoryAnnotations notes = new MemoryAnnotations()
      .known("000001000001000001", "test_id", "100001")
      .known("000001000001000001000002000002", "node_id", "540", "test_id", "100001");
  private final AtomicBoolean readOnly = new AtomicBoolean();
  private final Stats stats = new Stats();
  private final ExecutorService writers = Executors.newSingleThreadExecutor();
  private final ScheduledExecutorService timer = TestPlatform.THREADS.scheduled("alert-timer", 1);
  private final AlertReceiver receiver = new AlertReceiver(new AlertDecoder(1 << 20, 5000, 86400),
      new AlertBook(new InMemoryAlertStore(), notes, System::nanoTime), notes,
      name -> name.equals("Frankfurt, DE - AWS") ? 540L : null, AccessToken.of(TOKEN), readOnly::get, 300, writers,
      timer, System::nanoTime, () -> (T + 60) * 1000, stats);

  @AfterEach
  void stop() {
    writers.shutdownNow();
    timer.shutdownNow();
  }

  private Response post(String body, String... pathAndToken) throws Exception {
    List<String> path = new ArrayList<>(Collections.singletonList("alert"));
    Map<String, List<String>> params = Collections.singletonMap("token", Collections.singletonList(TOKEN));
    if (pathAndToken.length > 0) {
      path.addAll(Arrays.asList(pathAndToken));
      params = Collections.emptyMap();
    }
    return receiver.handle(new Request("POST", path, params, h -> null, body.getBytes(StandardCharsets.UTF_8)))
        .get(5, SECONDS);
  }

  private static JsonNode json(Response r) throws Exception {
    return Json.MAPPER.readTree(r.bodyText());
  }

  static String alert(String level, String node) {
    return "{\"src\":\"catchpoint-alert\",\"testId\":\"100001\",\"testName\":\"Homepage (prod)\",\"nodeName\":\"" + node
        + "\",\"notificationLevelId\":\"" + level + "\",\"alertTypeId\":\"7\",\"alertProcessingTimestampUtcEpoch\":\""
        + T + "\"}";
  }

  @Test
  void anAlertIsAnsweredWithItsNotesOnceStored() throws Exception {
    Response r = post(alert("1", "Frankfurt, DE - AWS"));
    assertEquals(200, r.status(), r.bodyText());
    JsonNode body = json(r);
    assertEquals("opened", body.path("action").asText());
    assertEquals(540, body.path("alert").path("node_id").asLong(), "the node id found for the node's name");
    assertEquals("critical", body.path("alert").path("level").asText());
    assertEquals("template-json", body.path("alert").path("format").asText());
    List<String> on = new ArrayList<>();
    body.path("notes").forEach(n -> on.add(n.path("on").asText() + "@" + n.path("startTime").asLong()));
    assertEquals(Arrays.asList("test@" + T, "node@" + T, "global@" + T), on);
    assertEquals(3, notes.notes.size());
    assertEquals(1, stats.get("catchpoint.alert.requests", "status", "200"));
    assertEquals(3, stats.get("catchpoint.alert.notes.written"));

    Response improved = post(alert("3", "Frankfurt, DE - AWS"));
    assertEquals("ended", json(improved).path("action").asText());
    assertEquals(T, notes.at("", T).endSeconds, "improved at the same second");
  }

  @Test
  void aNodeOrTestWithoutSeriesGetsTheGlobalNoteAndTheAnswerSaysWhy() throws Exception {
    JsonNode body = json(post(alert("0", "Nowhere, XX")));
    assertEquals(2, body.path("notes").size(), body::toString);
    assertTrue(body.path("skipped").path("node").asText().contains("Nowhere, XX"), body::toString);
    JsonNode unknownTest = json(post("{\"testId\":999,\"notificationLevelId\":0}"));
    assertEquals(1, unknownTest.path("notes").size());
    assertEquals("global", unknownTest.path("notes").get(0).path("on").asText());
    assertTrue(unknownTest.path("skipped").path("test").asText().contains("test 999"));
    assertEquals("arrival", unknownTest.path("alert").path("time_from").asText());
    assertEquals(T + 60, unknownTest.path("alert").path("time").asLong());
  }

  @Test
  void tokensMethodsAndReadOnlyAsForPush() throws Exception {
    Response none = receiver.handle(new Request("POST", Collections.singletonList("alert"),
        Collections.<String, List<String>>emptyMap(), h -> null, alert("0", "x").getBytes(StandardCharsets.UTF_8)))
        .get(5, SECONDS);
    assertEquals(401, none.status());
    assertEquals("missing_token", json(none).path("error").path("kind").asText());
    assertEquals(403, post(alert("0", "x"), "wrong").status());
    assertEquals(200, post(alert("0", "x"), TOKEN).status(), "the token as a path segment");
    Response get = receiver.handle(new Request("GET", Collections.singletonList("alert"),
        Collections.<String, List<String>>emptyMap(), h -> null, null)).get(5, SECONDS);
    assertEquals(405, get.status());
    assertEquals("POST", get.headers().get("Allow"));
    assertEquals(404, post(alert("0", "x"), TOKEN, "more").status());
    readOnly.set(true);
    Response ro = post(alert("0", "x"));
    assertEquals(503, ro.status());
    assertEquals("read_only", json(ro).path("error").path("kind").asText());
  }

  @Test
  void aBadBodyIsA400WithWhatAndWhere() throws Exception {
    Response r = post("{\"testId\":1,\"notificationLevelId\":\"7\"}");
    assertEquals(400, r.status());
    JsonNode e = json(r).path("error");
    assertEquals("invalid_field", e.path("kind").asText());
    assertEquals("notificationLevelId", e.path("where").asText());
    assertEquals(1, stats.get("catchpoint.alert.errors", "kind", "invalid_field"));
    assertEquals(0, notes.notes.size());
    assertFalse(stats.pushErrors().list().isEmpty(), "listed on the operator page");
  }

  @Test
  void storageThatDoesNotAnswerIsA503AtTheDeadline() throws Exception {
    notes.hang = true;
    long started = System.nanoTime();
    Response r = post(alert("1", "x"));
    assertEquals(503, r.status());
    assertEquals("storage_timeout", json(r).path("error").path("kind").asText());
    assertTrue(System.nanoTime() - started < 4_000_000_000L, "answered at the deadline (300 ms), not later");
    notes.hang = false;
    notes.failure = new IllegalStateException("HBase down");
    Response failed = post(alert("1", "x"));
    assertEquals(503, failed.status());
    assertEquals("storage_error", json(failed).path("error").path("kind").asText());
    notes.failure = null;
    assertEquals(200, post(alert("1", "x")).status(), "the retry stores it");
  }
}

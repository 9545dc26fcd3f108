package org.opentsdbcatchpoint.push;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.zip.GZIPOutputStream;
import org.opentsdbcatchpoint.web.AccessToken;
import org.opentsdbcatchpoint.catalog.NodeLookup;
import org.opentsdbcatchpoint.catalog.CatalogHolder;
import org.opentsdbcatchpoint.catalog.Node;
import org.opentsdbcatchpoint.catalog.StaticNodeCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.Fixtures;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.mapping.RunMapper;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.SkipReason;
import org.opentsdbcatchpoint.pipeline.RejectedPointException;
import org.opentsdbcatchpoint.pipeline.TestStages;
import org.opentsdbcatchpoint.pipeline.MetricBudget;
import org.opentsdbcatchpoint.pipeline.WriteStage;
import org.opentsdbcatchpoint.pipeline.Writer;
import org.opentsdbcatchpoint.stats.Stats;
import org.opentsdbcatchpoint.web.Json;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;

class PushReceiverTest {
  private static final String SECRET = "s3cr3t-Push-Token-7Qx";
  /** 2024-01-16T00:00:00Z: one day after the fixtures' run times. */
  private static final long NOW_MILLIS = 1_705_363_200_000L;
  private static final int MAX_BODY = 64 * 1024;
  private static final long SHORT_TIMEOUT_MS = 200;
  /** For tests that must not time out while the test thread works: the answer comes from the futures. */
  private static final long LONG_TIMEOUT_MS = 60_000;
  private static final Executor DIRECT = Runnable::run;

  private ScheduledThreadPoolExecutor timer;
  private ExecutorService ownThread;
  private Stats stats;
  private FakeWriter writer;
  private PushDecoder decoder;
  private RunMapper mapper;
  private MetricBudget budget;
  /** The receiver's catalog lookup; by default one that knows no node and never learns one. */
  private NodeLookup lookup;

  @BeforeEach
  void setUp() {
    timer = new ScheduledThreadPoolExecutor(1);
    timer.setRemoveOnCancelPolicy(true);
    stats = new Stats();
    writer = new FakeWriter();
    decoder = new PushDecoder(DecodeOptions.defaults(), MAX_BODY, 86_400);
    mapper = new RunMapper(() -> NodeCatalog.EMPTY, Vocabulary.ENRICHMENT_TAGS, 8);
    budget = TestStages.defaultBudget();
    lookup = NodeLookup.fixed(new CatalogHolder());
  }

  @AfterEach
  void tearDown() {
    timer.shutdownNow();
    if (ownThread != null) {
      ownThread.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- success

  @Test
  void answers200WithCountsOnceEveryWriteIsAcknowledged() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    writer.mode = Mode.PENDING;
    int expected = expectedPoints("push-web-default.json");

    CompletableFuture<Response> answer = receiver.handle(post(withToken(), fixture("push-web-default.json")));

    assertEquals(expected, writer.points.size(), "every mapped point was handed to the writer");
    assertFalse(answer.isDone(), "no answer before storage acknowledged anything");
    for (int i = 0; i < writer.futures.size() - 1; i++) {
      writer.futures.get(i).complete(null);
    }
    assertFalse(answer.isDone(), "no answer while one point is still unacknowledged");
    writer.futures.get(writer.futures.size() - 1).complete(null);

    Response r = answer.get(5, SECONDS);
    assertNoSecret(r);
    assertEquals(200, r.status());
    JsonNode body = json(r);
    assertEquals(expected, body.path("written").asInt());
    assertEquals(3, body.path("skipped").asInt());
    assertFalse(body.has("details"), "details only when asked for");
    JsonNode run = body.path("run");
    assertEquals(100001, run.path("test_id").asLong());
    assertEquals(540, run.path("node_id").asLong());
    assertEquals("web", run.path("test_type").asText());
    assertEquals("default-json", run.path("format").asText());
    assertEquals(1_705_320_873L, run.path("timestamp").asLong());

    assertEquals(1, stats.get("catchpoint.push.requests", "status", "200"));
    assertEquals(1, stats.get("catchpoint.push.runs", "format", "default-json"));
    assertEquals(expected, stats.get("catchpoint.push.datapoints.written"));
    assertEquals(2, stats.get("catchpoint.push.fields.skipped", "reason", SkipReason.NESTED_OBJECT));
    assertEquals(1, stats.get("catchpoint.push.fields.skipped", "reason", SkipReason.DISABLED));
    assertEquals(0, stats.get("catchpoint.push.storage.errors", "kind", "error"));
    assertEquals(0, stats.get("catchpoint.push.storage.errors", "kind", "timeout"));
    assertEquals(1, stats.ackLatency().count());
  }

  @Test
  void detailsListsEverySkippedFieldWithItsReason() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    Map<String, List<String>> params = withToken();
    params.put("details", Collections.singletonList(""));

    Response r = receiver.handle(post(params, fixture("push-web-default.json"))).get(5, SECONDS);

    assertNoSecret(r);
    assertEquals(200, r.status());
    JsonNode details = json(r).path("details");
    assertTrue(details.isArray());
    Map<String, String> reasons = new TreeMap<>();
    for (JsonNode d : details) {
      reasons.put(d.path("field").asText(), d.path("reason").asText());
    }
    Map<String, String> expected = new TreeMap<>();
    expected.put("Summary.Timing.ContentType", SkipReason.NESTED_OBJECT);
    expected.put("Summary.Byte.Response.ContentType", SkipReason.NESTED_OBJECT);
    expected.put("Summary.HostCollections", SkipReason.DISABLED);
    assertEquals(expected, reasons);
    assertEquals(3, json(r).path("skipped").asInt());
  }

  @Test
  void writesOnTheWriteExecutorAndAnswersWhenAcksArriveFromAnotherThread() throws Exception {
    ownThread = Executors.newSingleThreadExecutor();
    PushReceiver receiver = receiver(SECRET, ownThread, LONG_TIMEOUT_MS, () -> false);
    writer.mode = Mode.PENDING;
    Set<Thread> writingThreads = Collections.synchronizedSet(new HashSet<>());
    writer.onWrite = p -> writingThreads.add(Thread.currentThread());
    int expected = expectedPoints("push-ping.json");

    CompletableFuture<Response> answer = receiver.handle(post(withToken(), fixture("push-ping.json")));
    writer.allHandedOver(expected).get(5, SECONDS);
    assertFalse(writingThreads.contains(Thread.currentThread()), "writes must not run on the request thread");
    assertFalse(answer.isDone());
    synchronized (writer.futures) {
      for (CompletableFuture<Void> f : writer.futures) {
        f.complete(null);
      }
    }

    Response r = answer.get(5, SECONDS);
    assertEquals(200, r.status());
    assertEquals(expected, json(r).path("written").asInt());
    assertEquals("ping", json(r).path("run").path("test_type").asText());
    assertEquals(expected, stats.get("catchpoint.push.datapoints.written"));
  }

  @Test
  void countsRunsPerFormat() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);

    assertEquals(200, receiver.handle(post(withToken(), fixture("push-web-default.json"))).get(5, SECONDS).status());
    assertEquals(200, receiver.handle(post(withToken(), fixture("push-ping.json"))).get(5, SECONDS).status());
    Response template = receiver.handle(post(withToken(), fixture("push-template-filled.json"))).get(5, SECONDS);
    assertEquals(200, template.status());
    assertEquals("template-json", json(template).path("run").path("format").asText());

    assertEquals(2, stats.get("catchpoint.push.runs", "format", "default-json"));
    assertEquals(1, stats.get("catchpoint.push.runs", "format", "template-json"));
    assertEquals(3, stats.get("catchpoint.push.requests", "status", "200"));
    assertEquals(writer.points.size(), stats.get("catchpoint.push.datapoints.written"));
  }

  @Test
  void gzipBodyIsAccepted() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    Response r = receiver.handle(post(withToken(), gzip(fixture("push-ping.json")))).get(5, SECONDS);
    assertEquals(200, r.status());
    assertEquals(expectedPoints("push-ping.json"), json(r).path("written").asInt());
  }

  @Test
  void rejectedPointIsSkippedWithTheWritersReasonAndThePushStillSucceeds() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    String rejected = "catchpoint.timing.dns";
    writer.rejected.put(rejected, SkipReason.UNKNOWN_METRIC);
    int expected = expectedPoints("push-web-default.json");
    Map<String, List<String>> params = withToken();
    params.put("details", Collections.singletonList(""));

    Response r = receiver.handle(post(params, fixture("push-web-default.json"))).get(5, SECONDS);

    assertNoSecret(r);
    assertEquals(200, r.status());
    JsonNode body = json(r);
    assertEquals(expected - 1, body.path("written").asInt());
    assertEquals(4, body.path("skipped").asInt());
    JsonNode mine = null;
    for (JsonNode d : body.path("details")) {
      if (rejected.equals(d.path("field").asText())) {
        mine = d;
      }
    }
    assertNotNull(mine, "the rejected point is listed in details: " + body);
    assertEquals(SkipReason.UNKNOWN_METRIC, mine.path("reason").asText());
    assertEquals("refused by the fake store", mine.path("detail").asText());
    assertEquals(1, stats.get("catchpoint.push.fields.skipped", "reason", SkipReason.UNKNOWN_METRIC));
    assertEquals(expected - 1, stats.get("catchpoint.push.datapoints.written"));
    assertEquals(1, stats.get("catchpoint.push.requests", "status", "200"));
  }

  @Test
  void everyPointRejectedStillAnswers200WithNothingWritten() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    writer.rejectAll = SkipReason.REJECTED;
    int expected = expectedPoints("push-ping.json");

    Response r = receiver.handle(post(withToken(), fixture("push-ping.json"))).get(5, SECONDS);

    assertEquals(200, r.status());
    assertEquals(0, json(r).path("written").asInt());
    assertEquals(expected, json(r).path("skipped").asInt());
    assertEquals(expected, stats.get("catchpoint.push.fields.skipped", "reason", SkipReason.REJECTED));
  }

  // ---------------------------------------------------------------- tokens

  @Test
  void tokenFromQueryParameter() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    Response r = receiver.handle(post(withToken(), fixture("push-ping.json"))).get(5, SECONDS);
    assertNoSecret(r);
    assertEquals(200, r.status());
  }

  @Test
  void tokenFromPathSegment() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    Request request = request("POST", Arrays.asList("push", SECRET), new HashMap<>(), "application/json",
        fixture("push-ping.json"));
    Response r = receiver.handle(request).get(5, SECONDS);
    assertNoSecret(r);
    assertEquals(200, r.status());
    assertFalse(writer.points.isEmpty());
  }

  @Test
  void missingTokenIs401() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    Response r = receiver.handle(post(new HashMap<>(), fixture("push-ping.json"))).get(5, SECONDS);
    assertError(r, 401, "missing_token", "token");
    assertTrue(writer.points.isEmpty());
    assertEquals(1, stats.get("catchpoint.push.requests", "status", "401"));
    assertEquals(0, stats.get("catchpoint.push.runs", "format", "default-json"));
  }

  @Test
  void emptyTokenParameterIs401() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    Map<String, List<String>> params = new HashMap<>();
    params.put("token", Collections.singletonList(""));
    Response r = receiver.handle(post(params, fixture("push-ping.json"))).get(5, SECONDS);
    assertError(r, 401, "missing_token", "token");
    assertTrue(writer.points.isEmpty());
  }

  @Test
  void wrongTokenIs403InQueryAndInPath() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    Map<String, List<String>> params = new HashMap<>();
    params.put("token", Collections.singletonList(SECRET + "x"));
    Response byParam = receiver.handle(post(params, fixture("push-ping.json"))).get(5, SECONDS);
    assertError(byParam, 403, "wrong_token", "token");

    Request byPath = request("POST", Arrays.asList("push", SECRET.substring(0, SECRET.length() - 1)),
        new HashMap<>(), "application/json", fixture("push-ping.json"));
    assertError(receiver.handle(byPath).get(5, SECONDS), 403, "wrong_token", "token");

    assertTrue(writer.points.isEmpty());
    assertEquals(2, stats.get("catchpoint.push.requests", "status", "403"));
  }

  @Test
  void anonymousModeAcceptsPushesWithoutToken() throws Exception {
    PushReceiver receiver = receiver(null, DIRECT, LONG_TIMEOUT_MS, () -> false);
    Response r = receiver.handle(post(new HashMap<>(), fixture("push-ping.json"))).get(5, SECONDS);
    assertEquals(200, r.status());
    assertEquals(expectedPoints("push-ping.json"), writer.points.size());
  }

  // ---------------------------------------------------------------- request errors

  @Test
  void deeperPathIs404() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    Request r = request("POST", Arrays.asList("push", "a", "b"), withToken(), "application/json",
        fixture("push-ping.json"));
    assertError(receiver.handle(r).get(5, SECONDS), 404, "not_found", "path");
    Request withSecret = request("POST", Arrays.asList("push", SECRET, "b"), new HashMap<>(), "application/json",
        fixture("push-ping.json"));
    assertError(receiver.handle(withSecret).get(5, SECONDS), 404, "not_found", "path");
    assertTrue(writer.points.isEmpty());
  }

  @Test
  void getAndPutAre405WithAllowPost() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    for (String method : new String[] {"GET", "PUT"}) {
      Response r = receiver.handle(request(method, Collections.singletonList("push"), withToken(),
          "application/json", fixture("push-ping.json"))).get(5, SECONDS);
      assertError(r, 405, "method_not_allowed", "method");
      assertEquals("POST", r.headers().get("Allow"), method);
    }
    assertTrue(writer.points.isEmpty());
    assertEquals(2, stats.get("catchpoint.push.requests", "status", "405"));
  }

  @Test
  void bodyOverMaximumIs413() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    byte[] big = new byte[MAX_BODY + 1];
    Arrays.fill(big, (byte) ' ');
    big[0] = '{';
    big[big.length - 1] = '}';
    Response r = receiver.handle(post(withToken(), big)).get(5, SECONDS);
    assertError(r, 413, "body_too_large", "body");
    assertTrue(writer.points.isEmpty());
    assertEquals(1, stats.get("catchpoint.push.requests", "status", "413"));
  }

  @Test
  void binaryBodyOfAnotherMediaTypeIs415() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
    Response r = receiver.handle(request("POST", Collections.singletonList("push"), withToken(), "image/png", png))
        .get(5, SECONDS);
    assertError(r, 415, "unsupported_media_type", "Content-Type");
    assertTrue(writer.points.isEmpty());
  }

  @Test
  void badJsonIs400WithWhere() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    byte[] broken = "{\n  \"TestId\": 1,\n  \"NodeId\": ]\n}".getBytes(StandardCharsets.UTF_8);
    Response r = receiver.handle(post(withToken(), broken)).get(5, SECONDS);
    JsonNode error = assertError(r, 400, "invalid_json", null);
    assertTrue(error.path("where").asText().startsWith("line 3"), error.toString());
    assertTrue(writer.points.isEmpty());
    assertEquals(1, stats.get("catchpoint.push.requests", "status", "400"));
    assertEquals(1, stats.get("catchpoint.push.errors", "kind", "invalid_json"));
  }

  @Test
  void emptyBodyIs400() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    Response r = receiver.handle(post(withToken(), new byte[0])).get(5, SECONDS);
    assertError(r, 400, "empty_body", "body");
  }

  @Test
  void readOnlyTsdIs503AndWritesNothing() throws Exception {
    AtomicBoolean readOnly = new AtomicBoolean(true);
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, readOnly::get);
    Response r = receiver.handle(post(withToken(), fixture("push-ping.json"))).get(5, SECONDS);
    assertError(r, 503, "read_only", null);
    assertTrue(writer.points.isEmpty());
    assertEquals(1, stats.get("catchpoint.push.requests", "status", "503"));

    readOnly.set(false);
    assertEquals(200, receiver.handle(post(withToken(), fixture("push-ping.json"))).get(5, SECONDS).status());
  }

  @Test
  void fullWriteQueueIs503Busy() throws Exception {
    Executor rejecting = command -> {
      throw new RejectedExecutionException("queue full");
    };
    PushReceiver receiver = receiver(SECRET, rejecting, LONG_TIMEOUT_MS, () -> false);
    Response r = receiver.handle(post(withToken(), fixture("push-ping.json"))).get(5, SECONDS);
    assertError(r, 503, "busy", null);
    assertTrue(writer.points.isEmpty());
    assertEquals(1, stats.get("catchpoint.push.errors", "kind", "busy"));
    assertEquals(1, stats.get("catchpoint.push.requests", "status", "503"));
  }

  // ---------------------------------------------------------------- storage failures

  @Test
  void oneFailedWriteIs503StorageError() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    writer.mode = Mode.PENDING;
    CompletableFuture<Response> answer = receiver.handle(post(withToken(), fixture("push-web-default.json")));
    assertTrue(writer.futures.size() > 2);
    writer.futures.get(1).completeExceptionally(new IOException("region server gone"));
    for (int i = 0; i < writer.futures.size(); i++) {
      if (i != 1) {
        writer.futures.get(i).complete(null);
      }
    }

    Response r = answer.get(5, SECONDS);
    JsonNode error = assertError(r, 503, "storage_error", null);
    assertTrue(error.path("message").asText().contains("1 of " + writer.futures.size()), error.toString());
    assertEquals(1, stats.get("catchpoint.push.storage.errors", "kind", "error"));
    assertEquals(0, stats.get("catchpoint.push.storage.errors", "kind", "timeout"));
    assertEquals(0, stats.get("catchpoint.push.datapoints.written"));
    assertEquals(1, stats.get("catchpoint.push.requests", "status", "503"));
    assertEquals(0, stats.get("catchpoint.push.requests", "status", "200"));
  }

  @Test
  void writerThrowingUncheckedIs503StorageError() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    writer.throwOn = "catchpoint.run";
    Response r = receiver.handle(post(withToken(), fixture("push-ping.json"))).get(5, SECONDS);
    assertError(r, 503, "storage_error", null);
    assertEquals(1, stats.get("catchpoint.push.storage.errors", "kind", "error"));
    assertEquals(0, stats.get("catchpoint.push.datapoints.written"));
  }

  @Test
  void unacknowledgedWriteIs503StorageTimeoutAndALateAckChangesNothing() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, SHORT_TIMEOUT_MS, () -> false);
    writer.mode = Mode.PENDING;
    CompletableFuture<Response> answer = receiver.handle(post(withToken(), fixture("push-ping.json")));
    // Every point but one is acknowledged in time.
    for (int i = 0; i < writer.futures.size() - 1; i++) {
      writer.futures.get(i).complete(null);
    }

    Response r = answer.get(5, SECONDS);
    assertError(r, 503, "storage_timeout", null);
    assertEquals(1, stats.get("catchpoint.push.storage.errors", "kind", "timeout"));
    assertEquals(1, stats.get("catchpoint.push.requests", "status", "503"));

    // The late acknowledgement arrives: the answer and the counters stay as they were.
    writer.futures.get(writer.futures.size() - 1).complete(null);
    assertSame(r, answer.getNow(null));
    assertEquals(503, answer.get(5, SECONDS).status());
    assertEquals(0, stats.get("catchpoint.push.datapoints.written"));
    assertEquals(0, stats.get("catchpoint.push.requests", "status", "200"));
    assertEquals(1, stats.get("catchpoint.push.requests", "status", "503"));
    assertEquals(1, stats.get("catchpoint.push.storage.errors", "kind", "timeout"));
    assertEquals(0, stats.get("catchpoint.push.storage.errors", "kind", "error"));
    assertEquals(0, stats.ackLatency().count());
  }

  @Test
  void lateFailureAfterTimeoutChangesNothing() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, SHORT_TIMEOUT_MS, () -> false);
    writer.mode = Mode.PENDING;
    CompletableFuture<Response> answer = receiver.handle(post(withToken(), fixture("push-ping.json")));

    Response r = answer.get(5, SECONDS);
    assertError(r, 503, "storage_timeout", null);
    for (CompletableFuture<Void> f : writer.futures) {
      f.completeExceptionally(new IOException("too late"));
    }
    assertSame(r, answer.getNow(null));
    assertEquals(0, stats.get("catchpoint.push.storage.errors", "kind", "error"));
    assertEquals(1, stats.get("catchpoint.push.storage.errors", "kind", "timeout"));
  }

  @Test
  void pushQueuedLongerThanTheTimeoutIs503AndIsNotWritten() throws Exception {
    ownThread = Executors.newSingleThreadExecutor();
    CountDownLatch release = new CountDownLatch(1);
    ownThread.execute(() -> {
      try {
        release.await(10, SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    PushReceiver receiver = receiver(SECRET, ownThread, SHORT_TIMEOUT_MS, () -> false);
    CompletableFuture<Response> answer = receiver.handle(post(withToken(), fixture("push-ping.json")));

    Response r = answer.get(5, SECONDS);
    assertError(r, 503, "storage_timeout", null);
    release.countDown();
    // The queued write runs after the timeout: it must see the answer is given and write nothing.
    CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> { }, ownThread);
    drained.get(5, SECONDS);
    assertTrue(writer.points.isEmpty(), "a push answered 503 must not be written: " + writer.points);
    assertEquals(0, stats.get("catchpoint.push.datapoints.written"));
  }

  @Test
  void flushesOnceAfterHandingOverEveryPointSoTheAckNeedNotWaitForTheStoresTimer() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    writer.mode = Mode.PENDING;
    int expected = expectedPoints("push-web-default.json");

    CompletableFuture<Response> answer = receiver.handle(post(withToken(), fixture("push-web-default.json")));

    assertEquals(Collections.singletonList(expected), writer.pointsAtFlush);
    writer.futures.forEach(f -> f.complete(null));
    assertEquals(200, answer.get(5, SECONDS).status());
  }

  // ---------------------------------------------------------------- bounds

  @Test
  void aPushOfManyUnknownFieldsCreatesAtMostItsShareOfNewMetricNames() throws Exception {
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    ObjectNode run = (ObjectNode) Json.MAPPER.readTree(fixture("push-dns-v3.json"));
    ObjectNode timing = (ObjectNode) run.path("Summary").path("Timing");
    for (int i = 0; i < 300; i++) {
      timing.put("K" + i, i);
    }
    Map<String, List<String>> params = withToken();
    params.put("details", Collections.singletonList(""));
    int known = mapper.map(decoder.decode(fixture("push-dns-v3.json"), "application/json", NOW_MILLIS / 1000).run())
        .size();

    Response r = receiver.handle(post(params, Json.MAPPER.writeValueAsBytes(run))).get(5, SECONDS);

    assertEquals(200, r.status(), r.bodyText());
    JsonNode body = json(r);
    assertEquals(known + 16, body.path("written").asInt());
    assertEquals(284, body.path("skipped").asInt());
    Set<String> newNames = new HashSet<>();
    for (DataPoint p : writer.points) {
      if (!Vocabulary.inTable(p.metric())) {
        newNames.add(p.metric());
      }
    }
    assertEquals(16, newNames.size());
    int listed = 0;
    for (JsonNode d : body.path("details")) {
      if (SkipReason.METRIC_BUDGET.equals(d.path("reason").asText())) {
        listed++;
        assertTrue(d.path("field").asText().startsWith("catchpoint.timing.k"), d.toString());
        assertTrue(d.path("detail").asText().contains("metrics.max_new_per_request"), d.toString());
      }
    }
    assertEquals(284, listed);
    assertEquals(284, stats.get("catchpoint.push.fields.skipped", "reason", SkipReason.METRIC_BUDGET));

    // The next push may add 16 more; the 16 that exist cost it nothing.
    Response again = receiver.handle(post(withToken(), Json.MAPPER.writeValueAsBytes(run))).get(5, SECONDS);
    assertEquals(known + 32, json(again).path("written").asInt());
    assertEquals(32, budget.derivedNames());
  }

  @Test
  void aPushWhoseWriteThreadIsStuckInTheStoreIsAnsweredAtItsDeadline() throws Exception {
    ownThread = Executors.newSingleThreadExecutor();
    PushReceiver receiver = receiver(SECRET, ownThread, SHORT_TIMEOUT_MS, () -> false);
    CountDownLatch stuck = new CountDownLatch(1);
    AtomicLong calls = new AtomicLong();
    writer.onWrite = p -> {
      // The first point blocks, as addPoint does while OpenTSDB assigns a new UID on a stalled HBase.
      if (calls.incrementAndGet() == 1) {
        try {
          stuck.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    int expected = expectedPoints("push-web-default.json");

    Response r = receiver.handle(post(withToken(), fixture("push-web-default.json"))).get(5, SECONDS);

    assertError(r, 503, "storage_timeout", null);
    assertEquals(0, stats.get("catchpoint.push.datapoints.written"));
    assertEquals(1, stats.get("catchpoint.push.storage.errors", "kind", "timeout"));
    stuck.countDown();
    ownThread.shutdown();
    assertTrue(ownThread.awaitTermination(5, SECONDS));
    assertEquals(1, writer.points.size(), "after its deadline the push hands nothing more to the store");
    assertEquals(expected - 1, stats.get("catchpoint.push.datapoints.abandoned"));
  }

  @Test
  void aPushOfANodeTheCatalogIsLookingForWaitsAndIsWrittenEnriched() throws Exception {
    CatalogHolder holder = new CatalogHolder();
    CompletableFuture<Boolean> learned = new CompletableFuture<>();
    lookup = lookup(holder, learned);
    mapper = new RunMapper(() -> lookupHolder.get().current(), Vocabulary.ENRICHMENT_TAGS, 8);
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);

    CompletableFuture<Response> answer = receiver.handle(post(withToken(), fixture("push-web-default.json")));

    assertFalse(answer.isDone());
    assertTrue(writer.points.isEmpty(), "nothing written before the catalog has looked for node 540");
    Map<String, String> attributes = new HashMap<>();
    attributes.put("city", "Frankfurt");
    attributes.put("country", "Germany");
    holder = new CatalogHolder(new StaticNodeCatalog(Collections.singletonList(new Node(540, attributes))));
    lookupHolder.set(holder);
    learned.complete(true);

    assertEquals(200, answer.get(5, SECONDS).status());
    for (DataPoint p : writer.points) {
      assertEquals("Frankfurt", p.tags().get("city"), p.toString());
    }
    assertEquals(0, stats.get("catchpoint.push.runs_unenriched"));
  }

  @Test
  void aNodeTheCatalogLookedForAndDidNotFindIsWrittenWithoutEnrichment() throws Exception {
    lookup = lookup(new CatalogHolder(), CompletableFuture.completedFuture(false));
    PushReceiver receiver = receiver(SECRET, DIRECT, LONG_TIMEOUT_MS, () -> false);
    Response r = receiver.handle(post(withToken(), fixture("push-web-default.json"))).get(5, SECONDS);
    assertEquals(200, r.status());
    assertEquals(1, stats.get("catchpoint.push.runs_unenriched"));
  }

  @Test
  void aPushWhoseNodeIsStillLookedForAtItsDeadlineIs503() throws Exception {
    lookup = lookup(new CatalogHolder(), new CompletableFuture<>());
    PushReceiver receiver = receiver(SECRET, DIRECT, SHORT_TIMEOUT_MS, () -> false);
    Response r = receiver.handle(post(withToken(), fixture("push-web-default.json"))).get(5, SECONDS);
    JsonNode error = assertError(r, 503, "catalog_refresh", null);
    assertTrue(error.path("message").asText().contains("node 540"), error.toString());
    assertTrue(writer.points.isEmpty());
  }

  private final java.util.concurrent.atomic.AtomicReference<CatalogHolder> lookupHolder =
      new java.util.concurrent.atomic.AtomicReference<>();

  /** A lookup over a holder the test may replace, whose learning completes with {@code learned}. */
  private NodeLookup lookup(CatalogHolder holder, CompletableFuture<Boolean> learned) {
    lookupHolder.set(holder);
    return new NodeLookup() {
      @Override
      public boolean knows(long nodeId) {
        return lookupHolder.get().find(nodeId) != null;
      }

      @Override
      public CompletableFuture<Boolean> learn(long nodeId) {
        return learned;
      }
    };
  }

  // ---------------------------------------------------------------- helpers

  private enum Mode { ACK, PENDING }

  /** Records points; acknowledges at once, or hands out futures the test completes. */
  private static final class FakeWriter implements Writer {
    final List<DataPoint> points = Collections.synchronizedList(new ArrayList<>());
    final List<CompletableFuture<Void>> futures = Collections.synchronizedList(new ArrayList<>());
    final Map<String, String> rejected = new HashMap<>();
    /** How many points had been handed over at each flush. */
    final List<Integer> pointsAtFlush = Collections.synchronizedList(new ArrayList<>());
    volatile String rejectAll;
    volatile String throwOn;
    volatile Mode mode = Mode.ACK;
    volatile java.util.function.Consumer<DataPoint> onWrite = p -> { };
    private final CompletableFuture<Void> handedOver = new CompletableFuture<>();
    private volatile int waitFor = -1;

    @Override
    public CompletableFuture<Void> write(DataPoint point) throws RejectedPointException {
      onWrite.accept(point);
      if (rejectAll != null) {
        throw new RejectedPointException(rejectAll, "refused by the fake store");
      }
      String reason = rejected.get(point.metric());
      if (reason != null) {
        throw new RejectedPointException(reason, "refused by the fake store");
      }
      if (point.metric().equals(throwOn)) {
        throw new IllegalStateException("store exploded");
      }
      points.add(point);
      CompletableFuture<Void> f = mode == Mode.ACK ? CompletableFuture.completedFuture(null)
          : new CompletableFuture<>();
      futures.add(f);
      if (waitFor >= 0 && futures.size() >= waitFor) {
        handedOver.complete(null);
      }
      return f;
    }

    @Override
    public void flush() {
      pointsAtFlush.add(points.size());
    }

    /** Completes once n points were handed over. */
    CompletableFuture<Void> allHandedOver(int n) {
      waitFor = n;
      if (futures.size() >= n) {
        handedOver.complete(null);
      }
      return handedOver;
    }
  }

  private PushReceiver receiver(String token, Executor executor, long ackTimeoutMillis,
      java.util.function.BooleanSupplier readOnly) {
    AtomicLong nanos = new AtomicLong();
    LongSupplier clock = () -> nanos.addAndGet(1_000_000);
    WriteStage stage = TestStages.of(writer, budget, timer, clock);
    return new PushReceiver(decoder, mapper::map, lookup, stage, token == null ? null : new AccessToken(token), readOnly,
        ackTimeoutMillis, executor, clock, () -> NOW_MILLIS, stats);
  }

  private int expectedPoints(String fixture) throws Exception {
    return mapper.map(decoder.decode(fixture(fixture), "application/json", NOW_MILLIS / 1000).run()).size();
  }

  private static Map<String, List<String>> withToken() {
    Map<String, List<String>> params = new HashMap<>();
    params.put("token", Collections.singletonList(SECRET));
    return params;
  }

  private static Request post(Map<String, List<String>> params, byte[] body) {
    return request("POST", Collections.singletonList("push"), params, "application/json", body);
  }

  private static Request request(String method, List<String> path, Map<String, List<String>> params,
      String contentType, byte[] body) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    return new Request(method, path, params, headers::get, body);
  }

  /** Checks the error shape and that the secret is nowhere in the answer; returns the error object. */
  private static JsonNode assertError(Response r, int status, String kind, String where) throws IOException {
    assertNoSecret(r);
    assertEquals(status, r.status(), r.bodyText());
    JsonNode error = json(r).path("error");
    assertTrue(error.isObject(), r.bodyText());
    assertEquals(status, error.path("code").asInt());
    assertEquals(kind, error.path("kind").asText(), r.bodyText());
    assertFalse(error.path("message").asText().isEmpty(), r.bodyText());
    if (where != null) {
      assertEquals(where, error.path("where").asText(), r.bodyText());
    }
    assertTrue(r.contentType().startsWith("application/json"), r.contentType());
    return error;
  }

  private static void assertNoSecret(Response r) {
    assertFalse(r.bodyText().contains(SECRET), "the answer leaks the push secret: " + r.bodyText());
    for (Map.Entry<String, String> h : r.headers().entrySet()) {
      assertFalse(h.getValue().contains(SECRET), "a header leaks the push secret: " + h);
    }
  }

  private static JsonNode json(Response r) throws IOException {
    return Json.MAPPER.readTree(r.bodyText());
  }

  private static byte[] fixture(String name) {
    return Fixtures.bytes(name);
  }

  private static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(b);
    }
    return out.toByteArray();
  }
}

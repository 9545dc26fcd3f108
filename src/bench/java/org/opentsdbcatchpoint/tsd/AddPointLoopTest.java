package org.opentsdbcatchpoint.tsd;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.opentsdbcatchpoint.pipeline.TestStages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.SkipReason;
import org.opentsdbcatchpoint.web.AccessToken;
import org.opentsdbcatchpoint.pipeline.RejectedPointException;
import org.opentsdbcatchpoint.pipeline.Writer;
import org.opentsdbcatchpoint.web.Json;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;

class AddPointLoopTest {
  private static final String SECRET = "bench-Token-51c";

  private final ExecutorService loopThread = Executors.newSingleThreadExecutor();
  /** Acknowledges on another thread, later, as HBase does. */
  private final ExecutorService storageThread = Executors.newSingleThreadExecutor();
  /** Each reading advances 1 ms, so the elapsed time in an answer is predictable. */
  private final AtomicLong clock = new AtomicLong();

  @AfterEach
  void tearDown() {
    loopThread.shutdownNow();
    storageThread.shutdownNow();
  }

  @Test
  void writesEveryPointAndAnswersCountAndElapsedTime() throws Exception {
    List<DataPoint> written = Collections.synchronizedList(new ArrayList<>());
    Writer writer = p -> {
      written.add(p);
      return CompletableFuture.runAsync(() -> { }, storageThread);
    };

    JsonNode answer = ok(post(loop(writer), body(3), "in_flight=2"));

    assertEquals(3, answer.path("count").asInt());
    assertEquals(3, answer.path("written").asInt());
    assertEquals(0, answer.path("rejected").asInt());
    assertEquals(0, answer.path("failures").asInt());
    assertEquals(2, answer.path("in_flight").asInt());
    assertEquals(1_000_000L, answer.path("elapsed_ns").asLong(), "two clock readings, 1 ms apart");
    assertEquals(3, written.size());
    Map<String, String> tags = new HashMap<>();
    tags.put("test_id", "7");
    tags.put("node_id", "1");
    assertEquals(new DataPoint("catchpoint.timing.total", 1_705_320_000L, 2.5, tags), written.get(2));
  }

  @Test
  void flushesOnceAfterTheLastWriteAsAPushDoes() throws Exception {
    AtomicInteger written = new AtomicInteger();
    List<Integer> writtenAtFlush = new ArrayList<>();
    Writer writer = new Writer() {
      @Override
      public CompletableFuture<Void> write(DataPoint p) {
        written.incrementAndGet();
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public void flush() {
        writtenAtFlush.add(written.get());
      }
    };

    ok(post(loop(writer), body(4), ""));

    assertEquals(Collections.singletonList(4), writtenAtFlush);
  }

  @Test
  void neverHasMoreThanInFlightWritesUnacknowledged() throws Exception {
    AtomicInteger outstanding = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Writer writer = p -> {
      most.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
      return CompletableFuture.runAsync(outstanding::decrementAndGet, storageThread);
    };

    JsonNode answer = ok(post(loop(writer), body(500), "in_flight=7"));

    assertEquals(500, answer.path("written").asInt());
    assertTrue(most.get() <= 7, "at most 7 in flight, saw " + most.get());
    assertEquals(0, outstanding.get(), "answered only after every acknowledgement");
  }

  @Test
  void countsRejectedAndFailedPointsApart() throws Exception {
    AtomicInteger n = new AtomicInteger();
    List<CompletableFuture<Void>> failing = new ArrayList<>();
    Writer writer = new Writer() {
      @Override
      public CompletableFuture<Void> write(DataPoint p) throws RejectedPointException {
        switch (n.getAndIncrement() % 3) {
          case 0:
            throw new RejectedPointException(SkipReason.REJECTED, "illegal character");
          case 1:
            CompletableFuture<Void> held = new CompletableFuture<>();
            failing.add(held);
            return held;
          default:
            return CompletableFuture.completedFuture(null);
        }
      }

      @Override
      public void flush() {
        // Storage fails the held writes only after the last point was handed over: a failure fails the
        // batch at once, and one that came earlier would leave the later points unwritten.
        failing.forEach(f -> storageThread.execute(() -> f.completeExceptionally(
            new IllegalStateException("region server gone"))));
      }
    };

    JsonNode answer = ok(post(loop(writer), body(6), ""));

    assertEquals(6, answer.path("count").asInt());
    assertEquals(2, answer.path("rejected").asInt());
    assertEquals(2, answer.path("failures").asInt());
    assertEquals(2, answer.path("written").asInt());
    assertEquals(AddPointLoop.DEFAULT_IN_FLIGHT, answer.path("in_flight").asInt());
  }

  @Test
  void encodingDoubleWritesThroughTheSecondStage() throws Exception {
    List<DataPoint> doubles = Collections.synchronizedList(new ArrayList<>());
    AddPointLoop loop = loop(p -> {
      throw new AssertionError("written the plugin's way: " + p);
    }, p -> {
      doubles.add(p);
      return CompletableFuture.completedFuture(null);
    });

    assertEquals(2, ok(post(loop, body(2), "encoding=double")).path("written").asInt());
    assertEquals(2, doubles.size());
    assertEquals(400, post(loop, body(2), "encoding=float").status());
  }

  @Test
  void refusesWhatIsNotABenchRequest() throws Exception {
    AddPointLoop loop = loop(p -> CompletableFuture.completedFuture(null));
    byte[] points = body(1);

    assertEquals(405, loop.handle(request("GET", "addpoint", "token=" + SECRET, points)).get(5, SECONDS).status());
    assertEquals(404, loop.handle(request("POST", "other", "token=" + SECRET, points)).get(5, SECONDS).status());
    assertEquals(401, loop.handle(request("POST", "addpoint", "", points)).get(5, SECONDS).status());
    assertEquals(403, loop.handle(request("POST", "addpoint", "token=wrong", points)).get(5, SECONDS).status());
    assertEquals(400, post(loop, "{\"metric\":\"m\"}".getBytes(StandardCharsets.UTF_8), "").status());
    assertEquals(400, post(loop, points, "in_flight=0").status());
    assertEquals(400, post(loop, points, "in_flight=lots").status());
  }

  private AddPointLoop loop(Writer writer) {
    return loop(writer, p -> {
      throw new AssertionError("written as a double: " + p);
    });
  }

  private AddPointLoop loop(Writer writer, Writer doubles) {
    return new AddPointLoop(TestStages.of(writer), TestStages.of(doubles), new AccessToken(SECRET), loopThread,
        () -> clock.getAndAdd(1_000_000L));
  }

  private static Response post(AddPointLoop loop, byte[] body, String query) throws Exception {
    String q = "token=" + SECRET + (query.isEmpty() ? "" : "&" + query);
    return loop.handle(request("POST", "addpoint", q, body)).get(5, SECONDS);
  }

  private static JsonNode ok(Response r) throws Exception {
    assertEquals(200, r.status(), r.bodyText());
    return Json.MAPPER.readTree(r.bodyText());
  }

  private static Request request(String method, String route, String query, byte[] body) {
    Map<String, List<String>> params = new HashMap<>();
    for (String kv : query.split("&")) {
      if (!kv.isEmpty()) {
        String[] parts = kv.split("=", 2);
        params.put(parts[0], Collections.singletonList(parts[1]));
      }
    }
    return new Request(method, Collections.singletonList(route), params, h -> null, body);
  }

  /** {@code n} points in the /api/put shape; the last has the value 2.5 and test 7. */
  private static byte[] body(int n) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"metric\":\"catchpoint.timing.total\",\"timestamp\":").append(1_705_320_000L + n - 1 - i)
          .append(",\"value\":").append(i == n - 1 ? "2.5" : Integer.toString(i))
          .append(",\"tags\":{\"test_id\":\"").append(i == n - 1 ? 7 : i).append("\",\"node_id\":\"1\"}}");
    }
    return b.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }
}

package org.opentsdbcatchpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opentsdbcatchpoint.alert.Annotations;
import org.opentsdbcatchpoint.alert.Note;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.Settings;
import org.opentsdbcatchpoint.grafana.Series;
import org.opentsdbcatchpoint.grafana.SeriesSource;
import org.opentsdbcatchpoint.pipeline.Writer;
import org.opentsdbcatchpoint.web.Json;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;

/**
 * The whole plugin as the TSD runs it, for the fuzz tests of the HTTP routes: the production settings
 * (push.max_body_bytes and the other bounds at their defaults, the shared node catalog), a store that
 * acknowledges every point and note at once and keeps nothing, a query engine that answers every query
 * with one small series. {@link #answer} sends a request through {@link CatchpointService#handle}, the
 * entry point of {@code CatchpointRpcPlugin}, and checks the plugin's contract for any body: a 2xx, or
 * a 4xx whose body is the JSON error every endpoint uses ({@code {"error":{code,kind,message,where}}}).
 */
public final class FuzzService implements AutoCloseable {
  public static final String TOKEN = "fuzz-push-token-0123456789";
  /** The push's body limit, {@code push.max_body_bytes} at its default. */
  public static final int MAX_BODY = Integer.parseInt(org.opentsdbcatchpoint.push.PushSettings.MAX_BODY.defaultValue);
  /** The longest an answer may take; far more than any body needs (a hang fails, as Jazzer's -timeout does). */
  private static final long ANSWER_SECONDS = 20;

  private final CatchpointService service;

  public FuzzService() {
    Map<String, String> m = new HashMap<>();
    m.put(Key.PREFIX + "push.token", TOKEN);
    m.put(Key.PREFIX + "push.write_threads", "1");
    m.put(Key.PREFIX + "catalog.file", Fixtures.path("rest-v1-nodes.json").toString());
    Writer discard = p -> CompletableFuture.completedFuture(null);
    Platform platform = TestPlatform.of(discard).reading(ONE_SERIES, ACCEPTING_NOTES, Cluster.NONE);
    service = new CatchpointService(PluginSettings.from(Settings.of(m)), platform);
  }

  /** A POST of {@code body} to {@code /plugin/catchpoint/<path>} (with the push token), answered within the deadline. */
  public Response post(List<String> path, String contentType, byte[] body) {
    Map<String, List<String>> params = new HashMap<>();
    params.put("token", Collections.singletonList(TOKEN));
    params.put("details", Collections.singletonList(""));
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    CompletableFuture<Response> f = service.handle(new Request("POST", path, params, headers::get, body));
    try {
      return f.get(ANSWER_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within " + ANSWER_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (ExecutionException e) {
      throw new AssertionError("the answer failed instead of being an HTTP answer", e.getCause());
    }
  }

  public static Response post(FuzzService s, String route, String contentType, byte[] body) {
    return s.post(Collections.singletonList(route), contentType, body);
  }

  /**
   * The contract of every route for any body: 2xx with a JSON body (returned), or 4xx with the plugin's
   * JSON error (returns null). A 5xx (an uncaught exception becomes a 500) or any other shape fails, and so
   * does an answer that shows the push token to a request that did not carry it in its body.
   */
  public static JsonNode checkAnswer(Response r, byte[] sent) {
    String text = r.bodyText();
    assertTrue(r.contentType().startsWith("application/json"), () -> "not JSON: " + r.contentType());
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("the answer's body is not JSON: " + text, e);
    }
    if (r.status() >= 200 && r.status() < 300) {
      return body;
    }
    if (r.status() < 400 || r.status() >= 500) {
      fail("status " + r.status() + " (only 2xx or a 4xx for a bad body): " + text);
    }
    JsonNode e = body.path("error");
    assertEquals(r.status(), e.path("code").asInt(), () -> "error.code of " + text);
    assertTrue(e.path("kind").isTextual() && !e.path("kind").asText().isEmpty(), () -> "error.kind of " + text);
    assertTrue(e.path("message").isTextual() && !e.path("message").asText().isEmpty(),
        () -> "error.message of " + text);
    assertTrue(e.path("where").isMissingNode() || e.path("where").isTextual(), () -> "error.where of " + text);
    boolean echoed = new String(sent, java.nio.charset.StandardCharsets.ISO_8859_1).contains(TOKEN);
    assertTrue(echoed || !text.contains(TOKEN), "the answer leaks the push token");
    return null;
  }

  @Override
  public void close() {
    service.shutdown();
  }

  /** One series of two points for every query, whatever it asks. */
  private static final SeriesSource ONE_SERIES = q -> {
    Map<String, String> tags = new HashMap<>();
    tags.put("test_id", "100001");
    tags.put("node_id", "540");
    return CompletableFuture.completedFuture(Collections.singletonList(new Series(q.metric, tags,
        new long[] {q.startSeconds, q.startSeconds + 60}, new double[] {1.5, 2})));
  };

  /** Notes acknowledged at once and kept nowhere; every test and node has a series. */
  private static final Annotations ACCEPTING_NOTES = new Annotations() {
    @Override
    public CompletableFuture<String> series(String metric, Map<String, String> tags) {
      return CompletableFuture.completedFuture("0001" + Integer.toHexString(tags.hashCode()));
    }

    @Override
    public CompletableFuture<Void> write(Note note) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<Note>> global(long startSeconds, long endSeconds) {
      return CompletableFuture.completedFuture(Collections.<Note>emptyList());
    }
  };

  static List<String> path(String... segments) {
    return Arrays.asList(segments);
  }
}

package org.opentsdbcatchpoint.tsd;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.CatchpointService;
import org.opentsdbcatchpoint.Fixtures;
import org.opentsdbcatchpoint.PluginSettings;
import org.opentsdbcatchpoint.TestPlatform;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.Settings;
import org.opentsdbcatchpoint.web.Json;

/** The HTTP plugin's routing of /plugin/catchpoint/...: every route, the answers' shape, the token never echoed. */
class RpcRoutingTest {
  private static final String TOKEN = "routing-Token-4411";
  private final CatchpointService service = new CatchpointService(PluginSettings.from(Settings.of(
      Collections.singletonMap(Key.PREFIX + "push.token", TOKEN))),
      TestPlatform.of(p -> CompletableFuture.completedFuture(null)));
  private final CatchpointRpcPlugin plugin = new CatchpointRpcPlugin(service);

  @AfterEach
  void stop() {
    service.shutdown();
  }

  /** One exchange, answered (the plugin answers asynchronously). */
  private static final class Exchange implements PluginExchange {
    final String method;
    final String path;
    final Map<String, List<String>> params = new HashMap<>();
    final byte[] body;
    final CompletableFuture<Integer> status = new CompletableFuture<>();
    volatile String contentType;
    volatile String answer;

    Exchange(String method, String path, byte[] body) {
      this.method = method;
      this.path = path;
      this.body = body;
    }

    Exchange param(String k, String v) {
      params.put(k, Collections.singletonList(v));
      return this;
    }

    @Override
    public String method() {
      return method;
    }

    @Override
    public String path() {
      return path;
    }

    @Override
    public Map<String, List<String>> params() {
      return params;
    }

    @Override
    public String header(String name) {
      return "Content-Type".equalsIgnoreCase(name) ? "application/json" : null;
    }

    @Override
    public int bodySize() {
      return body == null ? 0 : body.length;
    }

    @Override
    public byte[] body(int max) {
      return body == null ? null : java.util.Arrays.copyOf(body, Math.min(body.length, max));
    }

    @Override
    public void respond(int code, String type, Map<String, String> headers, byte[] b) {
      contentType = type;
      answer = new String(b, StandardCharsets.UTF_8);
      status.complete(code);
    }
  }

  private Exchange send(Exchange e) throws Exception {
    plugin.handle(e);
    e.status.get(5, SECONDS);
    assertTrue(e.contentType.startsWith("application/json"), e.contentType);
    assertFalse(e.answer.contains(TOKEN), "the token is never echoed: " + e.answer);
    return e;
  }

  @Test
  void eachRouteAnswersBelowTheMountPoint() throws Exception {
    Exchange push = send(new Exchange("POST", "/plugin/catchpoint/push", Fixtures.bytes("push-ping.json"))
        .param("token", TOKEN));
    assertEquals(200, push.status.get());
    Exchange byPath = send(new Exchange("POST", "/plugin/catchpoint/push/" + TOKEN, Fixtures.bytes("push-ping.json")));
    assertEquals(200, byPath.status.get(), "the token as the path segment");
    assertEquals(200, send(new Exchange("GET", "/plugin/catchpoint/health", null)).status.get());
    assertEquals(200, send(new Exchange("GET", "/plugin/catchpoint/pull/status", null)).status.get());
  }

  @Test
  void anUnknownRouteIs404WithTheRoutesItKnows() throws Exception {
    Exchange e = send(new Exchange("GET", "/plugin/catchpoint/nope", null));
    assertEquals(404, e.status.get());
    JsonNode error = Json.MAPPER.readTree(e.answer).path("error");
    assertEquals("not_found", error.path("kind").asText());
    assertTrue(error.path("message").asText().contains("push"), e.answer);
  }

  @Test
  void theBareMountPointIsTheOperatorPage() throws Exception {
    for (String path : new String[] {"/plugin/catchpoint", "/plugin/catchpoint/"}) {
      Exchange e = new Exchange("GET", path, null);
      plugin.handle(e);
      assertEquals(200, e.status.get(5, SECONDS), path);
      assertTrue(e.contentType.startsWith("text/html"), e.contentType);
    }
  }

  @Test
  void anUnknownRouteCarryingTheTokenIsNotEchoed() throws Exception {
    for (String path : new String[] {"/plugin/catchpoint/push;token=" + TOKEN, "/plugin/catchpoint/push%2F" + TOKEN}) {
      Exchange e = send(new Exchange("POST", path, Fixtures.bytes("push-ping.json")));
      assertEquals(404, e.status.get(), path);
    }
  }

  @Test
  void aBodyOverTheLimitIsRefusedFromItsStartAndItsSize() throws Exception {
    byte[] big = new byte[1_048_576 * 3];
    java.util.Arrays.fill(big, (byte) ' ');
    big[0] = '{';
    Exchange push = send(new Exchange("POST", "/plugin/catchpoint/push", big).param("token", TOKEN));
    assertEquals(413, push.status.get(), push.answer);
    assertEquals("body_too_large", Json.MAPPER.readTree(push.answer).path("error").path("kind").asText());
    Exchange bridge = send(new Exchange("POST", "/plugin/catchpoint/grafana/query", big));
    assertEquals(413, bridge.status.get(), bridge.answer);
    assertTrue(bridge.answer.contains(Integer.toString(big.length)), bridge.answer);
  }

  @Test
  void aWrongTokenInThePathIsRefusedWithoutEchoingIt() throws Exception {
    Exchange e = send(new Exchange("POST", "/plugin/catchpoint/push/not-it", Fixtures.bytes("push-ping.json")));
    assertEquals(403, e.status.get());
    assertFalse(e.answer.contains("not-it"), e.answer);
  }
}

package org.opentsdbcatchpoint.sink;

import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.TestPlatform;
import org.opentsdbcatchpoint.pipeline.Writer;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentsdbcatchpoint.sink.FakeCarbon.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.util.ArrayList;
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
import org.opentsdbcatchpoint.config.Settings;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.stats.Stats;
import org.opentsdbcatchpoint.web.Json;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;

/** The forwarders in the plugin: configured, fed by a push, shown on the health page, one target down at start. */
class ForwardingServiceTest {
  private static final String P = Key.PREFIX;
  private final List<DataPoint> stored = Collections.synchronizedList(new ArrayList<>());
  private final Writer store = p -> {
    stored.add(p);
    return CompletableFuture.completedFuture(null);
  };
  private CatchpointService service;

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.shutdown();
    }
  }

  private static Map<String, List<String>> params(String... kv) {
    Map<String, List<String>> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], Collections.singletonList(kv[i + 1]));
    }
    return m;
  }

  @Test
  void aPushIsForwardedToEveryTargetAndTheHealthPageShowsThemEvenWithOneDownFromTheStart() throws Exception {
    int downPort;
    try (ServerSocket s = new ServerSocket(0)) {
      downPort = s.getLocalPort();
    }
    try (FakeCarbon carbon = new FakeCarbon(false); FakeInflux influx = new FakeInflux()) {
      Map<String, String> conf = new HashMap<>();
      conf.put(P + "push.token", "forward-test-token-1");
      conf.put(P + "forward", "graphite,influx,down");
      conf.put(P + "forward.graphite.type", "graphite");
      conf.put(P + "forward.graphite.hosts", "127.0.0.1:" + carbon.port());
      conf.put(P + "forward.graphite.flush_interval_ms", "20");
      conf.put(P + "forward.influx.type", "influx");
      conf.put(P + "forward.influx.url", influx.url());
      conf.put(P + "forward.influx.database", "catchpoint");
      conf.put(P + "forward.influx.password", "influx-pass-secret");
      conf.put(P + "forward.influx.username", "writer");
      conf.put(P + "forward.influx.flush_interval_ms", "20");
      conf.put(P + "forward.down.type", "influx");
      conf.put(P + "forward.down.version", "2");
      conf.put(P + "forward.down.url", "http://127.0.0.1:" + downPort);
      conf.put(P + "forward.down.org", "o");
      conf.put(P + "forward.down.bucket", "b");
      conf.put(P + "forward.down.token", "influx2-token-secret");
      service = new CatchpointService(PluginSettings.from(Settings.of(conf)), TestPlatform.of(store));

      Response push = service.handle(new Request("POST", Collections.singletonList("push"),
          params("token", "forward-test-token-1"), h -> "Content-Type".equalsIgnoreCase(h) ? "application/json" : null,
          Fixtures.bytes("push-ping.json"))).get(10, SECONDS);
      assertEquals(200, push.status(), push.bodyText());
      int written = Json.MAPPER.readTree(push.bodyText()).path("written").asInt();
      assertTrue(written > 0);
      assertEquals(written, stored.size(), "the TSD got the points as before");

      await(() -> carbon.lines.size() == written, 10_000, "every point in carbon");
      for (DataPoint p : stored) {
        assertTrue(carbon.lines.contains(GraphiteNaming.tagged().name(p) + " " + Numbers.plain(p.value()) + " "
            + p.timestampSeconds()), p.toString());
      }
      // One line per series and second in each write; the points may come in more than one write.
      String ping = "catchpoint_ping,node_id=540,test_id=100004,test_type=ping ";
      java.util.function.Supplier<java.util.Set<String>> pingFields = () -> {
        java.util.Set<String> fields = new java.util.TreeSet<>();
        for (FakeInflux.Seen r : influx.requests) {
          for (String line : r.body.split("\n")) {
            if (line.startsWith(ping) && line.endsWith(" 1705320422")) {
              fields.addAll(java.util.Arrays.asList(line.substring(ping.length(), line.lastIndexOf(' ')).split(",")));
            }
          }
        }
        return fields;
      };
      await(() -> pingFields.get().size() >= 4, 10_000, "the ping's fields in influx");
      assertEquals(new java.util.TreeSet<>(java.util.Arrays.asList("round_trip_time_avg=17.6",
          "round_trip_time_min=16.9", "round_trip_time_max=19.2", "packet_loss_pct=0")), pingFields.get());

      Response health = service.handle(new Request("GET", Collections.singletonList("health"), params(),
          h -> null, new byte[0])).get(5, SECONDS);
      String text = health.bodyText();
      assertFalse(text.contains("influx-pass-secret") || text.contains("influx2-token-secret"), text);
      JsonNode f = Json.MAPPER.readTree(text).path("forwarders");
      assertEquals("graphite", f.path("graphite").path("type").asText());
      assertEquals(written, f.path("graphite").path("sent").asLong());
      assertTrue(f.path("graphite").path("connected").asBoolean());
      await(() -> service.stats().get("catchpoint.forward.errors.connect", "target", "down") > 0, 10_000,
          "the down target fails");
      JsonNode down = Json.MAPPER.readTree(service.handle(new Request("GET", Collections.singletonList("health"),
          params(), h -> null, new byte[0])).get(5, SECONDS).bodyText()).path("forwarders").path("down");
      assertFalse(down.path("connected").asBoolean());
      assertEquals(written, down.path("queued").asLong());
      assertEquals(written, down.path("retry_buffer_depth").asLong(), "kept for later");
      assertTrue(down.path("last_error").asText().contains("connect: "), down.toString());
      JsonNode config = Json.MAPPER.readTree(text).path("config");
      assertEquals("****", config.path("forward.down.token").asText());
      assertEquals("****", config.path("forward.influx.password").asText());
      assertEquals("graphite,influx,down", config.path("forward").asText());

      // /api/stats: the counters and gauges per target.
      Stats stats = service.stats();
      boolean depth = false;
      for (Stats.Entry e : stats.snapshot()) {
        if (e.name.equals("catchpoint.forward.retry_buffer_depth") && "down".equals(e.tagValue)) {
          depth = e.value == written;
        }
      }
      assertTrue(depth, "retry_buffer_depth{target=down} in the stats");

      service.shutdown();
      service = null;
      assertEquals(written, stats.get("catchpoint.forward.dropped.shutdown", "target", "down"),
          "what the down target never got is counted at shutdown");
    }
  }
}

package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentsdbcatchpoint.sink.PrometheusHttp;

/**
 * The Prometheus forwarder inside a real TSD, from the packaged jar (its snappy encoder shaded and
 * relocated): an extra TSD of the stack forwards a pushed run to a real Prometheus (forwarders.sh),
 * which holds it with the run's own timestamp. Its own test id (730019).
 */
@Order(9)
class PrometheusTsdIT {
  static final long TEST_ID = 730019;

  @Test
  void thePluginJarCarriesTheSnappyEncoderRelocatedAndNothingElse() throws Exception {
    Path jarPath = PluginJarIT.packagedJar();
    List<String> foreign = new ArrayList<>();
    boolean snappy = false;
    try (ZipFile jar = new ZipFile(jarPath.toFile())) {
      for (String name : Collections.list(jar.entries()).stream().map(e -> e.getName()).toArray(String[]::new)) {
        if (name.endsWith(".class") && !name.startsWith("org/opentsdbcatchpoint/")) {
          foreign.add(name);
        }
        snappy |= name.equals("org/opentsdbcatchpoint/shaded/aircompressor/snappy/SnappyCompressor.class");
      }
    }
    assertTrue(snappy, "the relocated SnappyCompressor is in " + jarPath);
    assertEquals(Collections.emptyList(), foreign, "classes outside the plugin's packages");
  }

  @Test
  void aTsdForwardsAPushToARealPrometheus(@TempDir Path tmp) throws Exception {
    int promPort = Tsd.freePort();
    Map<String, String> env = Map.of("FWD_DIR", tmp.resolve("prometheus").toString(), "PROM_PORT",
        Integer.toString(promPort));
    String prom = "http://127.0.0.1:" + promPort;
    forwarders(env, "start");
    try {
      Path conf = tmp.resolve("prometheus-forward.conf");
      Files.writeString(conf, String.join("\n",
          "tsd.plugin.catchpoint.pull.accounts =",
          "tsd.plugin.catchpoint.forward = prom",
          "tsd.plugin.catchpoint.forward.prom.type = prometheus",
          "tsd.plugin.catchpoint.forward.prom.url = " + prom + "/api/v1/write",
          "tsd.plugin.catchpoint.forward.prom.flush_interval_ms = 100",
          "tsd.plugin.catchpoint.forward.prom.rate_limit = 1000", ""));
      String tsd = Tsd.extraTsd("prom", Tsd.freePort(), conf);
      ObjectNode run = (ObjectNode) Tsd.JSON.readTree(Tsd.fixtureBytes("push-web-default.json"));
      run.put("TestId", TEST_ID);
      Tsd.Answer pushed = Tsd.push(tsd, Tsd.JSON.writeValueAsBytes(run));
      assertEquals(200, pushed.status, pushed::toString);
      String q = "catchpoint_timing_dns{test_id=\"" + TEST_ID + "\"}[20y]";
      Pulls.await("the run in Prometheus", () -> PrometheusHttp.count(PrometheusHttp.query(prom, q, now(), 10_000)),
          n -> n >= 1, Duration.ofSeconds(30));
      Map<String, Double> dns = PrometheusHttp.samples(PrometheusHttp.query(prom, q, now(), 10_000));
      assertEquals(Collections.singletonMap("{__name__=catchpoint_timing_dns, asn=AS16509, city=Frankfurt, "
          + "country=Germany, isp=Amazon, node_id=540, region=Hesse, test_id=" + TEST_ID + ", test_type=web} "
          + "1705320873000", 12.0), dns);
      JsonNode f = Tsd.get(tsd, "/plugin/catchpoint/health").json.path("forwarders").path("prom");
      assertEquals("prometheus", f.path("type").asText(), f::toString);
      assertEquals("1000 points/s", f.path("rate_limit").asText(), f::toString);
      assertEquals(0, f.path("dropped").path("rejected").asLong(), f::toString);
      assertFalse(f.path("sent").asLong() == 0, f::toString);
    } finally {
      try {
        Tsd.extraTsdStop("prom");
      } finally {
        forwarders(env, "stop");
      }
    }
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static void forwarders(Map<String, String> env, String command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", "integration-tests/forwarders.sh", command, "prometheus")
        .redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "forwarders.sh " + command + " prometheus did not finish");
    assertEquals(0, p.exitValue(), "forwarders.sh " + command + " prometheus failed:\n" + out);
  }
}

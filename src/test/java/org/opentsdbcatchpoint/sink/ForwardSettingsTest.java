package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.PluginSettings;
import org.opentsdbcatchpoint.config.InvalidSettingsException;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.Settings;

/** {@code forward = ...} and {@code forward.<name>.*}: read, defaults, every problem at once, secrets masked. */
class ForwardSettingsTest {
  private static final String P = Key.PREFIX;

  private static Map<String, String> base(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put(P + "push.allow_anonymous", "true");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(P + kv[i], kv[i + 1]);
    }
    return m;
  }

  private static GraphiteSettings graphite(ForwardSettings.Target t) {
    return (GraphiteSettings) t.kind;
  }

  /** A graphite target's hosts as {@code host:port}, IPv6 in brackets. */
  private static List<String> hosts(ForwardSettings.Target t) {
    List<String> out = new java.util.ArrayList<>();
    for (java.net.InetSocketAddress a : graphite(t).hosts) {
      assertTrue(a.isUnresolved(), "looked up at each connect, not at start: " + a);
      String h = a.getHostString();
      out.add((h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort());
    }
    return out;
  }

  private static PluginSettings read(String... kv) {
    return PluginSettings.from(Settings.of(base(kv)));
  }

  private static List<String> problems(String... kv) {
    InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> read(kv));
    return e.problems();
  }

  @Test
  void nothingIsForwardedByDefault() {
    PluginSettings s = read();
    assertTrue(s.forward.targets.isEmpty());
    assertEquals("(none)", s.summary().get("forward"));
  }

  @Test
  void aGraphiteAndTwoInfluxTargetsWithTheirDefaults() {
    PluginSettings s = read(
        "forward", "graphite, influx,influx2",
        "forward.graphite.type", "graphite",
        "forward.graphite.hosts", "carbon-a, carbon-b:2103,[::1]",
        "forward.influx.type", "influx",
        "forward.influx.url", "http://influx:8086",
        "forward.influx.database", "catchpoint",
        "forward.influx.username", "writer",
        "forward.influx.password", "pw-secret",
        "forward.influx2.type", "INFLUX",
        "forward.influx2.version", "2",
        "forward.influx2.url", "https://cloud.example/",
        "forward.influx2.org", "acme",
        "forward.influx2.bucket", "catchpoint",
        "forward.influx2.token", "tok-secret",
        "forward.influx2.drop", "newest",
        "forward.influx2.queue_size", "500",
        "forward.influx2.batch_size", "50",
        "forward.influx2.retry_buffer", "50");
    assertEquals(3, s.forward.targets.size());
    ForwardSettings.Target g = s.forward.targets.get(0);
    assertEquals("graphite", g.name);
    assertEquals(GraphiteSettings.TYPE, g.type);
    assertEquals(Arrays.asList("carbon-a:2003", "carbon-b:2103", "[::1]:2003"), hosts(g));
    assertFalse(graphite(g).pickle);
    assertTrue(graphite(g).tagged);
    assertEquals(100_000, g.queueSize);
    assertEquals(1000, g.batchSize);
    assertEquals(1000, g.flushIntervalMillis);
    assertEquals(100_000, g.retryBuffer);
    assertTrue(g.dropOldest);
    assertEquals(5000, g.timeoutMillis);
    assertEquals(5000, graphite(g).replayWindowMillis);
    InfluxSettings i = (InfluxSettings) s.forward.targets.get(1).kind;
    assertEquals(1, i.version);
    assertEquals("catchpoint", i.database);
    assertEquals(null, i.retentionPolicy);
    ForwardSettings.Target i2 = s.forward.targets.get(2);
    assertEquals(InfluxSettings.TYPE, i2.type);
    assertEquals(2, ((InfluxSettings) i2.kind).version);
    assertEquals("tok-secret", ((InfluxSettings) i2.kind).token);
    assertFalse(i2.dropOldest);
    assertEquals(500, i2.queueSize);

    Map<String, Object> summary = s.summary();
    assertEquals("graphite,influx,influx2", summary.get("forward"));
    assertEquals("carbon-a:2003,carbon-b:2103,[::1]:2003", summary.get("forward.graphite.hosts"));
    assertEquals("****", summary.get("forward.influx.password"));
    assertEquals("****", summary.get("forward.influx2.token"));
    assertFalse(summary.toString().contains("pw-secret"), summary.toString());
    assertFalse(summary.toString().contains("tok-secret"), summary.toString());
  }

  @Test
  void pickleDefaultsToPort2004AndTemplatesAreChecked() {
    PluginSettings s = read("forward", "g", "forward.g.type", "graphite", "forward.g.hosts", "127.0.0.1",
        "forward.g.protocol", "pickle", "forward.g.naming", "template", "forward.g.template", "cp.{test_id}.{metric}");
    assertEquals(Collections.singletonList("127.0.0.1:2004"), hosts(s.forward.targets.get(0)));
    assertFalse(graphite(s.forward.targets.get(0)).tagged);
    assertEquals("cp.{test_id}.{metric}", graphite(s.forward.targets.get(0)).template);
    List<String> p = problems("forward", "g", "forward.g.type", "graphite", "forward.g.hosts", "c",
        "forward.g.naming", "template", "forward.g.template", "cp.{test_id}");
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).startsWith(P + "forward.g.template is not usable: "), p.get(0));
  }

  @Test
  void everyProblemOfEveryTargetIsReportedAtOnce() {
    List<String> p = problems(
        "forward", "g,i,i2,bad name,g",
        "forward.g.type", "graphite",
        "forward.g.hosts", "carbon:99999, :2003",
        "forward.g.protocol", "udp",
        "forward.g.database", "x",
        "forward.g.batch_size", "0",
        "forward.i.type", "influx",
        "forward.i.url", "ftp://influx",
        "forward.i.token", "t",
        "forward.i.password", "p",
        "forward.i.retry_buffer", "10",
        "forward.i.drop", "random",
        "forward.i.timeout_ms", "soon",
        "forward.i2.type", "influx",
        "forward.i2.version", "2",
        "forward.i2.url", "http://influx:8086",
        "forward.i2.database", "db",
        "forward.g.hostss", "typo",
        "forward.other.type", "graphite");
    String all = String.join("\n", p);
    String[] expected = {
        "forward has the target name \"bad name\"",
        "forward names the target g twice",
        "forward.g.database applies to influx targets only",
        "forward.g.protocol must be plaintext or pickle, not \"udp\"",
        "forward.g.hosts has \"carbon:99999\", which is not host:port",
        "forward.g.hosts has \":2003\", which is not host:port",
        "forward.g.batch_size must be between 1 and 100000, not 0",
        "forward.i.url must be an http or https URL",
        "forward.i.database is required for an InfluxDB 1.x target",
        "forward.i.token applies to version 2 only",
        "forward.i.password is set without " + P + "forward.i.username",
        "forward.i.retry_buffer must be at least batch_size (1000), not 10",
        "forward.i.drop must be oldest or newest, not \"random\"",
        "forward.i.timeout_ms must be a whole number, not \"soon\"",
        "forward.i2.org is required for an InfluxDB 2.x target",
        "forward.i2.bucket is required for an InfluxDB 2.x target",
        "forward.i2.token is required for an InfluxDB 2.x target",
        "forward.i2.database applies to version 1 only",
        "forward.g.hostss is not a setting of this plugin (misspelt?)",
        "forward.other.type is set, but other is not in " + P + "forward",
    };
    for (String e : expected) {
      assertTrue(all.contains(P + e) || all.contains(e), "missing: " + e + "\nin:\n" + all);
    }
    assertEquals(expected.length, p.size(), all);
  }

  @Test
  void aTargetNeedsAType() {
    List<String> p = problems("forward", "x");
    assertEquals(Collections.singletonList(P + "forward.x.type is required: graphite or influx or prometheus or kairosdb or opentsdb"),
        p);
  }

  @Test
  void kairosdbAndOpenTsdbTargetsShareTheUrlKeyAndHaveTheirOwnDefaults() {
    PluginSettings s = read(
        "forward", "kairos,dc2",
        "forward.kairos.type", "kairosdb",
        "forward.kairos.url", "http://kairos:8080/api/v1/datapoints",
        "forward.dc2.type", "OpenTSDB",
        "forward.dc2.url", "http://tsd-dc2:4242");
    ForwardSettings.Target k = s.forward.targets.get(0);
    assertEquals(KairosSettings.TYPE, k.type);
    assertEquals("http://kairos:8080/api/v1/datapoints", ((KairosSettings) k.kind).url);
    assertEquals(1000, k.batchSize);
    assertEquals("kairosdb http://kairos:8080/api/v1/datapoints", k.transport().describe());
    ForwardSettings.Target o = s.forward.targets.get(1);
    assertEquals(OpenTsdbSettings.TYPE, o.type);
    assertTrue(((OpenTsdbSettings) o.kind).sync);
    assertEquals("opentsdb http://tsd-dc2:4242/api/put", o.transport().describe(), "a URL without a path gets /api/put");
    assertEquals("true", String.valueOf(s.summary().get("forward.dc2.sync")));
    assertFalse(((OpenTsdbSettings) read("forward", "o", "forward.o.type", "opentsdb", "forward.o.url", "http://t:4242",
        "forward.o.sync", "false").forward.targets.get(0).kind).sync);
  }

  @Test
  void theNewKindsNeedAUrlWithoutAQueryAndRefuseOtherKindsKeys() {
    List<String> p = problems(
        "forward", "k,o,i",
        "forward.k.type", "kairosdb",
        "forward.k.database", "x",
        "forward.o.type", "opentsdb",
        "forward.o.url", "http://tsd:4242/api/put?details",
        "forward.o.sync", "maybe",
        "forward.i.type", "influx",
        "forward.i.url", "http://influx:8086",
        "forward.i.database", "x",
        "forward.i.sync", "true");
    String all = String.join("\n", p);
    for (String e : new String[] {
        "forward.k.url is required for a kairosdb target",
        "forward.k.database applies to influx targets only; this one is kairosdb",
        "forward.o.url must be an http or https URL without a query",
        "forward.o.sync must be true or false",
        "forward.i.sync applies to opentsdb targets only; this one is influx"}) {
      assertTrue(all.contains(P + e), "missing: " + e + "\nin:\n" + all);
    }
    assertEquals(5, p.size(), all);
  }

  @Test
  void aPrometheusTargetSharesUrlAndCredentialsKeysWithInflux() {
    PluginSettings s = read("forward", "prom,prom2",
        "forward.prom.type", "prometheus",
        "forward.prom.url", "http://prom:9090/api/v1/write",
        "forward.prom.username", "writer",
        "forward.prom.password", "pw-secret",
        "forward.prom.rate_limit", "5000",
        "forward.prom2.type", "prometheus",
        "forward.prom2.url", "https://mimir.example/api/v1/push",
        "forward.prom2.token", "tok-secret");
    ForwardSettings.Target t = s.forward.targets.get(0);
    assertEquals(PrometheusSettings.TYPE, t.type);
    PrometheusSettings k = (PrometheusSettings) t.kind;
    assertEquals("http://prom:9090/api/v1/write", k.url);
    assertEquals("writer", k.username);
    assertEquals(5000, t.rateLimit);
    assertEquals(0, s.forward.targets.get(1).rateLimit, "off by default");
    assertEquals("tok-secret", ((PrometheusSettings) s.forward.targets.get(1).kind).token);
    assertTrue(t.transport() instanceof PrometheusTransport);
    Map<String, Object> summary = s.summary();
    assertEquals("5000 points/s", summary.get("forward.prom.rate_limit"));
    assertEquals("off", summary.get("forward.prom2.rate_limit"));
    assertEquals("****", summary.get("forward.prom.password"));
    assertEquals("****", summary.get("forward.prom2.token"));
    assertFalse(summary.toString().contains("pw-secret"), summary.toString());
    assertFalse(summary.toString().contains("tok-secret"), summary.toString());
  }

  @Test
  void aPrometheusTargetsProblems() {
    List<String> p = problems("forward", "p,q,r",
        "forward.p.type", "prometheus",
        "forward.p.database", "x",
        "forward.p.hosts", "carbon:2003",
        "forward.p.rate_limit", "-1",
        "forward.q.type", "prometheus",
        "forward.q.url", "http://prom:9090/api/v1/write",
        "forward.q.password", "p",
        "forward.r.type", "prometheus",
        "forward.r.url", "http://prom:9090/api/v1/write",
        "forward.r.username", "u",
        "forward.r.token", "t");
    String all = String.join("\n", p);
    String[] expected = {
        "forward.p.database applies to influx targets only; this one is prometheus",
        "forward.p.hosts applies to graphite targets only; this one is prometheus",
        "forward.p.url is required for a prometheus target",
        "forward.p.rate_limit must be between 0 and 10000000, not -1",
        "forward.q.password is set without " + P + "forward.q.username",
        "forward.r.token and " + P + "forward.r.username are both set",
    };
    for (String e : expected) {
      assertTrue(all.contains(P + e), "missing: " + e + "\nin:\n" + all);
    }
    assertEquals(expected.length, p.size(), all);
  }

  @Test
  void theRateLimitAppliesToEveryKind() {
    PluginSettings s = read("forward", "g,i", "forward.g.type", "graphite", "forward.g.hosts", "carbon",
        "forward.g.rate_limit", "100", "forward.i.type", "influx", "forward.i.url", "http://influx:8086",
        "forward.i.database", "db", "forward.i.rate_limit", "250");
    assertEquals(100, s.forward.targets.get(0).rateLimit);
    assertEquals(250, s.forward.targets.get(1).rateLimit);
  }
}

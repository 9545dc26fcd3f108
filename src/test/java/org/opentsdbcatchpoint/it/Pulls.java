package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * The pull side of the end-to-end tests: the fake Catchpoint that tsd.sh starts beside the stack
 * (integration-tests/stack/FakeCatchpoint.java, its control endpoints and its oracle of runs), and the
 * plugin's {@code /pull/status} and {@code /pull/run}. Accounts and tests are those of
 * src/test/resources/it/opentsdb-extra.conf.
 */
final class Pulls {
  static final String FAKE = required("it.fake.url");
  static final String ADMIN_TOKEN = required("it.pull.admin.token");
  /** The fake's v2 API key and v1 client secret (pom.xml, FAKE_CATCHPOINT_ARGS), for accounts of extra TSDs. */
  static final String API_KEY = required("it.v2.api.key");
  static final String CLIENT_SECRET = required("it.v1.client.secret");
  /** The accounts' lag (opentsdb-extra.conf): a pull stores the runs up to this long before it started. */
  static final long LAG_SECONDS = 5;

  static final String V1 = "itv1";
  static final long V1_WEB = 900101;
  static final long V1_PING = 900102;
  static final String V2 = "itv2";
  static final long V2_WEB = 900201;
  static final long V2_TRACEROUTE = 900203;
  static final String BIG = "itbig";
  static final long BIG_WEB = 900301;

  /** The fake's nodes (src/test/resources/it/fake-nodes.json); 9017 is not in the TSD's catalog.file. */
  static final long[] NODES = {540, 312, 313, 9017, 88, 701};
  static final long LIVE_ONLY_NODE = 9017;

  private Pulls() {}

  private static String required(String key) {
    String v = System.getProperty(key);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException("system property " + key + " is not set: run the end-to-end tests "
          + "through 'mvn verify' (integration-tests/test.sh), which starts the stack and the fake Catchpoint");
    }
    return v;
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  // -----------------------------------------------------------------------------------------------
  // The fake Catchpoint
  // -----------------------------------------------------------------------------------------------

  /** A control request to the fake, e.g. {@code fake("POST", "/__fake/down?seconds=90&api=v2")}; asserts 200. */
  static Tsd.Answer fake(String method, String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(FAKE + pathAndQuery)).timeout(Duration.ofSeconds(30));
    b = method.equals("POST") ? b.POST(HttpRequest.BodyPublishers.noBody()) : b.GET();
    Tsd.Answer a = Tsd.send(b.build());
    assertEquals(200, a.status, () -> "fake " + method + " " + pathAndQuery + ": " + a);
    return a;
  }

  /** The fake's request counters ({@code raw}, {@code answered_503}, {@code token}, ...; 0 when absent). */
  static long fakeCount(String what) throws IOException, InterruptedException {
    return fake("GET", "/__fake/requests").json.path(what).asLong(0);
  }

  /** The fake's last raw requests, {@code "SERIAL TIME METHOD URI"}, oldest first. */
  static List<String> fakeRecent() throws IOException, InterruptedException {
    List<String> out = new ArrayList<>();
    fake("GET", "/__fake/requests").json.path("recent").forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The serial of the fake's last raw request (0 before the first). */
  static long lastRawSerial() throws IOException, InterruptedException {
    List<String> recent = fakeRecent();
    return recent.isEmpty() ? 0 : serial(recent.get(recent.size() - 1));
  }

  static long serial(String recent) {
    return Long.parseLong(recent.substring(0, recent.indexOf(' ')));
  }

  /**
   * The windows [start, end) (epoch seconds) of the raw requests for a test that the fake received
   * after the request with the given serial, oldest first (among its last 50 requests).
   */
  static List<long[]> rawWindowsSince(long serial, long test) throws IOException, InterruptedException {
    List<String> since = new ArrayList<>();
    for (String r : fakeRecent()) {
      if (serial(r) > serial) {
        since.add(r);
      }
    }
    return windowsOf(since, test);
  }

  /** The windows [start, end) of the raw requests for a test among the fake's request lines, in their order. */
  static List<long[]> windowsOf(List<String> requests, long test) {
    List<long[]> out = new ArrayList<>();
    for (String r : requests) {
      String uri = r.substring(r.lastIndexOf(' ') + 1);
      Map<String, String> q = new HashMap<>();
      for (String kv : uri.substring(uri.indexOf('?') + 1).split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          q.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      String ids = q.getOrDefault("testIds", q.getOrDefault("tests", ""));
      boolean forTest = uri.contains("/raw/" + test + "?") || List.of(ids.split(",")).contains(Long.toString(test));
      String start = q.getOrDefault("startTimeUtc", q.get("startTime"));
      String end = q.getOrDefault("endTimeUtc", q.get("endTime"));
      if (forTest && start != null && end != null) {
        out.add(new long[] {Instant.parse(start).getEpochSecond(), Instant.parse(end).getEpochSecond()});
      }
    }
    return out;
  }

  /** One run (or one traceroute hop) as the fake serves it: values by column name, null where it has none. */
  static final class Run {
    final long time;
    final long node;
    final int hop;
    final Map<String, Double> values;

    Run(long time, long node, int hop, Map<String, Double> values) {
      this.time = time;
      this.node = node;
      this.hop = hop;
      this.values = values;
    }

    @Override
    public String toString() {
      return "run of node " + node + " at " + time + (hop > 0 ? " hop " + hop : "") + " " + values;
    }
  }

  /** The runs of a test with a time in [from, to], from the fake's oracle (also runs still to come). */
  static List<Run> runs(long test, long from, long to) throws IOException, InterruptedException {
    JsonNode body = fake("GET", "/__fake/runs?test=" + test + "&from=" + from + "&to=" + to).json;
    List<Run> out = new ArrayList<>();
    for (JsonNode r : body.path("runs")) {
      Map<String, Double> values = new HashMap<>();
      r.path("values").fields().forEachRemaining(e ->
          values.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asDouble()));
      out.add(new Run(r.path("time").asLong(), r.path("node").asLong(), r.path("hop").asInt(0), values));
    }
    return out;
  }

  // -----------------------------------------------------------------------------------------------
  // The plugin's pull endpoints
  // -----------------------------------------------------------------------------------------------

  static JsonNode status() throws IOException, InterruptedException {
    Tsd.Answer a = Tsd.get("/plugin/catchpoint/pull/status");
    assertEquals(200, a.status, a::toString);
    return a.json;
  }

  /** The status entry of one test of one account. */
  static JsonNode testStatus(JsonNode status, String account, long test) {
    for (JsonNode t : status.path("tests")) {
      if (t.path("account").asText().equals(account) && t.path("test_id").asLong() == test) {
        return t;
      }
    }
    throw new AssertionError("no status for " + account + "/" + test + " in " + status);
  }

  /** A test's cursor in epoch seconds, or Long.MIN_VALUE while the status has none (before the first pull). */
  static long cursor(String account, long test) throws IOException, InterruptedException {
    JsonNode c = testStatus(status(), account, test).path("cursor");
    return c.isTextual() ? Instant.parse(c.asText()).getEpochSecond() : Long.MIN_VALUE;
  }

  static Tsd.Answer run(String account, String query) throws IOException, InterruptedException {
    return Tsd.send(Tsd.request("/plugin/catchpoint/pull/run?account=" + account + query)
        .timeout(Duration.ofMinutes(5))
        .POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  /**
   * Pulls an account now and waits for the end of a whole cycle that began after this call (a scheduled
   * cycle already running makes {@code ran} false: then again).
   */
  static void pullNow(String account) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      Tsd.Answer a = run(account, "&wait&token=" + ADMIN_TOKEN);
      assertEquals(200, a.status, a::toString);
      if (a.json.path("ran").asBoolean()) {
        return;
      }
      Thread.sleep(200);
    }
    fail("no pull of " + account + " could be run within 3 minutes");
  }

  /** Waits (polling the status, never pulling) until the cursors of the tests reach a time. */
  static void awaitCursors(String account, long atLeast, Duration timeout, long... tests)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode status = status();
      boolean all = true;
      for (long test : tests) {
        JsonNode c = testStatus(status, account, test).path("cursor");
        all &= c.isTextual() && Instant.parse(c.asText()).getEpochSecond() >= atLeast;
      }
      if (all) {
        return;
      }
      if (System.nanoTime() > deadline) {
        fail("the cursors of " + account + " did not reach " + Instant.ofEpochSecond(atLeast) + " within "
            + timeout.toSeconds() + " s: " + status);
      }
      Thread.sleep(500);
    }
  }

  /** Waits until a condition on a number holds, polling every 250 ms. */
  static long await(String what, Probe value, LongPredicate ok, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long v;
    while (!ok.test(v = value.get())) {
      if (System.nanoTime() > deadline) {
        fail(what + " did not happen within " + timeout.toSeconds() + " s (last value " + v + ")");
      }
      Thread.sleep(250);
    }
    return v;
  }

  /** A number read from the stack or the fake. */
  interface Probe {
    long get() throws IOException, InterruptedException;
  }

  /** The TSD's start, from the plugin's uptime. */
  static long tsdStartSeconds() throws IOException, InterruptedException {
    Tsd.Answer h = Tsd.get("/plugin/catchpoint/health");
    assertEquals(200, h.status, h::toString);
    return now() - h.json.path("uptime_seconds").asLong();
  }

  // -----------------------------------------------------------------------------------------------
  // What the TSD holds
  // -----------------------------------------------------------------------------------------------

  /** Datapoints of a metric for a test in [from, to), by node id then time (tag filter {@code extra} too). */
  static Map<Long, Map<Long, Double>> stored(String metric, long test, Map<String, String> extra, long from, long to)
      throws IOException, InterruptedException {
    // The old scripts' names (naming = legacy | both) carry the old scripts' tags.
    boolean legacy = metric.startsWith("catchpoint.testdata.");
    Map<String, String> filter = new TreeMap<>(extra);
    filter.put(legacy ? "TestId" : "test_id", Long.toString(test));
    Map<Long, Map<Long, Double>> out = new TreeMap<>();
    for (Tsd.Series s : Tsd.query(metric, filter, from, to - 1)) {
      long node = Long.parseLong(s.tags.get(legacy ? "NodeId" : "node_id"));
      assertTrue(!out.containsKey(node), () -> "two series of " + metric + filter + " for node " + node + ": "
          + s.tags);
      Map<Long, Double> dps = new TreeMap<>();
      s.dps.forEach((t, v) -> {
        if (t >= from && t < to) {
          dps.put(t, v);
        }
      });
      out.put(node, dps);
    }
    return out;
  }

  /**
   * Every run the fake serves in [from, to) with a value in {@code column} is in the TSD as {@code metric},
   * at its second, with its value, and nothing else is: no gap, no stray or duplicated cell. A run whose
   * column is null has no point.
   */
  static void assertExactly(long test, String column, String metric, long from, long to)
      throws IOException, InterruptedException {
    assertExactly(test, column, metric, Collections.emptyMap(), r -> true, from, to);
  }

  static void assertExactly(long test, String column, String metric, Map<String, String> extraTags,
      Predicate<Run> which, long from, long to) throws IOException, InterruptedException {
    Map<Long, Map<Long, Double>> expected = new TreeMap<>();
    int runs = 0;
    for (Run r : runs(test, from, to - 1)) {
      if (!which.test(r)) {
        continue;
      }
      runs++;
      Double v = r.values.get(column);
      if (v != null) {
        expected.computeIfAbsent(r.node, n -> new TreeMap<>()).put(r.time, v);
      }
    }
    assertTrue(runs > 0, "the fake has no run of test " + test + " between " + from + " and " + to);
    Map<Long, Map<Long, Double>> got = stored(metric, test, extraTags, from, to);
    got.values().removeIf(Map::isEmpty);
    if (!expected.equals(got)) {
      List<String> diff = new ArrayList<>();
      for (Long node : union(expected.keySet(), got.keySet())) {
        Map<Long, Double> e = expected.getOrDefault(node, Map.of());
        Map<Long, Double> g = got.getOrDefault(node, Map.of());
        for (Long t : union(e.keySet(), g.keySet())) {
          if (!Objects.equals(e.get(t), g.get(t))) {
            diff.add("node " + node + " at " + Instant.ofEpochSecond(t) + ": expected " + e.get(t) + ", stored "
                + g.get(t));
          }
        }
      }
      fail(metric + " of test " + test + " between " + Instant.ofEpochSecond(from) + " and "
          + Instant.ofEpochSecond(to) + " differs from the fake's runs: " + diff);
    }
  }

  private static List<Long> union(Set<Long> a, Set<Long> b) {
    TreeSet<Long> u = new TreeSet<>(a);
    u.addAll(b);
    return new ArrayList<>(u);
  }
}

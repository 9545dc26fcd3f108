package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.catalog.NodeCatalogReader;
import org.opentsdbcatchpoint.catalog.StaticNodeCatalog;
import org.opentsdbcatchpoint.mapping.RunMapper;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.push.DecodeOptions;
import org.opentsdbcatchpoint.push.PushDecoder;
import org.opentsdbcatchpoint.sink.InfluxLineProtocol;

/**
 * The soak: an extra TSD of the stack under a steady mixed load for {@code it.soak.seconds} (120 in the
 * suite; {@code integration-tests/soak.sh} runs it for {@code SOAK_MINUTES}): pushes at {@code it.soak.rate}
 * runs a second (300), each a distinct (test, node, second), its own pull account pulling the fake
 * Catchpoint every 30 s, one forwarder to a real InfluxDB (forwarders.sh) that is stopped and started
 * again every {@code flap period} (a flapping target), and Grafana bridge queries. The TSD's own process is
 * sampled meanwhile (heap after a full GC, live threads, open file descriptors, the plugin's counters)
 * into {@code target/soak/samples.csv}. Then: flat after the warm-up, every push answered 200 read back
 * through /api/query, every point given to the forwarder in InfluxDB (none dropped), no gap in the pulls.
 */
@Order(94)
class SoakIT {
  static final long LOAD_SECONDS = Long.getLong("it.soak.seconds", 120);
  static final int RATE = Integer.getInteger("it.soak.rate", 300);
  static final int CLIENTS = 6;
  /**
   * Distinct series: 40 tests on the 5 nodes of the catalog (a node it does not know makes the push wait for
   * a refresh of the live catalog); run i is test i % 40 on node (i / 40) % 5, at second i / 200.
   */
  static final int TESTS = 40;
  static final long[] NODES = {540, 312, 313, 88, 701};
  static final long PULL_TEST = 900501;
  static final String ACCOUNT = "soak";
  static final String FORWARDER = "soakinflux";
  static final String DATABASE = "soak";
  /** A quarter of the load (at least 30 s) warms up: JIT, UID caches, connection pools, the first pulls. */
  static final long WARMUP_SECONDS = Math.max(30, LOAD_SECONDS / 4);
  static final long SAMPLE_SECONDS = Math.max(10, LOAD_SECONDS / 40);
  /** The forwarder's target is down this long in every flap period. */
  static final long DOWN_SECONDS = 8;
  static final long FLAP_PERIOD_SECONDS = Math.max(25, Math.min(120, LOAD_SECONDS / 5));

  // The bounds of "flat", after the warm-up (see docs/reliability.md#soak).
  /** Live threads: the TSD's pools are fixed; a thread leaked per pull, flap or bridge query breaks this. */
  static final int THREAD_BAND = 10;
  /** Open files: the load's 6 connections, the forwarder's, HBase's; a socket leaked per flap or pull breaks it. */
  static final int FD_BAND = 24;
  /** Heap after a full GC, median of the last three samples over the first three after the warm-up. */
  static final long HEAP_GROWTH_BYTES = 24L << 20;

  static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter WINDOW = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

  private final Map<Integer, AtomicLong> answers = new ConcurrentHashMap<>();
  private final AtomicLong pushedOk = new AtomicLong();
  private final AtomicLong writtenOk = new AtomicLong();
  private final AtomicLong bridgeOk = new AtomicLong();
  private final AtomicLong bridgeFailed = new AtomicLong();
  private final AtomicLong flaps = new AtomicLong();
  private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());

  @Test
  void aTsdUnderSteadyMixedLoadWithAFlappingForwarderStaysFlatAndLosesNothing() throws Exception {
    long started = System.nanoTime();
    Path stack = Paths.get(System.getProperty("it.stack.dir"));
    Path out = Paths.get("target", "soak");
    Files.createDirectories(out);
    long testBase = 740_000 + TESTS * ThreadLocalRandom.current().nextInt(1, 2_000);
    long base = Pulls.now() - 2 * 86_400;

    byte[] fixture = Tsd.fixtureBytes("push-ping.json");
    List<DataPoint> one = mapped(fixture);
    TreeSet<String> metrics = new TreeSet<>();
    one.forEach(p -> metrics.add(p.metric()));
    assertEquals(one.size(), metrics.size(), "one point per metric in a ping run: " + one);

    int influxPort = Tsd.freePort();
    Map<String, String> influxEnv = Map.of("FWD_DIR", stack.resolve("soak-influx").toString(), "INFLUX_HTTP_PORT",
        Integer.toString(influxPort), "INFLUX_RPC_PORT", Integer.toString(Tsd.freePort()));
    String influx = "http://127.0.0.1:" + influxPort;
    forwarders(influxEnv, "start");
    String tsd = null;
    try {
      influxCommand(influx, "CREATE DATABASE \"" + DATABASE + "\"");
      Path conf = out.resolve("soak.conf");
      Files.writeString(conf, String.join("\n",
          "tsd.plugin.catchpoint.pull.accounts = " + ACCOUNT,
          "tsd.plugin.catchpoint.pull.admin_token = " + Pulls.ADMIN_TOKEN,
          "tsd.plugin.catchpoint.pull." + ACCOUNT + ".api_key = " + Pulls.API_KEY,
          "tsd.plugin.catchpoint.pull." + ACCOUNT + ".base_url = " + Pulls.FAKE + "/api/v2",
          "tsd.plugin.catchpoint.pull." + ACCOUNT + ".tests.web = " + PULL_TEST,
          "tsd.plugin.catchpoint.pull." + ACCOUNT + ".interval = 30s",
          "tsd.plugin.catchpoint.pull." + ACCOUNT + ".lag = 5s",
          "tsd.plugin.catchpoint.pull." + ACCOUNT + ".window = 1m",
          "tsd.plugin.catchpoint.forward = " + FORWARDER,
          "tsd.plugin.catchpoint.forward." + FORWARDER + ".type = influx",
          "tsd.plugin.catchpoint.forward." + FORWARDER + ".url = " + influx,
          "tsd.plugin.catchpoint.forward." + FORWARDER + ".database = " + DATABASE,
          // InfluxDB runs without authentication here (it ignores the credentials); the password is one of
          // the stack's secrets, so that SecretsIT finds it wherever the plugin would show it.
          "tsd.plugin.catchpoint.forward." + FORWARDER + ".username = soak-writer",
          "tsd.plugin.catchpoint.forward." + FORWARDER + ".password = " + SecretsIT.FORWARD_PASSWORD,
          "tsd.plugin.catchpoint.forward." + FORWARDER + ".flush_interval_ms = 200",
          "tsd.plugin.catchpoint.forward." + FORWARDER + ".timeout_ms = 3000", ""));
      long tsdStart = System.nanoTime();
      tsd = Tsd.extraTsd("soak", Tsd.freePort(), conf);
      System.out.printf("soak: extra TSD up in %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - tsdStart));
      long pid = Long.parseLong(Files.readAllLines(stack.resolve("tsds/soak/tsd.pid")).get(0).trim());

      long loadStart = Pulls.now();
      long loadEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOAD_SECONDS);
      long totalRuns = LOAD_SECONDS * RATE;
      AtomicLong next = new AtomicLong();
      // Runs sent, and the highest index sent (its second bounds the read-back).
      AtomicLong sentRuns = new AtomicLong();
      AtomicLong lastSent = new AtomicLong(-1);
      long t0 = System.nanoTime();
      List<Thread> threads = new ArrayList<>();
      String target = tsd;
      for (int c = 0; c < CLIENTS; c++) {
        threads.add(daemon("soak-push-" + c, () -> {
          ObjectNode run = (ObjectNode) Tsd.JSON.readTree(fixture);
          ObjectNode summary = (ObjectNode) run.path("Summary");
          long i;
          while ((i = next.getAndIncrement()) < totalRuns) {
            // Paced: run i is due at i / RATE seconds after the start. A machine too busy for the rate pushes
            // fewer within the load's time, never for longer.
            long due = t0 + i * 1_000_000_000L / RATE;
            long wait = due - System.nanoTime();
            if (wait > 0) {
              TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (System.nanoTime() >= loadEnd) {
              break;
            }
            sentRuns.incrementAndGet();
            lastSent.accumulateAndGet(i, Math::max);
            long second = base + i / (TESTS * NODES.length);
            run.put("TestId", testBase + i % TESTS);
            run.put("NodeId", NODES[(int) ((i / TESTS) % NODES.length)]);
            run.put("ReportWindow", WINDOW.format(Instant.ofEpochSecond(second)));
            summary.put("Timestamp", RUN_TIME.format(Instant.ofEpochSecond(second)));
            Tsd.Answer a = Tsd.push(target, Tsd.JSON.writeValueAsBytes(run));
            answers.computeIfAbsent(a.status, s -> new AtomicLong()).incrementAndGet();
            if (a.status == 200) {
              pushedOk.incrementAndGet();
              writtenOk.addAndGet(a.json.path("written").asLong());
            } else if (answers.get(a.status).get() <= 3) {
              System.out.println("soak: push answered " + a);
            }
          }
        }));
      }
      threads.add(daemon("soak-flap", () -> {
        // Down for DOWN_SECONDS in each period, up again well before the load ends.
        while (System.nanoTime() + TimeUnit.SECONDS.toNanos(FLAP_PERIOD_SECONDS) < loadEnd) {
          TimeUnit.SECONDS.sleep(FLAP_PERIOD_SECONDS - DOWN_SECONDS);
          forwarders(influxEnv, "stop");
          TimeUnit.SECONDS.sleep(DOWN_SECONDS);
          forwarders(influxEnv, "start");
          flaps.incrementAndGet();
        }
      }));
      threads.add(daemon("soak-bridge", () -> {
        String tests = "(" + testBase + "|" + (testBase + 1) + "|" + (testBase + 2) + ")";
        while (System.nanoTime() < loadEnd) {
          long to = base + (next.get() / (TESTS * NODES.length)) + 1;
          String body = "{\"range\":{\"from\":\"" + Instant.ofEpochSecond(base) + "\",\"to\":\""
              + Instant.ofEpochSecond(to) + "\"},\"intervalMs\":10000,\"maxDataPoints\":500,\"targets\":["
              + "{\"target\":\"catchpoint.ping.round_trip_time_avg\",\"refId\":\"A\",\"payload\":{\"aggregate\":\"avg\","
              + "\"group_by\":[\"test\",\"node\"],\"test\":\"" + tests + "\"}}]}";
          Tsd.Answer a = Tsd.send(Tsd.request(target, "/plugin/catchpoint/grafana/query")
              .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
          if (a.status == 200 && a.json != null && a.json.isArray()) {
            bridgeOk.incrementAndGet();
          } else if (bridgeFailed.incrementAndGet() <= 3) {
            System.out.println("soak: bridge answered " + a);
          }
          TimeUnit.SECONDS.sleep(2);
        }
      }));
      threads.forEach(Thread::start);

      // Sampling, on the TSD's own process, until the load is done.
      List<Map<String, Object>> samples = new ArrayList<>();
      Path csv = out.resolve("samples.csv");
      long nextSample = System.nanoTime();
      while (threads.subList(0, CLIENTS).stream().anyMatch(Thread::isAlive)) {
        if (System.nanoTime() >= nextSample) {
          samples.add(sample(pid, target, (Pulls.now() - loadStart)));
          writeCsv(csv, samples);
          nextSample += TimeUnit.SECONDS.toNanos(SAMPLE_SECONDS);
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(FLAP_PERIOD_SECONDS + 60));
      }
      samples.add(sample(pid, target, (Pulls.now() - loadStart)));
      writeCsv(csv, samples);
      assertTrue(failures.isEmpty(), () -> "the load failed: " + failures);
      long loadSeconds = Pulls.now() - loadStart;

      // Nothing lost: every push answered 200, read back.
      long ok = pushedOk.get();
      long sent = sentRuns.get();
      System.out.printf("soak: %d runs pushed in %d s (%d/s, target %d/s), answers %s; %d bridge queries (%d failed); "
          + "%d flaps%n", sent, loadSeconds, sent / Math.max(1, loadSeconds), RATE, answersAsLongs(), bridgeOk.get(),
          bridgeFailed.get(), flaps.get());
      assertEquals(Map.of(200, ok), answersAsLongs(), "every push answered 200");
      assertEquals(sent, ok, "every run sent was answered");
      assertEquals(ok * one.size(), writtenOk.get(), "each run wrote its " + one.size() + " points");
      String tests = testList(testBase);
      long lastSecond = base + lastSent.get() / (TESTS * NODES.length);
      Map<String, Long> readBack = new TreeMap<>();
      for (String metric : metrics) {
        long n = 0;
        for (Tsd.Series s : Tsd.query(metric, Map.of("test_id", tests), base, lastSecond)) {
          n += s.dps.size();
        }
        readBack.put(metric, n);
      }
      Map<String, Long> expected = new TreeMap<>();
      metrics.forEach(m -> expected.put(m, ok));
      assertEquals(expected, readBack, "datapoints read back through /api/query, by metric");
      assertTrue(bridgeOk.get() > 0 && bridgeFailed.get() == 0, "bridge queries: " + bridgeOk + " ok, " + bridgeFailed
          + " failed");
      assertTrue(flaps.get() >= 3, "the target went down and up at least three times: " + flaps);

      // The pulls: no gap from the start of the load to the cursor.
      long cursorStart = System.nanoTime();
      Pulls.await("the soak account's cursor past the load", () -> cursor(target), c -> c >= loadStart + 60,
          Duration.ofSeconds(120));
      long to = cursor(target);
      Map<String, Double> pulledExpected = new TreeMap<>();
      List<Pulls.Run> pulled = Pulls.runs(PULL_TEST, loadStart, to - 1);
      for (Pulls.Run r : pulled) {
        if (r.values.get("DNS (ms)") != null) {
          pulledExpected.put(r.node + "@" + r.time, r.values.get("DNS (ms)"));
        }
      }
      Map<String, Double> pulledStored = pulledStored(loadStart, to);
      assertEquals(pulledExpected, pulledStored, "the pulled runs' DNS times from the start of the load to the cursor");
      long pulledRuns = pulled.size();

      // The forwarder: everything it was given reached InfluxDB once it was back, none dropped.
      JsonNode f = Pulls.await("the forwarder emptied", () -> {
        JsonNode s = forwarder(target);
        return s.path("queue_depth").asLong() + s.path("retry_buffer_depth").asLong();
      }, n -> n == 0, Duration.ofSeconds(120)) == 0 ? forwarder(target) : null;
      long dropped = 0;
      for (JsonNode d : f.path("dropped")) {
        dropped += d.asLong();
      }
      Map<String, Long> inInflux = new TreeMap<>();
      for (String metric : metrics) {
        inInflux.put(metric, influxCount(influx, metric, "^(" + tests + ")$"));
      }
      long pulledInInflux = influxCount(influx, "catchpoint.timing.dns", "^" + PULL_TEST + "$", loadStart, to - 1);
      long pulledInTsd = pulledStored.size();
      System.out.printf("soak: forwarder %s: queued %d, sent %d, retried %d, dropped %d; in InfluxDB %s; pulled: %d runs"
          + " from %s to %s, timing.dns %d in the TSD, %d in InfluxDB; waited %d s for the cursor and the forwarder%n",
          FORWARDER, f.path("queued").asLong(), f.path("sent").asLong(), f.path("retried").asLong(), dropped, inInflux,
          pulledRuns, Instant.ofEpochSecond(loadStart), Instant.ofEpochSecond(to), pulledInTsd, pulledInInflux,
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - cursorStart));
      assertEquals(0, dropped, f::toString);
      assertTrue(f.path("retried").asLong() > 0, () -> "the flaps were noticed: " + f);
      assertEquals(expected, inInflux, "the pushed points in InfluxDB, by metric");
      assertEquals(pulledInTsd, pulledInInflux, "the pulled points in InfluxDB");

      // Flat after the warm-up.
      List<Map<String, Object>> steady = new ArrayList<>();
      for (Map<String, Object> s : samples) {
        if ((long) s.get("seconds") >= WARMUP_SECONDS) {
          steady.add(s);
        }
      }
      assertTrue(steady.size() >= 6, "at least six samples after the warm-up: " + samples);
      System.out.println("soak: samples (first, last, max after the warm-up): " + summary(steady));
      assertBand(steady, "threads", THREAD_BAND);
      assertBand(steady, "fds", FD_BAND);
      long heapFirst = median(steady.subList(0, 3), "heap_after_gc");
      long heapLast = median(steady.subList(steady.size() - 3, steady.size()), "heap_after_gc");
      assertTrue(heapLast - heapFirst <= HEAP_GROWTH_BYTES, () -> "heap after GC grew from " + heapFirst + " to "
          + heapLast + " bytes: " + steady);
    } finally {
      try {
        if (tsd != null) {
          Tsd.extraTsdStop("soak");
        }
      } finally {
        forwarders(influxEnv, "stop");
      }
      System.out.printf("soak: %d s in all (load %d s)%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
          LOAD_SECONDS);
    }
  }

  private Map<Integer, Long> answersAsLongs() {
    Map<Integer, Long> m = new TreeMap<>();
    answers.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  /** The datapoints the plugin makes of a push body (the catalog does not change which metrics). */
  static List<DataPoint> mapped(byte[] body) throws Exception {
    StaticNodeCatalog catalog = new StaticNodeCatalog(NodeCatalogReader.read(Tsd.fixture("rest-v1-nodes.json")));
    PushDecoder decoder = new PushDecoder(new DecodeOptions(false, false, false), 1 << 20, 3600);
    RunMapper mapper = new RunMapper(() -> catalog, Vocabulary.ENRICHMENT_TAGS, 8);
    return mapper.map(decoder.decode(body, "application/json", Pulls.now()).run());
  }

  static String testList(long testBase) {
    StringJoiner j = new StringJoiner("|");
    for (int t = 0; t < TESTS; t++) {
      j.add(Long.toString(testBase + t));
    }
    return j.toString();
  }

  interface Body {
    void run() throws Exception;
  }

  private Thread daemon(String name, Body body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable e) {
        failures.add(e);
        e.printStackTrace();
      }
    }, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * "node@second" to value of the pulled test's catchpoint.timing.dns in [from, to), over all its series: a
   * node the live catalog did not know yet when the TSD's first pull wrote it has a second series with fewer
   * tags (the first pull does not wait for the catalog; before the load). A second cell for one run fails.
   */
  static Map<String, Double> pulledStored(long from, long to) throws IOException, InterruptedException {
    Map<String, Double> out = new TreeMap<>();
    for (Tsd.Series s : Tsd.query("catchpoint.timing.dns", Map.of("test_id", Long.toString(PULL_TEST)), from, to - 1)) {
      for (Map.Entry<Long, Double> e : s.dps.entrySet()) {
        if (e.getKey() >= from && e.getKey() < to) {
          String key = s.tags.get("node_id") + "@" + e.getKey();
          assertTrue(out.put(key, e.getValue()) == null, () -> "two cells for the run " + key + ": " + s);
        }
      }
    }
    return out;
  }

  static long cursor(String tsd) throws IOException, InterruptedException {
    JsonNode c = Pulls.testStatus(Tsd.get(tsd, "/plugin/catchpoint/pull/status").json, ACCOUNT, PULL_TEST).path("cursor");
    return c.isTextual() ? Instant.parse(c.asText()).getEpochSecond() : Long.MIN_VALUE;
  }

  static JsonNode forwarder(String tsd) throws IOException, InterruptedException {
    Tsd.Answer h = Tsd.get(tsd, "/plugin/catchpoint/health");
    assertEquals(200, h.status, h::toString);
    return h.json.path("forwarders").path(FORWARDER);
  }

  /** Heap after a full GC, live threads, open files and the plugin's counters of the TSD's process. */
  static Map<String, Object> sample(long pid, String tsd, long seconds) throws Exception {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("seconds", seconds);
    run("jcmd", Long.toString(pid), "GC.run");
    String heap = run("jcmd", Long.toString(pid), "GC.heap_info");
    Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(heap);
    assertTrue(m.find(), () -> "no heap figures in " + heap);
    s.put("heap_after_gc", Long.parseLong(m.group(2)) * 1024);
    s.put("heap_committed", Long.parseLong(m.group(1)) * 1024);
    s.put("threads", count(Paths.get("/proc", Long.toString(pid), "task")));
    s.put("fds", count(Paths.get("/proc", Long.toString(pid), "fd")));
    Tsd.Answer h = Tsd.get(tsd, "/plugin/catchpoint/health");
    JsonNode f = h.json.path("forwarders").path(FORWARDER);
    s.put("fwd_connected", f.path("connected").asText());
    for (String k : new String[] {"queue_depth", "retry_buffer_depth", "queued", "sent", "retried"}) {
      s.put("fwd_" + k, f.path(k).asLong());
    }
    long dropped = 0;
    for (JsonNode d : f.path("dropped")) {
      dropped += d.asLong();
    }
    s.put("fwd_dropped", dropped);
    JsonNode counters = h.json.path("counters");
    s.put("push_points", counter(counters, "catchpoint.push.datapoints.written"));
    s.put("push_200", counter(counters, "catchpoint.push.requests{status=200}"));
    s.put("pull_requests", counter(counters, "catchpoint.pull.requests"));
    return s;
  }

  /** The sum of a counter of /health over its tags, or one tag's value ("name{tag=value}"); 0 when absent. */
  static long counter(JsonNode counters, String key) {
    long n = 0;
    for (var it = counters.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().equals(key) || e.getKey().startsWith(key + "{")) {
        n += e.getValue().asLong();
      }
    }
    return n;
  }

  static long count(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.count();
    }
  }

  static void writeCsv(Path csv, List<Map<String, Object>> samples) throws IOException {
    StringBuilder b = new StringBuilder(String.join(",", samples.get(0).keySet())).append('\n');
    for (Map<String, Object> s : samples) {
      StringJoiner j = new StringJoiner(",");
      s.values().forEach(v -> j.add(String.valueOf(v)));
      b.append(j).append('\n');
    }
    Files.writeString(csv, b);
  }

  static long median(List<Map<String, Object>> samples, String key) {
    List<Long> v = new ArrayList<>();
    samples.forEach(s -> v.add(((Number) s.get(key)).longValue()));
    Collections.sort(v);
    return v.get(v.size() / 2);
  }

  static void assertBand(List<Map<String, Object>> samples, String key, long band) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Map<String, Object> s : samples) {
      long v = ((Number) s.get(key)).longValue();
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    long lo = min;
    long hi = max;
    assertTrue(hi - lo <= band, () -> key + " moved from " + lo + " to " + hi + " after the warm-up (band " + band
        + "): " + samples);
  }

  static String summary(List<Map<String, Object>> samples) {
    StringBuilder b = new StringBuilder();
    for (String k : new String[] {"heap_after_gc", "threads", "fds"}) {
      long max = 0;
      for (Map<String, Object> s : samples) {
        max = Math.max(max, ((Number) s.get(k)).longValue());
      }
      b.append(k).append(' ').append(samples.get(0).get(k)).append(", ").append(samples.get(samples.size() - 1).get(k))
          .append(", ").append(max).append("; ");
    }
    return b.toString();
  }

  static void forwarders(Map<String, String> env, String command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", "integration-tests/forwarders.sh", command, "influx")
        .redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "forwarders.sh " + command + " influx did not finish");
    assertEquals(0, p.exitValue(), "forwarders.sh " + command + " influx failed:\n" + out);
  }

  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
    assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed: " + out);
    return out;
  }

  static JsonNode influxCommand(String influx, String q) throws IOException, InterruptedException {
    Tsd.Answer a = Tsd.send(HttpRequest.newBuilder(java.net.URI.create(influx + "/query?q="
        + URLEncoder.encode(q, StandardCharsets.UTF_8))).POST(HttpRequest.BodyPublishers.noBody()).build());
    assertEquals(200, a.status, a::toString);
    return a.json;
  }

  /** How many values of a metric InfluxDB holds for the tests matching a regex (in a time range, seconds). */
  static long influxCount(String influx, String metric, String testRegex, long... range) throws IOException,
      InterruptedException {
    String q = "SELECT count(\"" + InfluxLineProtocol.field(metric) + "\") FROM \""
        + InfluxLineProtocol.measurement(metric) + "\" WHERE \"test_id\" =~ /" + testRegex + "/"
        + (range.length == 2 ? " AND time >= " + range[0] + "s AND time <= " + range[1] + "s" : "");
    Tsd.Answer a = Tsd.send(HttpRequest.newBuilder(java.net.URI.create(influx + "/query?epoch=s&db=" + DATABASE
        + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8))).GET().build());
    assertEquals(200, a.status, a::toString);
    return a.json.path("results").path(0).path("series").path(0).path("values").path(0).path(1).asLong(0);
  }
}

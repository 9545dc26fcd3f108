package org.opentsdbcatchpoint.bench.forward;

import static org.opentsdbcatchpoint.bench.common.BenchOutput.jvm;
import static org.opentsdbcatchpoint.bench.common.BenchOutput.options;
import static org.opentsdbcatchpoint.bench.common.BenchOutput.round;
import static org.opentsdbcatchpoint.bench.common.BenchOutput.spread;
import static org.opentsdbcatchpoint.bench.common.BenchOutput.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.push.PushSettings;
import org.opentsdbcatchpoint.bench.load.NodeCatalogGenerator;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.PluginSettings;
import org.opentsdbcatchpoint.config.Settings;
import org.opentsdbcatchpoint.mapping.RunMapper;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.sink.Forwarder;
import org.opentsdbcatchpoint.sink.Forwarders;
import org.opentsdbcatchpoint.sink.GraphiteNaming;
import org.opentsdbcatchpoint.sink.InfluxHttp;
import org.opentsdbcatchpoint.sink.PrometheusHttp;
import org.opentsdbcatchpoint.sink.PrometheusRemoteWrite;
import org.opentsdbcatchpoint.stats.Stats;
import org.opentsdbcatchpoint.synthetic.SyntheticRuns;

/**
 * Issue 5, scenario 6 (first half): points per second the plugin's forwarders deliver to a real
 * carbon-cache (plaintext and pickle), a real InfluxDB 1.x and a real Prometheus (remote write), one
 * target at a time.
 *
 * <p>Each target is built as the plugin builds it: {@code tsd.plugin.catchpoint.forward.*} settings
 * read by {@link PluginSettings#from} and turned into a {@link Forwarder} by {@link Forwarders#from}, so
 * every option not given here is the documented default (tagged Graphite names, batch_size 1000,
 * flush_interval_ms 1000, queue_size 100000, retry_buffer 100000, drop oldest, timeout 5000 ms).
 *
 * <p>The points are the plugin's own: web runs (the eight columns of the REST benchmark, their values
 * and nulls) of {@code --tests} tests on {@code --nodes} nodes, one run a minute each, over the last
 * minutes up to now, mapped by the shared {@link RunMapper} with a generated node catalog (eight tags a
 * point). Every measured round uses its own test ids, so its series are new ones in the target. The
 * points are built before the clock starts; then they are offered as fast as {@link Forwarder#offer}
 * takes them, pausing (1 ms at a time) only while the forwarder holds (queue plus sender buffer) more
 * than 90% of the smaller of queue_size and retry_buffer, so nothing is dropped for want of room (any
 * drop is still counted and reported; a round with drops has "dropped_total" above 0). Without that
 * pause a burst of more than about queue_size + retry_buffer points offered faster than the target
 * takes them loses the oldest ones (dropped.retry_buffer_full), by design. A round ends when the forwarder's counters say
 * every point was sent (Graphite: written to carbon's socket; InfluxDB, Prometheus: answered 2xx) or dropped;
 * points/s = points offered / that time. One unmeasured warm-up round precedes each target's rounds.
 *
 * <p>Delivery check after every round. InfluxDB: each round writes to its own new database, and
 * {@code SELECT count(*) FROM /.*\/} must come to the points sent (waited for up to 30 s). Prometheus:
 * {@code count_over_time} of the round's own tests' series must come to the points sent. Carbon: for
 * a sample of points (evenly spread over the round), the whisper file of the tagged series exists
 * (carbon's layout: {@code _tagged/<sha256[0:3]>/<sha256[3:6]>/<sha256>.wsp}) and whisper-fetch
 * returns the point's value at its second (waited for up to 120 s, carbon writes its cache out in its
 * own time); and at the end the whisper files carbon created during this run are counted against the
 * distinct series this run sent.
 *
 * <p>Second half, {@code writer}: what forwarding costs the threads that write points, with no
 * forwarder, with live targets and with dead ones, all inside this JVM ({@link WriterCost}: writes per
 * second, the latency of each write, garbage collection, allocation, the senders' CPU and the heap the
 * buffers keep). It needs no server.
 *
 * <p>KairosDB ({@code --kairos-url}, the real KairosDB 1.3 of forwarders.sh) and another OpenTSDB
 * ({@code --opentsdb-url}, the relay: the benchmark's own stack TSD, written under this run's test ids) are
 * measured the same way; their delivery check counts the round's points through their own query APIs
 * (KairosDB: a count aggregator per metric over the round's test ids, waited for up to 120 s, since it
 * answers 204 once it has queued the points; OpenTSDB: {@code sum:0all-count:} per metric, at once,
 * since the relay waits for the target's storage).
 *
 * <p>Usage: {@code ForwardBench --out=FILE [--quick] [--targets=plaintext,pickle,influx,prometheus,kairos,opentsdb,writer]
 * [--kairos-url=http://127.0.0.1:8080/api/v1/datapoints] [--opentsdb-url=http://127.0.0.1:4242/api/put]
 * [--carbon-line=127.0.0.1:2003] [--carbon-pickle=127.0.0.1:2004] [--carbon-whisper=DIR]
 * [--influx-url=http://127.0.0.1:8086] [--prom-url=http://127.0.0.1:9090] [--points=400000] [--repeats=3] [--tests=10] [--nodes=100]
 * [--sample=20] [--writer-seconds=10] [--writer-warmup=5] [--writer-rate=50000] [--writer-garbage=8192] [--writer-threads=1,8]
 * [--writer-scenarios=no_forwarder,live_targets,dead_targets]}. A target whose
 * address is not given is left out. {@code --carbon-whisper} is
 * {@code $FWD_DIR/carbon-storage/whisper} of forwarders.sh; without it the carbon check is skipped and
 * says so. {@code --quick}: 20,000 points, 1 round; the writer's cost 3 s a measurement.
 *
 * <p>Output, one JSON object:
 * <pre>
 * {
 *   "benchmark": "forwarders",
 *   "quick": bool,
 *   "jvm": {"version", "vm", "gc", "max_heap_bytes", "input_arguments", "processors"},
 *   "workload": {"points_per_round", "tests", "nodes", "minutes", "series_per_round", "tags_per_point",
 *                "timestamps": "the last N minutes up to the start of the round"},
 *   "settings": {"batch_size", "queue_size", "flush_interval_ms", "retry_buffer", "drop", "timeout_ms"},
 *   "targets": {
 *     "graphite_plaintext" | "graphite_pickle" | "influx_v1" | "prometheus": {
 *       "destination": string (the forwarder's own description),
 *       "rounds": [{"points", "seconds", "points_per_s", "sent", "dropped": {reason: n}, "retried",
 *                   "replayed", "errors": {...}, "offer_pauses_ms"}],
 *       "points_per_s": {"median", "min", "max"},
 *       "dropped_total": n,
 *       "delivery_check": {"method": string, "ok": bool, "details": [...per round: influx {"database", "sent",
 *                          "counted_in_influx", "ok"}; prometheus {"tests", "sent", "counted_in_prometheus",
 *                          "ok"}; carbon {"sampled", "found_with_value",
 *                          "seconds_from_round_start_until_sample_readable",
 *                          "end_to_end_points_per_s_at_least", "missing"?, "ok"}]}
 *     }
 *   },
 *   "carbon_files": {"before", "after", "expected_new_series", "ok"}   (when --carbon-whisper is given)
 *   "writer": {"method", "scenarios": {"no_forwarder" | "live_targets" | "dead_targets": {
 *              "paced_N_threads" | "flat_out_N_threads": {"writes", "writes_per_s",
 *                "write_latency_us": {"p50", "p99", "p99_9", "max"}, "gc_count", "gc_ms", "allocated_bytes_per_write",
 *                "process_cpu_ms_per_s", "sender_cpu_ms_per_s": {target: ms}},
 *              "heap_used_after_gc_mb" (after the paced measurement), "forwarders_at_the_end": {target: string}}}}
 * }
 * </pre>
 */
public final class ForwardBench {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final int MAX_TAGS = 8;
  /**
   * Test ids of this run start here: different in every run (by the clock), so the series are new in
   * a carbon or InfluxDB that kept the data of earlier runs.
   */
  private final long runBase = 1_000_000_000L + (System.currentTimeMillis() / 1000 % 1_000_000) * 10_000;

  private final Map<String, String> args;
  private final boolean quick;
  private final int points;
  private final int repeats;
  private final int tests;
  private final int nodeCount;
  private final int sample;
  private List<Long> nodeIds;
  private RunMapper mapper;
  private int round;
  private final Set<String> graphiteSeries = new HashSet<>();

  ForwardBench(Map<String, String> args) {
    this.args = args;
    quick = args.containsKey("quick");
    points = Integer.parseInt(args.getOrDefault("points", quick ? "20000" : "400000"));
    repeats = Integer.parseInt(args.getOrDefault("repeats", quick ? "1" : "3"));
    tests = Integer.parseInt(args.getOrDefault("tests", "10"));
    nodeCount = Integer.parseInt(args.getOrDefault("nodes", "100"));
    sample = Integer.parseInt(args.getOrDefault("sample", "20"));
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = options(argv);
    String out = args.get("out");
    if (out == null) {
      throw new IllegalArgumentException("usage: ForwardBench --out=FILE [--quick] [--carbon-line=H:P] "
          + "[--carbon-pickle=H:P] [--carbon-whisper=DIR] [--influx-url=URL] ...");
    }
    ForwardBench b = new ForwardBench(args);
    b.setUp();
    Map<String, Object> result = b.run(out);
    write(out, result);
    System.out.println("forwarders: results in " + out);
  }

  void setUp() throws IOException {
    NodeCatalogGenerator.Generated generated = NodeCatalogGenerator.generate(nodeCount);
    NodeCatalog catalog = generated.catalog;
    nodeIds = new ArrayList<>();
    for (JsonNode n : generated.items) {
      nodeIds.add(n.path("id").asLong());
    }
    mapper = new RunMapper(() -> catalog, settings(Collections.emptyMap()).mapping.enrichmentTags, MAX_TAGS);
  }

  static PluginSettings settings(Map<String, String> forward) {
    Map<String, String> conf = new HashMap<>();
    conf.put(PushSettings.ALLOW_ANONYMOUS.fullName(), "true");
    conf.putAll(forward);
    return PluginSettings.from(Settings.of(conf));
  }

  /** The plugin's settings for one target named {@code name}, as a TSD's configuration would hold them. */
  static Map<String, String> target(String name, Map<String, String> keys) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(Key.PREFIX + "forward", name);
    for (Map.Entry<String, String> e : keys.entrySet()) {
      m.put(Key.PREFIX + "forward." + name + "." + e.getKey(), e.getValue());
    }
    return m;
  }

  /**
   * The points of one round: runs of this round's own tests, minute by minute back from now, mapped
   * by the shared mapper, cut at exactly {@code n} points.
   */
  List<DataPoint> points(int n) {
    long testBase = runBase + (long) tests * round++;
    long nowMinute = System.currentTimeMillis() / 60_000;
    int perRun = 6; // a web run maps to 6 to 8 points (SSL and Document Complete are sometimes null)
    long runsNeeded = (n + perRun - 1) / perRun + 1;
    long minutes = Math.max(1, (runsNeeded + (long) tests * nodeIds.size() - 1) / ((long) tests * nodeIds.size()) + 1);
    List<DataPoint> out = new ArrayList<>(n);
    for (long m = nowMinute - minutes; m < nowMinute && out.size() < n; m++) {
      for (long node : nodeIds) {
        for (int t = 0; t < tests && out.size() < n; t++) {
          long test = testBase + t;
          Double[] values = SyntheticRuns.values(SyntheticRuns.WEB, test, node, m, 0);
          Run.Builder run = Run.builder(test, node, m * 60 + SyntheticRuns.secondOfMinute(node)).typeId(0);
          for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
              run.add(Vocabulary.columnMetric(SyntheticRuns.WEB_COLUMNS.get(i)), values[i]);
            }
          }
          for (DataPoint p : mapper.map(run.build())) {
            if (out.size() < n) {
              out.add(p);
            }
          }
        }
      }
    }
    if (out.size() < n) {
      throw new IllegalStateException("built " + out.size() + " points, wanted " + n);
    }
    return out;
  }

  Map<String, Object> run(String out) throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("benchmark", "forwarders");
    result.put("quick", quick);
    result.put("jvm", jvm());
    Map<String, Object> workload = new LinkedHashMap<>();
    workload.put("points_per_round", points);
    workload.put("tests", tests);
    workload.put("nodes", nodeCount);
    List<DataPoint> probe = points(Math.min(points, 1000));
    round--;
    Set<String> series = new HashSet<>();
    for (DataPoint p : points(points)) {
      series.add(p.metric() + p.tags());
    }
    round--;
    workload.put("series_per_round", series.size());
    workload.put("tags_per_point", probe.get(0).tags().size());
    workload.put("timestamps", "one run a minute per test and node, the last minutes up to the start of the round");
    result.put("workload", workload);
    PluginSettings defaults = settings(target("probe", map("type", "influx", "url", "http://127.0.0.1:1",
        "database", "x")));
    Map<String, Object> s = new LinkedHashMap<>(defaults.forward.targets.get(0).summary());
    for (String k : Arrays.asList("type", "url", "version", "database", "retention_policy", "username", "password")) {
      s.remove(k);
    }
    result.put("settings", s);

    Map<String, Object> targets = new LinkedHashMap<>();
    result.put("targets", targets);
    List<String> wanted = Arrays.asList(args.getOrDefault("targets",
        "plaintext,pickle,influx,prometheus,kairos,opentsdb,writer").split(","));
    Path whisper = args.containsKey("carbon-whisper") ? Paths.get(args.get("carbon-whisper")) : null;
    long filesBefore = whisper != null ? wspFiles(whisper) : -1;
    if (wanted.contains("plaintext") && args.containsKey("carbon-line")) {
      targets.put("graphite_plaintext", measure("graphite_plaintext", map("type", "graphite", "hosts",
          args.get("carbon-line"), "protocol", "plaintext"), whisper));
      write(out, result);
    }
    if (wanted.contains("pickle") && args.containsKey("carbon-pickle")) {
      targets.put("graphite_pickle", measure("graphite_pickle", map("type", "graphite", "hosts",
          args.get("carbon-pickle"), "protocol", "pickle"), whisper));
      write(out, result);
    }
    if (wanted.contains("influx") && args.containsKey("influx-url")) {
      targets.put("influx_v1", measure("influx_v1", map("type", "influx", "url", args.get("influx-url"),
          "version", "1"), null));
      write(out, result);
    }
    if (wanted.contains("prometheus") && args.containsKey("prom-url")) {
      targets.put("prometheus", measure("prometheus", map("type", "prometheus", "url",
          args.get("prom-url").replaceAll("/+$", "") + "/api/v1/write"), null));
      write(out, result);
    }
    if (wanted.contains("kairos") && args.containsKey("kairos-url")) {
      targets.put("kairosdb", measure("kairosdb", map("type", "kairosdb", "url", args.get("kairos-url")), null));
      write(out, result);
    }
    if (wanted.contains("opentsdb") && args.containsKey("opentsdb-url")) {
      targets.put("opentsdb_relay", measure("opentsdb_relay", map("type", "opentsdb", "url",
          args.get("opentsdb-url")), null));
      write(out, result);
    }
    if (whisper != null && !graphiteSeries.isEmpty()) {
      Map<String, Object> files = new LinkedHashMap<>();
      long expected = graphiteSeries.size();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(quick ? 60 : 180);
      long after = wspFiles(whisper);
      while (after - filesBefore < expected && System.nanoTime() < deadline) {
        Thread.sleep(500);
        after = wspFiles(whisper);
      }
      files.put("before", filesBefore);
      files.put("after", after);
      files.put("expected_new_series", expected);
      files.put("ok", after - filesBefore == expected);
      result.put("carbon_files", files);
      System.out.printf("carbon: %d whisper files created, %d series sent%n", after - filesBefore, expected);
    }
    if (wanted.contains("writer")) {
      List<Integer> threads = new ArrayList<>();
      for (String t : args.getOrDefault("writer-threads", "1,8").split(",")) {
        threads.add(Integer.parseInt(t.trim()));
      }
      result.put("writer", new WriterCost(Integer.parseInt(args.getOrDefault("writer-seconds", quick ? "3" : "10")),
          Integer.parseInt(args.getOrDefault("writer-warmup", quick ? "3" : "5")),
          Integer.parseInt(args.getOrDefault("writer-rate", "50000")),
          Integer.parseInt(args.getOrDefault("writer-garbage", "8192")), threads,
          Arrays.asList(args.getOrDefault("writer-scenarios", "no_forwarder,live_targets,dead_targets").split(",")))
          .run());
      write(out, result);
    }
    return result;
  }

  Map<String, Object> measure(String name, Map<String, String> keys, Path whisper) throws Exception {
    boolean influx = name.startsWith("influx");
    boolean kairos = name.startsWith("kairos");
    boolean opentsdb = name.startsWith("opentsdb");
    boolean prometheus = name.equals("prometheus");
    boolean graphite = !influx && !kairos && !opentsdb && !prometheus;
    Map<String, Object> out = new LinkedHashMap<>();
    List<Map<String, Object>> rounds = new ArrayList<>();
    List<Object> checks = new ArrayList<>();
    boolean allOk = true;
    long droppedTotal = 0;
    String destination = null;
    for (int r = -1; r < repeats; r++) {
      boolean warmup = r < 0;
      int n = warmup ? Math.max(1000, Math.min(points, 20_000)) : points;
      Map<String, String> k = new LinkedHashMap<>(keys);
      String db = null;
      if (influx) {
        db = "bench_" + System.currentTimeMillis() + "_" + (warmup ? "warmup" : "r" + r);
        influxCommand(keys.get("url"), "CREATE DATABASE \"" + db + "\"");
        k.put("database", db);
      }
      long firstTest = runBase + (long) tests * round;
      List<DataPoint> batch = points(n);
      Stats stats = new Stats();
      PluginSettings ps = settings(target(name, k));
      Forwarders forwarders = Forwarders.from(ps.forward.targets, stats);
      Forwarder f = forwarders.list().get(0);
      destination = String.valueOf(f.status().get("destination"));
      forwarders.start();
      long roundStart = System.nanoTime();
      Map<String, Object> rr = offerAll(f, stats, name, batch, ps.forward.targets.get(0).queueSize,
          ps.forward.targets.get(0).retryBuffer);
      forwarders.shutdown(10_000);
      if (warmup) {
        if (graphite) {
          remember(batch);
        }
        continue;
      }
      rounds.add(rr);
      droppedTotal += (Long) rr.get("dropped_total");
      Map<String, Object> check = influx ? influxCheck(keys.get("url"), db, (Long) rr.get("sent"))
          : kairos ? kairosCheck(keys.get("url"), batch, roundStart)
          : opentsdb ? tsdCheck(keys.get("url"), batch)
          : prometheus ? prometheusCheck(args.get("prom-url"), firstTest, batch, (Long) rr.get("sent"))
          : carbonCheck(whisper, batch, roundStart);
      if (graphite) {
        remember(batch);
      }
      allOk &= Boolean.TRUE.equals(check.get("ok"));
      checks.add(check);
      System.out.printf("%s round %d: %d points in %.2f s: %.0f points/s, dropped %d; check %s%n", name, r + 1, n,
          (Double) rr.get("seconds"), (Double) rr.get("points_per_s"), rr.get("dropped_total"), check.get("ok"));
    }
    out.put("destination", destination);
    out.put("rounds", rounds);
    List<Double> rates = new ArrayList<>();
    for (Map<String, Object> rr : rounds) {
      rates.add((Double) rr.get("points_per_s"));
    }
    out.put("points_per_s", spread(rates, 0));
    out.put("dropped_total", droppedTotal);
    Map<String, Object> delivery = new LinkedHashMap<>();
    delivery.put("method", influx
        ? "each round to its own database; SELECT count(*) FROM /.*/ summed over every field equals the points sent"
        : kairos ? "a count aggregator per metric over the round's test ids (/api/v1/datapoints/query) sums to the "
            + "points offered"
        : opentsdb ? "sum:0all-count: per metric over the round's test ids (/api/query) sums to the points offered"
        : prometheus ? "each round its own test ids; sum(count_over_time(<metric>{test_id=~...}[3h])) over the "
            + "round's metrics equals the points sent"
        : whisper == null ? "skipped: no --carbon-whisper"
        : "for " + sample + " points spread over each round: the tagged series' whisper file exists and "
            + "whisper-fetch returns the point's value at its second");
    delivery.put("ok", allOk);
    delivery.put("details", checks);
    out.put("delivery_check", delivery);
    return out;
  }

  private void remember(List<DataPoint> batch) {
    GraphiteNaming naming = GraphiteNaming.tagged();
    for (DataPoint p : batch) {
      graphiteSeries.add(naming.name(p));
    }
  }

  /** Offers every point, pausing while the queue is over 90% full; waits until all are sent or dropped. */
  Map<String, Object> offerAll(Forwarder f, Stats stats, String name, List<DataPoint> batch, int queueSize,
      int retryBuffer) throws InterruptedException {
    // The sender moves the whole queue into its buffer and, with drop=oldest, drops from the buffer what
    // is over retry_buffer: a producer that only watched the queue would still lose points there.
    long limit = Math.min(queueSize, retryBuffer) * 9L / 10;
    long pausedNanos = 0;
    long t0 = System.nanoTime();
    int i = 0;
    for (DataPoint p : batch) {
      f.offer(p);
      if ((++i & 1023) == 0) {
        while (inForwarder(f) > limit) {
          long p0 = System.nanoTime();
          Thread.sleep(1);
          pausedNanos += System.nanoTime() - p0;
        }
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    long done;
    while (true) {
      long sent = count(stats, name, "sent");
      long dropped = dropped(stats, name);
      long replayed = count(stats, name, "replayed");
      done = System.nanoTime();
      if (sent + dropped >= batch.size() + replayed) {
        break;
      }
      if (done > deadline) {
        throw new IllegalStateException(name + ": not every point was sent within 300 s: " + f.status());
      }
      Thread.sleep(1);
    }
    double secs = (done - t0) / 1e9;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("points", batch.size());
    r.put("seconds", round(secs, 3));
    r.put("points_per_s", round(batch.size() / secs, 0));
    r.put("sent", count(stats, name, "sent"));
    Map<String, Object> drops = new LinkedHashMap<>();
    long total = 0;
    for (String reason : Forwarder.DROP_REASONS) {
      long d = count(stats, name, "dropped." + reason);
      total += d;
      if (d > 0) {
        drops.put(reason, d);
      }
    }
    r.put("dropped", drops);
    r.put("dropped_total", total);
    r.put("retried", count(stats, name, "retried"));
    r.put("replayed", count(stats, name, "replayed"));
    r.put("errors", f.status().get("errors"));
    r.put("offer_pauses_ms", round(pausedNanos / 1e6, 1));
    return r;
  }

  /** Points the forwarder holds: its queue and its sender's buffer. */
  static long inForwarder(Forwarder f) {
    Map<String, Object> st = f.status();
    return ((Number) st.get("queue_depth")).longValue() + ((Number) st.get("retry_buffer_depth")).longValue();
  }

  static long count(Stats stats, String target, String counter) {
    return stats.get("catchpoint.forward." + counter, "target", target);
  }

  static long dropped(Stats stats, String target) {
    long n = 0;
    for (String reason : Forwarder.DROP_REASONS) {
      n += count(stats, target, "dropped." + reason);
    }
    return n;
  }

  // ---------------------------------------------------------------------------------------------
  // Delivery checks.
  // ---------------------------------------------------------------------------------------------

  Map<String, Object> influxCheck(String url, String db, long sent) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long stored;
    while (true) {
      stored = 0;
      JsonNode res = influxQuery(url, db, "SELECT count(*) FROM /.*/");
      for (JsonNode series : res.path("results").path(0).path("series")) {
        for (JsonNode row : series.path("values")) {
          for (int i = 1; i < row.size(); i++) {
            stored += row.get(i).asLong();
          }
        }
      }
      if (stored >= sent || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(500);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("database", db);
    m.put("sent", sent);
    m.put("counted_in_influx", stored);
    m.put("ok", stored == sent);
    return m;
  }

  /**
   * The samples Prometheus holds for this round's tests (their test_id labels) come to the points sent:
   * counted metric by metric (count_over_time drops the name, and the metrics of a run share their labels).
   */
  Map<String, Object> prometheusCheck(String url, long firstTest, List<DataPoint> batch, long sent) throws Exception {
    StringBuilder ids = new StringBuilder();
    for (int t = 0; t < tests; t++) {
      ids.append(t == 0 ? "" : "|").append(firstTest + t);
    }
    Set<String> names = new TreeSet<>();
    for (DataPoint p : batch) {
      names.add(PrometheusRemoteWrite.metricName(p.metric()));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long stored;
    while (true) {
      stored = 0;
      for (String name : names) {
        String q = "sum(count_over_time(" + name + "{test_id=~\"" + ids + "\"}[3h]))";
        JsonNode res = PrometheusHttp.query(url, q, System.currentTimeMillis() / 1000 + 60, 60_000);
        stored += res.path(0).path("value").path(1).asLong();
      }
      if (stored >= sent || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(500);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tests", firstTest + ".." + (firstTest + tests - 1));
    m.put("sent", sent);
    m.put("counted_in_prometheus", stored);
    m.put("ok", stored == sent);
    return m;
  }

  /**
   * Also reports when the whole sample (the round's last point included) was readable, from the round's
   * start: an upper bound of carbon's end-to-end time (it includes carbon's cache write-out).
   */
  Map<String, Object> carbonCheck(Path whisper, List<DataPoint> batch, long roundStart) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    if (whisper == null) {
      m.put("ok", null);
      m.put("skipped", "no --carbon-whisper");
      return m;
    }
    GraphiteNaming naming = GraphiteNaming.tagged();
    int found = 0;
    List<String> missing = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    int k = Math.min(sample, batch.size());
    for (int j = 0; j < k; j++) {
      DataPoint p = batch.get((int) ((long) j * (batch.size() - 1) / Math.max(1, k - 1)));
      String name = naming.name(p);
      Path file = file(whisper, name);
      Double got = null;
      while (System.nanoTime() < deadline) {
        if (Files.isRegularFile(file)) {
          got = fetch(file, p.timestampSeconds());
          if (got != null && got == p.value()) {
            break;
          }
        }
        Thread.sleep(250);
      }
      if (got != null && got == p.value()) {
        found++;
      } else {
        missing.add(name + " @" + p.timestampSeconds() + " = " + p.value() + " (read " + got + ")");
      }
    }
    m.put("sampled", k);
    m.put("found_with_value", found);
    double readable = (System.nanoTime() - roundStart) / 1e9;
    m.put("seconds_from_round_start_until_sample_readable", round(readable, 2));
    // Carbon's whole path, receive to whisper file, at least this fast (the sample holds the last point).
    m.put("end_to_end_points_per_s_at_least", found == k ? round(batch.size() / readable, 0) : null);
    if (!missing.isEmpty()) {
      m.put("missing", missing.subList(0, Math.min(5, missing.size())));
    }
    m.put("ok", found == k);
    return m;
  }

  /** Carbon's file of a series: tagged names by their SHA-256, dotted ones as directories. */
  static Path file(Path whisper, String name) throws Exception {
    if (name.contains(";")) {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      StringBuilder h = new StringBuilder();
      for (byte x : d) {
        h.append(String.format("%02x", x));
      }
      String hash = h.toString();
      return whisper.resolve("_tagged").resolve(hash.substring(0, 3)).resolve(hash.substring(3, 6))
          .resolve(hash + ".wsp");
    }
    return whisper.resolve(name.replace('.', '/') + ".wsp");
  }

  static Double fetch(Path file, long second) throws Exception {
    Process p = new ProcessBuilder("whisper-fetch", "--json", "--from=" + (second - 1), "--until=" + second,
        file.toString()).redirectErrorStream(true).start();
    byte[] body = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return null;
    }
    JsonNode json = JSON.readTree(body);
    long t = json.path("start").asLong();
    long step = json.path("step").asLong();
    for (JsonNode v : json.path("values")) {
      if (t == second && !v.isNull()) {
        return v.asDouble();
      }
      t += step;
    }
    return null;
  }

  static long wspFiles(Path whisper) throws IOException {
    if (!Files.isDirectory(whisper)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(whisper)) {
      return s.filter(x -> x.toString().endsWith(".wsp")).count();
    }
  }

  /** The round's metrics and test ids. */
  private static Map<String, Set<String>> metricsAndTests(List<DataPoint> batch) {
    Map<String, Set<String>> m = new LinkedHashMap<>();
    m.put("metrics", new java.util.TreeSet<>());
    m.put("tests", new java.util.TreeSet<>());
    for (DataPoint p : batch) {
      m.get("metrics").add(p.metric());
      m.get("tests").add(p.tags().get("test_id"));
    }
    return m;
  }

  /** KairosDB answers 204 once it has queued the points: waits (up to 120 s) until it counts them all. */
  Map<String, Object> kairosCheck(String writeUrl, List<DataPoint> batch, long roundStart) throws Exception {
    String base = writeUrl.substring(0, writeUrl.indexOf("/api/"));
    Map<String, Set<String>> mt = metricsAndTests(batch);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    long counted;
    while (true) {
      counted = 0;
      for (String metric : mt.get("metrics")) {
        com.fasterxml.jackson.databind.node.ObjectNode q = JSON.createObjectNode();
        q.put("start_absolute", 1);
        com.fasterxml.jackson.databind.node.ObjectNode m = q.putArray("metrics").addObject();
        m.put("name", metric);
        com.fasterxml.jackson.databind.node.ArrayNode ids = m.putObject("tags").putArray("test_id");
        mt.get("tests").forEach(ids::add);
        m.putArray("aggregators").addObject().put("name", "count").putObject("sampling").put("value", 1000)
            .put("unit", "years");
        JsonNode res = post(base + "/api/v1/datapoints/query", JSON.writeValueAsBytes(q));
        for (JsonNode r : res.path("queries").path(0).path("results")) {
          for (JsonNode v : r.path("values")) {
            counted += v.path(1).asLong();
          }
        }
      }
      if (counted >= batch.size() || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(500);
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("offered", batch.size());
    c.put("counted_in_kairosdb", counted);
    c.put("seconds_from_round_start_until_counted", round((System.nanoTime() - roundStart) / 1e9, 2));
    c.put("ok", counted == batch.size());
    return c;
  }

  /** The relay waits for the target's storage: the points are there to count at once. */
  Map<String, Object> tsdCheck(String putUrl, List<DataPoint> batch) throws Exception {
    String base = putUrl.substring(0, putUrl.indexOf("/api/"));
    Map<String, Set<String>> mt = metricsAndTests(batch);
    long start = Long.MAX_VALUE;
    long end = 0;
    for (DataPoint p : batch) {
      start = Math.min(start, p.timestampSeconds());
      end = Math.max(end, p.timestampSeconds());
    }
    long counted = 0;
    for (String metric : mt.get("metrics")) {
      String m = "sum:0all-count:" + metric + "{test_id=" + String.join("|", mt.get("tests")) + "}";
      JsonNode res = get(base + "/api/query?start=" + start + "&end=" + (end + 1) + "&m=" + URLEncoder.encode(m, "UTF-8"));
      for (JsonNode series : res) {
        for (JsonNode v : series.path("dps")) {
          counted += v.asLong();
        }
      }
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("offered", batch.size());
    c.put("counted_in_opentsdb", counted);
    c.put("ok", counted == batch.size());
    return c;
  }

  static JsonNode post(String url, byte[] body) throws IOException {
    java.net.HttpURLConnection c = (java.net.HttpURLConnection) new URL(url).openConnection();
    c.setRequestMethod("POST");
    c.setConnectTimeout(5000);
    c.setReadTimeout(120_000);
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/json");
    try (java.io.OutputStream o = c.getOutputStream()) {
      o.write(body);
    }
    return answer(c, url);
  }

  static JsonNode get(String url) throws IOException {
    java.net.HttpURLConnection c = (java.net.HttpURLConnection) new URL(url).openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(120_000);
    return answer(c, url);
  }

  private static JsonNode answer(java.net.HttpURLConnection c, String url) throws IOException {
    int status = c.getResponseCode();
    try (java.io.InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
      String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (status != 200) {
        throw new IOException(url + " answered " + status + ": " + text);
      }
      return JSON.readTree(text);
    }
  }

  static void influxCommand(String url, String q) throws IOException {
    influx(url, "POST", "/query?q=" + URLEncoder.encode(q, "UTF-8"));
  }

  static JsonNode influxQuery(String url, String db, String q) throws IOException {
    return influx(url, "GET", "/query?db=" + URLEncoder.encode(db, "UTF-8") + "&q=" + URLEncoder.encode(q, "UTF-8"));
  }

  static JsonNode influx(String url, String method, String pathAndQuery) throws IOException {
    return InfluxHttp.call(url, method, pathAndQuery, 60_000);
  }


  // ---------------------------------------------------------------------------------------------
  // Helpers.
  // ---------------------------------------------------------------------------------------------

  static Map<String, String> map(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}

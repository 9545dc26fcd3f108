package org.opentsdbcatchpoint.bench.pull;

import static org.opentsdbcatchpoint.bench.common.BenchOutput.gcNames;
import static org.opentsdbcatchpoint.bench.common.BenchOutput.jvm;
import static org.opentsdbcatchpoint.bench.common.BenchOutput.median;
import static org.opentsdbcatchpoint.bench.common.BenchOutput.options;
import static org.opentsdbcatchpoint.bench.common.BenchOutput.round;
import static org.opentsdbcatchpoint.bench.common.BenchOutput.spread;
import static org.opentsdbcatchpoint.bench.common.BenchOutput.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.opentsdbcatchpoint.bench.load.NodeCatalogGenerator;
import org.opentsdbcatchpoint.catalog.CatalogHolder;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.catalog.NodeLookup;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.MetricBudget;
import org.opentsdbcatchpoint.pipeline.WriteStage;
import org.opentsdbcatchpoint.config.PluginSettings;
import org.opentsdbcatchpoint.config.PullAccountSettings;
import org.opentsdbcatchpoint.config.Settings;
import org.opentsdbcatchpoint.mapping.RunMapper;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.pull.Backoff;
import org.opentsdbcatchpoint.pull.CatchpointHttp;
import org.opentsdbcatchpoint.pull.HttpAnswer;
import org.opentsdbcatchpoint.pull.HttpCall;
import org.opentsdbcatchpoint.pull.HttpTransport;
import org.opentsdbcatchpoint.pull.InMemoryCursorStore;
import org.opentsdbcatchpoint.pull.PullClock;
import org.opentsdbcatchpoint.pull.PullJob;
import org.opentsdbcatchpoint.pull.PullSource;
import org.opentsdbcatchpoint.pipeline.Writer;
import org.opentsdbcatchpoint.stats.Stats;

/**
 * Issue 5, scenario 5: how fast the plugin reads a large REST raw answer, and that its heap does not
 * grow with the answer.
 *
 * <p>What runs is what a TSD runs for one pull window: a {@link PullJob} (one cycle, one window, one
 * batch of web tests) over {@link PullSource#of} (so {@code V1Client} LastRaw or {@code V2Client}
 * explorer/raw, through {@link CatchpointHttp}), the streaming parser, {@code RunAssembler}, the shared
 * {@link RunMapper} (default enrichment tags, a generated catalog so every point carries eight tags),
 * and the {@link WriteStage} into a {@link Writer} that counts each point and acknowledges it at once
 * (nothing is retained). Only the HTTP transport is fake: it answers the token request, and every raw
 * request with a {@link SyntheticRaw} answer for the batch's tests.
 *
 * <ul>
 *   <li><b>Throughput</b> (this JVM): per API version, the whole window ({@code tests x nodes x
 *       minutes} runs) is generated once into memory (tens of MB with the defaults), the cycle runs
 *       {@code --warmup} times unmeasured, then {@code --repeats} times measured; the median and the
 *       range of MB/s (10^6 bytes of answer per second), runs/s and values/s (datapoints) are reported.
 *   <li><b>Heap</b> (a child JVM, {@code -Xmx<heap-mb>m -XX:+UseSerialGC}): per API version, one cycle
 *       over an answer of {@code --heap-bytes} generated while it is read (never held), sampling the heap:
 *       after every GC (notifications) and, at 10%, 50% and 100% of the bytes, after a full
 *       {@code System.gc()} (the live set at that point of the stream). It reports whether the cycle
 *       completed without {@link OutOfMemoryError}.
 * </ul>
 *
 * <p>Usage: {@code PullParseBench --out=FILE [--quick] [--mode=all|throughput|heap] [--tests=20]
 * [--nodes=300] [--minutes=15] [--warmup=3] [--repeats=7] [--heap-mb=64] [--heap-bytes=536870912]
 * [--apis=v1,v2]}. {@code --mode=all} (default) measures throughput here and runs the heap part in a
 * child JVM with this classpath; {@code --quick}: 10 tests x 100 nodes, 2 warm-ups, 3 repeats, 64 MiB
 * streamed.
 *
 * <p>Output, one JSON object:
 * <pre>
 * {
 *   "benchmark": "pull-parse",
 *   "quick": bool,
 *   "jvm": {"version", "vm", "gc": [names], "max_heap_bytes", "input_arguments": [..], "processors"},
 *   "workload": {"tests", "nodes", "minutes", "columns": 8, "test_type": "web",
 *                "null_share": "about 1 in 7 SSL and 1 in 5 Document Complete values are null"},
 *   "throughput": {                         (absent with --mode=heap)
 *     "warmup", "repeats",
 *     "v1": {"answer_bytes", "rows", "runs", "values", "null_values", "requests_per_cycle",
 *            "seconds": [per repeat], "mb_per_s": {"median","min","max"}, "runs_per_s": {...},
 *            "values_per_s": {...}},
 *     "v2": {...},
 *     "target_mb_per_s": 100, "target_met": bool (every version's median at least the target)
 *   },
 *   "heap": {                               (absent with --mode=throughput)
 *     "heap_cap_mb", "gc", "jvm": {...the child's jvm block...},
 *     "v1": {"answer_bytes", "rows", "runs", "values", "seconds", "mb_per_s",
 *            "completed": bool, "out_of_memory": bool, "error": string|null,
 *            "gc_count", "peak_used_after_gc_bytes", "peak_committed_bytes",
 *            "used_after_full_gc_bytes": {"at_10pct", "at_50pct", "at_100pct"},
 *            "growth_10_to_100pct_bytes", "flat": bool (growth below 4 MiB and no OutOfMemoryError),
 *            "after_gc_trace": [{"fraction_read", "used_after_gc_bytes"}, ...at most 100]},
 *     "v2": {...}
 *   }
 * }
 * </pre>
 */
public final class PullParseBench {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** As {@code PullService} sets them for every job. */
  static final int MAX_POINTS_IN_FLIGHT = 5000;
  static final long ACK_TIMEOUT_MILLIS = 60_000L;
  static final long MAX_INLINE_RATE_LIMIT_WAIT_MILLIS = 120_000L;
  /** tsd.storage.max_tags of a default TSD. */
  static final int MAX_TAGS = 8;
  static final long FIRST_TEST = 200_001;
  static final double TARGET_MB_PER_S = 100;
  static final long FLAT_BYTES = 4L << 20;

  private final Map<String, String> args;
  private final boolean quick;
  private final int tests;
  private final int nodeCount;
  private final int minutes;
  private final List<String> apis;
  private List<SyntheticRaw.Node> nodes;
  private RunMapper mapper;
  private NodeLookup lookup;
  /** The write stage's timer (the window's waits); a daemon, so the program ends when its work does. */
  private static final java.util.concurrent.ScheduledExecutorService TIMER =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-write-timer");
        t.setDaemon(true);
        return t;
      });

  PullParseBench(Map<String, String> args) {
    this.args = args;
    this.quick = args.containsKey("quick");
    this.tests = Integer.parseInt(args.getOrDefault("tests", quick ? "10" : "20"));
    this.nodeCount = Integer.parseInt(args.getOrDefault("nodes", quick ? "100" : "300"));
    this.minutes = Integer.parseInt(args.getOrDefault("minutes", "15"));
    this.apis = Arrays.asList(args.getOrDefault("apis", "v1,v2").split(","));
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = options(argv);
    String out = args.get("out");
    if (out == null) {
      throw new IllegalArgumentException("usage: PullParseBench --out=FILE [--quick] [--mode=all|throughput|heap] ...");
    }
    PullParseBench bench = new PullParseBench(args);
    bench.setUp();
    String mode = args.getOrDefault("mode", "all");
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("benchmark", "pull-parse");
    result.put("quick", bench.quick);
    result.put("jvm", jvm());
    Map<String, Object> workload = new LinkedHashMap<>();
    workload.put("tests", bench.tests);
    workload.put("nodes", bench.nodeCount);
    workload.put("minutes", bench.minutes);
    workload.put("columns", SyntheticRaw.WEB_COLUMNS.length);
    workload.put("test_type", "web");
    workload.put("null_share", "about 1 in 7 SSL and 1 in 5 Document Complete values are null");
    result.put("workload", workload);
    if (mode.equals("heap")) {
      result.put("heap", bench.heap());
      write(out, result);
      return;
    }
    result.put("throughput", bench.throughput());
    write(out, result); // the throughput survives a failing child
    if (mode.equals("all")) {
      result.put("heap", bench.heapInChild(out));
      write(out, result);
    }
    System.out.println("pull-parse: results in " + out);
  }

  // ---------------------------------------------------------------------------------------------
  // Set-up: catalog, mapper, accounts, transport.
  // ---------------------------------------------------------------------------------------------

  void setUp() throws IOException {
    NodeCatalogGenerator.Generated generated = NodeCatalogGenerator.generate(nodeCount);
    NodeCatalog catalog = generated.catalog;
    nodes = new ArrayList<>();
    for (JsonNode n : generated.items) {
      nodes.add(new SyntheticRaw.Node(n.path("id").asLong(), n.path("name").asText()));
    }
    Map<String, String> conf = new HashMap<>();
    conf.put(PluginSettings.PUSH_ALLOW_ANONYMOUS.fullName(), "true");
    PluginSettings s = PluginSettings.from(Settings.of(conf));
    mapper = new RunMapper(() -> catalog, s.enrichmentTags, MAX_TAGS);
    lookup = NodeLookup.fixed(new CatalogHolder(catalog));
  }

  List<Long> testIds() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < tests; i++) {
      ids.add(FIRST_TEST + i);
    }
    return ids;
  }

  /** One batch of web tests; the job's one window is [end - seconds, end) with the clock at end. */
  PullAccountSettings account(String api, long seconds) {
    PullAccountSettings.Builder b = PullAccountSettings.builder("bench-" + api, api)
        .tests("web", testIds()).batchSize(tests).interval(seconds).lag(0).maxBackfill(seconds).window(seconds);
    if (api.equals(PullAccountSettings.V2)) {
      b.apiKey("bench-key").baseUrl("http://catchpoint.invalid/api/v2");
    } else {
      // LastRaw, the v1 default: one call for the batch.
      b.v1Credentials("bench-id", "bench-secret").baseUrl("http://catchpoint.invalid/ui/api").windowed(false);
    }
    return b.build();
  }

  static PullClock fixedClock(long millis) {
    return new PullClock() {
      @Override
      public long nowMillis() {
        return millis;
      }

      @Override
      public void sleep(long ms) {
        throw new IllegalStateException("the benchmark's pull slept " + ms + " ms: a request failed");
      }
    };
  }

  /** The answers of the fake Catchpoint: a token, and a raw answer for the tests a request names. */
  static final class Transport implements HttpTransport {
    final Function<List<Long>, InputStream> raw;
    final AtomicLong rawRequests = new AtomicLong();

    Transport(Function<List<Long>, InputStream> raw) {
      this.raw = raw;
    }

    @Override
    public HttpAnswer send(HttpCall call) throws IOException {
      if (call.url().endsWith("/token")) {
        byte[] body = "{\"access_token\":\"bench-token\",\"token_type\":\"bearer\",\"expires_in\":86400}"
            .getBytes(StandardCharsets.UTF_8);
        return new HttpAnswer(200, h -> null, new ByteArrayInputStream(body));
      }
      Map<String, String> q = query(call.url());
      String ids = q.containsKey("testIds") ? q.get("testIds") : q.get("tests");
      if (ids == null) {
        throw new IOException("the benchmark's fake Catchpoint does not serve " + call);
      }
      List<Long> tests = new ArrayList<>();
      for (String id : ids.split(",")) {
        tests.add(Long.parseLong(id));
      }
      rawRequests.incrementAndGet();
      return new HttpAnswer(200, h -> "application/json", raw.apply(tests));
    }
  }

  static Map<String, String> query(String url) throws UnsupportedEncodingException {
    Map<String, String> m = new HashMap<>();
    int q = url.indexOf('?');
    if (q < 0) {
      return m;
    }
    for (String part : url.substring(q + 1).split("&")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        m.put(part.substring(0, eq), URLDecoder.decode(part.substring(eq + 1), "UTF-8"));
      }
    }
    return m;
  }

  /** What one cycle did. */
  static final class Cycle {
    long seconds;
    long nanos;
    long bytes;
    long rows;
    long runs;
    long values;
    long nullValues;
    long requests;
  }

  /** One PullJob cycle (one window) over the given answers; fails when the window did not complete. */
  Cycle cycle(String api, long windowSeconds, long endSeconds, Function<List<Long>, InputStream> answers)
      throws InterruptedException {
    Stats stats = new Stats();
    AtomicLong counted = new AtomicLong();
    AtomicLong runs = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    CompletableFuture<Void> ack = CompletableFuture.completedFuture(null);
    Writer counting = p -> {
      counted.incrementAndGet();
      return ack;
    };
    Function<Run, List<DataPoint>> map = run -> {
      runs.incrementAndGet();
      return mapper.map(run);
    };
    Transport transport = new Transport(tests -> new FilterInputStream(answers.apply(tests)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          bytes.addAndGet(n);
        }
        return n;
      }
    });
    PullClock clock = fixedClock(endSeconds * 1000);
    PullAccountSettings account = account(api, windowSeconds);
    CatchpointHttp http = new CatchpointHttp(account.name, transport, clock, Backoff.defaults(),
        MAX_INLINE_RATE_LIMIT_WAIT_MILLIS, stats);
    WriteStage stage = new WriteStage(counting, new MetricBudget(Vocabulary::inTable, 16, 500), MAX_POINTS_IN_FLIGHT,
        TIMER, System::nanoTime);
    PullJob job = new PullJob(account, PullSource.of(account, http), map, stage, lookup, new InMemoryCursorStore(),
        clock, stats, () -> false, MAX_POINTS_IN_FLIGHT, ACK_TIMEOUT_MILLIS);
    long t0 = System.nanoTime();
    job.runCycle();
    long nanos = System.nanoTime() - t0;
    if (stats.get("pull.windows_ok", "account", account.name) != 1
        || stats.get("pull.windows_failed", "account", account.name) != 0) {
      throw new IllegalStateException(api + ": the window did not complete: " + job.status());
    }
    Cycle c = new Cycle();
    c.nanos = nanos;
    c.bytes = bytes.get();
    c.rows = stats.get("pull.rows", "account", account.name);
    c.runs = runs.get();
    c.values = counted.get();
    c.nullValues = stats.get("pull.values_null", "account", account.name);
    c.requests = transport.rawRequests.get();
    if (c.values != stats.get("pull.datapoints", "account", account.name)) {
      throw new IllegalStateException(api + ": points counted " + c.values + " but acknowledged "
          + stats.get("pull.datapoints", "account", account.name));
    }
    return c;
  }

  // ---------------------------------------------------------------------------------------------
  // Throughput.
  // ---------------------------------------------------------------------------------------------

  Map<String, Object> throughput() throws Exception {
    int warmup = Integer.parseInt(args.getOrDefault("warmup", quick ? "2" : "3"));
    int repeats = Integer.parseInt(args.getOrDefault("repeats", quick ? "3" : "7"));
    long window = minutes * 60L;
    long end = Math.floorDiv(System.currentTimeMillis() / 1000, 60) * 60;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("warmup", warmup);
    out.put("repeats", repeats);
    boolean met = true;
    for (String api : apis) {
      boolean v2 = api.equals("v2");
      Map<List<Long>, byte[]> answers = new HashMap<>();
      Function<List<Long>, InputStream> inMemory = tests -> new ByteArrayInputStream(answers.computeIfAbsent(tests,
          t -> readAll(new SyntheticRaw(v2, t, nodes, end - window, end, Long.MAX_VALUE))));
      for (int i = 0; i < warmup; i++) {
        cycle(api, window, end, inMemory);
      }
      List<Cycle> cycles = new ArrayList<>();
      for (int i = 0; i < repeats; i++) {
        System.gc();
        cycles.add(cycle(api, window, end, inMemory));
      }
      Cycle c = cycles.get(0);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("answer_bytes", c.bytes);
      r.put("rows", c.rows);
      r.put("runs", c.runs);
      r.put("values", c.values);
      r.put("null_values", c.nullValues);
      r.put("requests_per_cycle", c.requests);
      List<Double> secs = new ArrayList<>();
      List<Double> mbs = new ArrayList<>();
      List<Double> runsPerS = new ArrayList<>();
      List<Double> valuesPerS = new ArrayList<>();
      for (Cycle x : cycles) {
        double s = x.nanos / 1e9;
        secs.add(round(s, 4));
        mbs.add(x.bytes / 1e6 / s);
        runsPerS.add(x.runs / s);
        valuesPerS.add(x.values / s);
      }
      r.put("seconds", secs);
      r.put("mb_per_s", spread(mbs, 1));
      r.put("runs_per_s", spread(runsPerS, 0));
      r.put("values_per_s", spread(valuesPerS, 0));
      out.put(api, r);
      double median = median(mbs);
      met &= median >= TARGET_MB_PER_S;
      System.out.printf("pull-parse %s: %.1f MB answer, %d runs, %d values: median %.1f MB/s, %.0f runs/s,"
          + " %.0f values/s (%d repeats)%n", api, c.bytes / 1e6, c.runs, c.values, median, median(runsPerS),
          median(valuesPerS), repeats);
      answers.clear();
    }
    out.put("target_mb_per_s", TARGET_MB_PER_S);
    out.put("target_met", met);
    return out;
  }

  static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Heap.
  // ---------------------------------------------------------------------------------------------

  /** Runs this program again with the heap capped, in heap mode, and returns its heap block. */
  Object heapInChild(String out) throws Exception {
    int heapMb = Integer.parseInt(args.getOrDefault("heap-mb", "64"));
    Path childOut = Paths.get(out + ".heap.tmp");
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heapMb + "m");
    cmd.add("-Xms" + heapMb + "m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(PullParseBench.class.getName());
    cmd.add("--mode=heap");
    cmd.add("--out=" + childOut);
    cmd.add("--heap-mb=" + heapMb);
    for (Map.Entry<String, String> e : args.entrySet()) {
      if (!e.getKey().equals("mode") && !e.getKey().equals("out") && !e.getKey().equals("heap-mb")) {
        cmd.add("--" + e.getKey() + (e.getValue().isEmpty() ? "" : "=" + e.getValue()));
      }
    }
    System.out.println("pull-parse: heap part in a child JVM: -Xmx" + heapMb + "m -XX:+UseSerialGC");
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (!p.waitFor(30, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("the heap child did not finish in 30 minutes");
    }
    Map<String, Object> failed = new LinkedHashMap<>();
    if (!Files.isRegularFile(childOut)) {
      failed.put("error", "the heap child exited with " + p.exitValue() + " and wrote nothing");
      failed.put("heap_cap_mb", heapMb);
      return failed;
    }
    JsonNode child = JSON.readTree(childOut.toFile());
    Files.delete(childOut);
    if (p.exitValue() != 0 && child.path("heap").isMissingNode()) {
      failed.put("error", "the heap child exited with " + p.exitValue());
      failed.put("heap_cap_mb", heapMb);
      return failed;
    }
    return child.path("heap");
  }

  /** Heap mode: this JVM is the capped one. */
  Map<String, Object> heap() {
    long target = Long.parseLong(args.getOrDefault("heap-bytes", Long.toString(quick ? 64L << 20 : 512L << 20)));
    Map<String, Object> out = new LinkedHashMap<>();
    // The -Xmx given (the JVM reports a little less as its max: one survivor space is not counted).
    out.put("heap_cap_mb", args.containsKey("heap-mb") ? Integer.valueOf(args.get("heap-mb")) : null);
    out.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    out.put("gc", gcNames());
    out.put("jvm", jvm());
    out.put("answer_bytes_target", target);
    for (String api : apis) {
      out.put(api, heapRun(api, target));
      System.gc();
    }
    return out;
  }

  Map<String, Object> heapRun(String api, long target) {
    boolean v2 = api.equals("v2");
    // A window long enough for the byte target (the answer stops at it): rows are about 260 (v1) or
    // 390 (v2) bytes; the window is sized for 200-byte rows so it never runs out first.
    long rowsNeeded = target / 200 + 1;
    long windowMinutes = Math.max(minutes, rowsNeeded / ((long) tests * nodes.size()) + 2);
    long window = windowMinutes * 60;
    long end = Math.floorDiv(System.currentTimeMillis() / 1000, 60) * 60;

    HeapWatch watch = new HeapWatch(target);
    Map<String, Object> r = new LinkedHashMap<>();
    watch.install();
    long t0 = System.nanoTime();
    Cycle c = null;
    Throwable error = null;
    try {
      c = cycle(api, window, end, tests -> {
        SyntheticRaw body = new SyntheticRaw(v2, tests, nodes, end - window, end, target);
        return watch.wrap(body);
      });
    } catch (Throwable t) {
      error = t;
    } finally {
      watch.uninstall();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    boolean oom = error instanceof OutOfMemoryError || (error != null && error.getCause() instanceof OutOfMemoryError);
    r.put("answer_bytes", watch.read.get());
    r.put("window_minutes", windowMinutes);
    if (c != null) {
      r.put("rows", c.rows);
      r.put("runs", c.runs);
      r.put("values", c.values);
    }
    r.put("seconds", round(secs, 3));
    r.put("mb_per_s", round(watch.read.get() / 1e6 / secs, 1));
    r.put("completed", error == null && watch.read.get() >= target);
    r.put("out_of_memory", oom);
    r.put("error", error == null ? null : error.toString());
    r.put("gc_count", watch.gcs);
    r.put("peak_used_after_gc_bytes", watch.peakAfterGc);
    r.put("peak_committed_bytes", watch.peakCommitted);
    Map<String, Object> fullGc = new LinkedHashMap<>();
    fullGc.put("at_10pct", watch.afterFullGc[0]);
    fullGc.put("at_50pct", watch.afterFullGc[1]);
    fullGc.put("at_100pct", watch.afterFullGc[2]);
    r.put("used_after_full_gc_bytes", fullGc);
    long growth = watch.afterFullGc[2] - watch.afterFullGc[0];
    r.put("growth_10_to_100pct_bytes", growth);
    r.put("flat", error == null && watch.afterFullGc[0] > 0 && watch.afterFullGc[2] > 0 && growth < FLAT_BYTES);
    r.put("after_gc_trace", watch.trace());
    System.out.printf("pull-parse heap %s: %.0f MB streamed under -Xmx%dm in %.1f s: %s; used after full GC at"
        + " 10/50/100%%: %.1f/%.1f/%.1f MiB, peak after any GC %.1f MiB (%d GCs)%n", api, watch.read.get() / 1e6,
        Runtime.getRuntime().maxMemory() >> 20, secs, error == null ? "completed" : "FAILED " + error,
        watch.afterFullGc[0] / 1048576.0, watch.afterFullGc[1] / 1048576.0, watch.afterFullGc[2] / 1048576.0,
        watch.peakAfterGc / 1048576.0, watch.gcs);
    return r;
  }

  /** Samples the heap while an answer is read. */
  static final class HeapWatch {
    final long target;
    final AtomicLong read = new AtomicLong();
    final long[] afterFullGc = new long[3];
    final double[] marks = {0.10, 0.50, 1.00};
    int nextMark;
    volatile long peakAfterGc;
    volatile long peakCommitted;
    volatile long gcs;
    final List<long[]> samples = Collections.synchronizedList(new ArrayList<>());
    final Set<String> heapPools = new HashSet<>();
    private final List<Runnable> removers = new ArrayList<>();

    HeapWatch(long target) {
      this.target = target;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          heapPools.add(pool.getName());
        }
      }
    }

    void install() {
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        NotificationEmitter emitter = (NotificationEmitter) gc;
        javax.management.NotificationListener l = (n, h) -> {
          if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
          }
          GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
          long used = 0;
          long committed = 0;
          for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(e.getKey())) {
              used += e.getValue().getUsed();
              committed += e.getValue().getCommitted();
            }
          }
          gcs++;
          peakAfterGc = Math.max(peakAfterGc, used);
          peakCommitted = Math.max(peakCommitted, committed);
          samples.add(new long[] {read.get(), used});
        };
        emitter.addNotificationListener(l, null, null);
        removers.add(() -> {
          try {
            emitter.removeNotificationListener(l);
          } catch (Exception ignored) {
            // gone already
          }
        });
      }
    }

    void uninstall() {
      for (Runnable r : removers) {
        r.run();
      }
    }

    InputStream wrap(InputStream body) {
      return new FilterInputStream(body) {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            long now = read.addAndGet(n);
            // 100%: the last chunk of rows, with the parser, assembler and job holding their state.
            while (nextMark < 3 && now >= (long) (target * marks[nextMark])) {
              afterFullGc[nextMark++] = usedAfterFullGc();
            }
          }
          return n;
        }
      };
    }

    static long usedAfterFullGc() {
      System.gc();
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    List<Map<String, Object>> trace() {
      List<long[]> all;
      synchronized (samples) {
        all = new ArrayList<>(samples);
      }
      int step = Math.max(1, (all.size() + 99) / 100);
      List<Map<String, Object>> out = new ArrayList<>();
      for (int i = 0; i < all.size(); i += step) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fraction_read", round(all.get(i)[0] / (double) target, 3));
        m.put("used_after_gc_bytes", all.get(i)[1]);
        out.add(m);
      }
      return out;
    }
  }
}

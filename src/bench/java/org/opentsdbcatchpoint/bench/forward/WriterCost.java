package org.opentsdbcatchpoint.bench.forward;

import static org.opentsdbcatchpoint.bench.common.BenchOutput.round;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Writer;
import org.opentsdbcatchpoint.sink.Forwarder;
import org.opentsdbcatchpoint.sink.Forwarders;
import org.opentsdbcatchpoint.sink.ForwardingWriter;
import org.opentsdbcatchpoint.stats.Stats;
import org.opentsdbcatchpoint.tsd.SystemClock;

/**
 * What forwarding costs the threads that write points (the push path), in this JVM: {@link ForwardingWriter}
 * over a store that acknowledges at once, with no forwarder, with a Graphite (plaintext) and an InfluxDB
 * forwarder whose targets read, and with both targets accepting connections and never reading. The
 * forwarders are built from {@code forward.*} settings with the defaults (queue_size and retry_buffer
 * 100,000, timeout 5000 ms), so dead targets end with full queues and retry buffers.
 *
 * <p>Points are built as the plugin's mapper builds them: per run a new tags map (8 tags) shared by the
 * run's 16 points, runs cycling over 400 tests and 300 nodes (1.9 million series), and nothing keeps a
 * point after its write but the forwarders. So the collector's work and the heap left after a full
 * collection are what the forwarders' buffers cost. Each scenario is measured paced (a fixed rate of
 * points from all writer threads, about what a TSD takes from pushes: CPU, collections and latency at
 * that rate) and flat out (as many writes a second as the threads manage: the cost of a write itself).
 * Per measurement: writes per second, the latency of each write (log histogram, about 4% resolution),
 * bytes allocated per write by every thread of the JVM, garbage collections, the CPU time of the process
 * and of each forwarder's sender thread; after the paced one, the heap used after {@code System.gc()}
 * with the buffers as they are. Dead targets are measured once both have timed out and their buffers are
 * full.
 */
final class WriterCost {
  private static final Writer STORE = new Writer() {
    private final CompletableFuture<Void> done = CompletableFuture.completedFuture(null);

    @Override
    public CompletableFuture<Void> write(DataPoint point) {
      return done;
    }

    @Override
    public void flush() {}
  };
  private static final String[] METRICS = {"catchpoint.timing.total", "catchpoint.timing.dns",
      "catchpoint.timing.connect", "catchpoint.timing.ssl", "catchpoint.timing.send", "catchpoint.timing.wait",
      "catchpoint.timing.load", "catchpoint.timing.response", "catchpoint.timing.content_load",
      "catchpoint.timing.document_complete", "catchpoint.timing.render_start", "catchpoint.bytes.response_content",
      "catchpoint.bytes.response_headers", "catchpoint.count.requests", "catchpoint.ping.packet_loss_pct",
      "catchpoint.run"};
  private static final int TESTS = 400;
  private static final int NODES = 300;

  private final int seconds;
  private final int warmupSeconds;
  private final int rate;
  private final int garbagePerRun;
  private final List<Integer> threadCounts;
  private final List<String> scenarios;

  /**
   * @param rate points per second of the paced measurement, all writer threads together (about what a
   *     TSD on a small machine takes from pushes)
   * @param garbagePerRun bytes each run allocates besides its points and drops at once, as the TSD's push
   *     path does (decoding, mapping, the HBase client): without it this program would collect so rarely
   *     that what the forwarders keep would cost the collector nothing
   * @param threadCounts writer threads of the flat-out measurements; the paced one uses the largest
   * @param scenarios some of {@code no_forwarder}, {@code live_targets}, {@code dead_targets}
   */
  WriterCost(int seconds, int warmupSeconds, int rate, int garbagePerRun, List<Integer> threadCounts,
      List<String> scenarios) {
    this.seconds = seconds;
    this.warmupSeconds = warmupSeconds;
    this.rate = rate;
    this.garbagePerRun = garbagePerRun;
    this.scenarios = scenarios;
    this.threadCounts = threadCounts;
  }

  Map<String, Object> run() throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("method", "ForwardingWriter over a store that acknowledges at once; writer threads build runs as the "
        + "mapper does (a new 8-tag map per run, shared by its 16 points) over " + TESTS + " tests x " + NODES
        + " nodes; paced: " + rate + " points/s in all for " + seconds + " s after " + warmupSeconds + " s of "
        + "warm-up (dead targets: until both timed out and their buffers are full); flat out: as fast as the "
        + "threads can write, " + seconds + " s each; each run also allocates " + garbagePerRun + " bytes of "
        + "garbage, as the push path does");
    Map<String, Object> measured = new LinkedHashMap<>();
    out.put("scenarios", measured);
    for (String scenario : scenarios) {
      measured.put(scenario, measure(scenario));
    }
    return out;
  }

  private Map<String, Object> measure(String scenario) throws Exception {
    LocalTargets.Target carbon = null;
    LocalTargets.Target influx = null;
    Forwarders forwarders = new Forwarders(new ArrayList<>());
    Stats stats = new Stats();
    try {
      if (!scenario.equals("no_forwarder")) {
        boolean dead = scenario.equals("dead_targets");
        carbon = dead ? LocalTargets.neverReading() : LocalTargets.discardingCarbon();
        influx = dead ? LocalTargets.neverReading() : LocalTargets.answeringInflux();
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put(Key.PREFIX + "forward", "graphite,influx");
        conf.put(Key.PREFIX + "forward.graphite.type", "graphite");
        conf.put(Key.PREFIX + "forward.graphite.hosts", "127.0.0.1:" + carbon.port());
        conf.put(Key.PREFIX + "forward.influx.type", "influx");
        conf.put(Key.PREFIX + "forward.influx.url", "http://127.0.0.1:" + influx.port());
        conf.put(Key.PREFIX + "forward.influx.database", "catchpoint");
        forwarders = Forwarders.from(ForwardBench.settings(conf).forward.targets, stats, SystemClock.INSTANCE);
        forwarders.start();
      }
      Writer writer = new ForwardingWriter(STORE, forwarders.list());
      Map<String, Object> m = new LinkedHashMap<>();
      int paced = threadCounts.stream().max(Integer::compare).orElse(1);
      Writers w = new Writers(writer, paced, rate, garbagePerRun);
      w.start();
      long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
      long giveUp = warmEnd + TimeUnit.SECONDS.toNanos(90);
      while (System.nanoTime() < warmEnd || (scenario.equals("dead_targets") && !stuck(forwarders, stats))) {
        if (System.nanoTime() > giveUp) {
          throw new IllegalStateException("the dead targets never got stuck: " + forwarders.status());
        }
        Thread.sleep(100);
      }
      m.put("paced_" + paced + "_threads", w.measure(seconds));
      w.stop();
      m.put("heap_used_after_gc_mb", heapAfterGc());
      for (int threads : threadCounts) {
        Writers flat = new Writers(writer, threads, 0, garbagePerRun);
        flat.start();
        m.put("flat_out_" + threads + "_threads", flat.measure(seconds));
        flat.stop();
      }
      Map<String, Object> held = new LinkedHashMap<>();
      for (Forwarder f : forwarders.list()) {
        Map<String, Object> s = f.status();
        held.put(f.name(), s.get("queue_depth") + " queued, " + s.get("retry_buffer_depth") + " in the retry buffer, "
            + "errors " + s.get("errors") + ", dropped " + ForwardBench.dropped(stats, f.name()));
      }
      m.put("forwarders_at_the_end", held);
      System.out.printf("writer cost, %s: %s%n", scenario, m);
      return m;
    } finally {
      forwarders.shutdown(0);
      if (carbon != null) {
        carbon.close();
      }
      if (influx != null) {
        influx.close();
      }
    }
  }

  /** The heap the forwarders keep, with everything else this program holds: used heap after full collections. */
  private static double heapAfterGc() {
    System.gc();
    System.gc();
    return round(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6, 1);
  }

  /** Both dead targets timed out at least once and hold at least nine tenths of a full retry buffer. */
  private static boolean stuck(Forwarders forwarders, Stats stats) {
    for (Forwarder f : forwarders.list()) {
      if (ForwardBench.count(stats, f.name(), "errors.timeout") == 0
          || ((Number) f.status().get("retry_buffer_depth")).longValue() < 90_000) {
        return false;
      }
    }
    return true;
  }

  /** Writer threads writing runs until stopped, paced or flat out; they record each write's latency while measuring. */
  private static final class Writers {
    private final List<Thread> threads = new ArrayList<>();
    private final List<Histogram> own = new ArrayList<>();
    private volatile boolean measuring;
    private volatile boolean stopped;

    /** Live garbage sink, so the JIT cannot leave the runs' garbage out. */
    static volatile byte[] garbage;

    /** @param rate points per second of all threads together; 0: as fast as they can */
    Writers(Writer writer, int n, int rate, int garbagePerRun) {
      long runNanos = rate == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) * METRICS.length * n / rate;
      for (int i = 0; i < n; i++) {
        Histogram h = new Histogram();
        own.add(h);
        int first = i;
        threads.add(new Thread(() -> write(writer, h, first, n, runNanos, garbagePerRun), "bench-writer-" + i));
      }
    }

    void start() {
      threads.forEach(Thread::start);
    }

    /** Writes, GC, allocation and CPU over the next {@code seconds}. */
    Map<String, Object> measure(int seconds) throws InterruptedException {
      Snapshot before = new Snapshot();
      measuring = true;
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      measuring = false;
      Snapshot after = new Snapshot();
      Histogram all = new Histogram();
      for (Histogram h : own) {
        all.add(h);
      }
      long writes = all.count();
      double secs = (after.nanos - before.nanos) / 1e9;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("writes", writes);
      m.put("writes_per_s", round(writes / secs, 0));
      Map<String, Object> latency = new LinkedHashMap<>();
      latency.put("p50", round(all.quantile(0.5) / 1000.0, 3));
      latency.put("p99", round(all.quantile(0.99) / 1000.0, 3));
      latency.put("p99_9", round(all.quantile(0.999) / 1000.0, 3));
      latency.put("max", round(all.max() / 1000.0, 1));
      m.put("write_latency_us", latency);
      m.put("gc_count", after.gcCount - before.gcCount);
      m.put("gc_ms", after.gcMillis - before.gcMillis);
      m.put("allocated_bytes_per_write", writes == 0 ? 0 : round((double) (after.allocated - before.allocated) / writes, 1));
      m.put("process_cpu_ms_per_s", round((after.processCpu - before.processCpu) / 1e6 / secs, 1));
      Map<String, Object> cpu = new LinkedHashMap<>();
      for (Map.Entry<String, Long> e : after.senderCpu.entrySet()) {
        long was = before.senderCpu.getOrDefault(e.getKey(), 0L);
        cpu.put(e.getKey(), round((e.getValue() - was) / 1e6 / secs, 1));
      }
      m.put("sender_cpu_ms_per_s", cpu);
      return m;
    }

    void stop() throws InterruptedException {
      stopped = true;
      for (Thread t : threads) {
        t.join();
      }
    }

    private void write(Writer writer, Histogram h, int first, int step, long runNanos, int garbagePerRun) {
      long run = first;
      long next = System.nanoTime();
      while (!stopped) {
        if (runNanos > 0) {
          next += runNanos;
          long wait = next - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
        }
        List<DataPoint> points = run(run);
        if (garbagePerRun > 0) {
          garbage = new byte[garbagePerRun];
        }
        run += step;
        for (DataPoint p : points) {
          long t0 = System.nanoTime();
          try {
            writer.write(p);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          long took = System.nanoTime() - t0;
          if (measuring) {
            h.record(took);
          }
        }
      }
    }
  }

  /** The 16 points of one run, as the mapper builds them: one new tags map, shared through withMetric. */
  static List<DataPoint> run(long run) {
    int test = (int) (run % TESTS);
    int node = (int) ((run / TESTS) % NODES);
    Map<String, String> tags = new TreeMap<>();
    tags.put("test_id", Strings.TEST_IDS[test]);
    tags.put("node_id", Strings.NODE_IDS[node]);
    tags.put("test_type", "web");
    tags.put("city", Strings.CITIES[node % Strings.CITIES.length]);
    tags.put("country", Strings.COUNTRIES[node % Strings.COUNTRIES.length]);
    tags.put("isp", Strings.ISPS[node % Strings.ISPS.length]);
    tags.put("asn", Strings.ASNS[node % Strings.ASNS.length]);
    tags.put("region", Strings.REGIONS[node % Strings.REGIONS.length]);
    long second = 1_790_000_000L + run / 100;
    List<DataPoint> out = new ArrayList<>(METRICS.length);
    DataPoint first = new DataPoint(METRICS[0], second, (run * 7) % 5000, tags);
    out.add(first);
    for (int i = 1; i < METRICS.length; i++) {
      // Mostly whole milliseconds and bytes, as Catchpoint sends them; the packet loss is a fraction.
      double v = METRICS[i].endsWith("_pct") ? (run % 400) / 4.0 : (run * 13 + i * 31) % 2000;
      out.add(first.withMetric(METRICS[i], v));
    }
    return out;
  }

  /** Tag values from the catalog: the same strings for every run, as the plugin's catalog shares them. */
  private static final class Strings {
    static final String[] TEST_IDS = numbered("", 100_000, TESTS);
    static final String[] NODE_IDS = numbered("", 500, NODES);
    static final String[] CITIES = {"Frankfurt", "São Paulo", "New York", "Tokyo", "Sydney", "Paris", "London"};
    static final String[] COUNTRIES = {"Germany", "Brazil", "United States", "Japan", "Australia", "France", "UK"};
    static final String[] ISPS = {"Amazon", "Jinan, CN - Unicom", "Level 3", "NTT", "Telstra", "Orange", "BT"};
    static final String[] ASNS = {"AS16509", "AS4837", "AS3356", "AS2914", "AS1221", "AS3215", "AS2856"};
    static final String[] REGIONS = {"Hesse", "São Paulo", "New York", "Tokyo", "NSW", "Île-de-France", "England"};

    private static String[] numbered(String prefix, int from, int n) {
      String[] s = new String[n];
      for (int i = 0; i < n; i++) {
        s[i] = prefix + (from + i);
      }
      return s;
    }
  }

  /** GC, allocation and sender CPU figures of the whole JVM at one moment. */
  private static final class Snapshot {
    final long nanos = System.nanoTime();
    final long gcCount;
    final long gcMillis;
    final long allocated;
    final long processCpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
    final Map<String, Long> senderCpu = new TreeMap<>();

    Snapshot() {
      long count = 0;
      long millis = 0;
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        count += Math.max(0, gc.getCollectionCount());
        millis += Math.max(0, gc.getCollectionTime());
      }
      gcCount = count;
      gcMillis = millis;
      com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long[] ids = threads.getAllThreadIds();
      long sum = 0;
      for (long b : threads.getThreadAllocatedBytes(ids)) {
        sum += Math.max(0, b);
      }
      allocated = sum;
      for (ThreadInfo t : threads.getThreadInfo(ids)) {
        if (t != null && t.getThreadName().startsWith("catchpoint-forward-")) {
          senderCpu.put(t.getThreadName().substring("catchpoint-forward-".length()),
              threads.getThreadCpuTime(t.getThreadId()));
        }
      }
    }
  }

  /** Nanosecond latencies in log buckets: 16 a power of two, so a quantile is within about 4%. */
  static final class Histogram {
    private static final int SUB = 16;
    private final long[] buckets = new long[64 * SUB];
    private long count;
    private long max;

    void record(long nanos) {
      long v = Math.max(1, nanos);
      buckets[bucket(v)]++;
      count++;
      max = Math.max(max, v);
    }

    static int bucket(long v) {
      if (v < SUB) {
        return (int) v;
      }
      int exp = 63 - Long.numberOfLeadingZeros(v);
      int mantissa = (int) (v >>> (exp - 4)) & (SUB - 1);
      return (exp - 3) * SUB + mantissa;
    }

    /** The upper end of bucket {@code b}. */
    static long upper(int b) {
      if (b < SUB) {
        return b;
      }
      int exp = b / SUB + 3;
      long mantissa = b % SUB;
      return ((SUB + mantissa + 1) << (exp - 4)) - 1;
    }

    void add(Histogram o) {
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] += o.buckets[i];
      }
      count += o.count;
      max = Math.max(max, o.max);
    }

    long count() {
      return count;
    }

    long max() {
      return max;
    }

    long quantile(double q) {
      long rank = Math.max(1, (long) Math.ceil(q * count));
      long seen = 0;
      for (int i = 0; i < buckets.length; i++) {
        seen += buckets[i];
        if (seen >= rank) {
          return Math.min(upper(i), max);
        }
      }
      return max;
    }
  }
}

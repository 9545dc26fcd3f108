package org.opentsdbcatchpoint.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Drives the TSD of {@code integration-tests/bench.sh}: the same runs through the plugin's push, through
 * {@code /api/put?sync=true} (50 datapoints a request, and one run's a request) and {@code /api/put}, at
 * each concurrency, and through the bench-only addPoint loop (the limit); repeated, the paths interleaved
 * so that drift of the machine spreads over all of them. Writes every measurement to a JSON file for
 * {@code BenchReport}.
 *
 * <p>Arguments are {@code --key=value}: tsd (host:port), token, fixtures, catalog, out (required
 * paths), seconds, warmup, repeats, clients, tests, nodes-per-test, seed, batch, limit-batch,
 * limit-in-flight, http (raw or jdk), scenarios (push, put-sync, put-sync-run, put, limit), tsd-pid, hbase-pid,
 * clk-tck, start-ago (seconds before now of the first run time; 1800).
 */
public final class LoadBench {
  private static final int WARMUP_CLIENTS = 8;

  private final Options options;
  private final Workload workload;
  private final String host;
  private final int port;
  private final HttpPoster.Factory posters;
  private final CpuMeter cpu;
  private final long warmupMillis;
  private final long windowMillis;
  private final List<Measurement.Result> results = new ArrayList<>();
  /**
   * The run time the next measurement starts at. Every measurement gets its own seconds: all its
   * cells are new, and the native paths never land on the plugin's cells (/api/put stores 2310.0 as a
   * float, the plugin as a double: both in one row would be duplicate datapoints).
   */
  private long nextSecond;

  private LoadBench(Options o) throws Exception {
    options = o;
    workload = Workload.build(o.path("fixtures"), o.path("catalog"), o.integer("tests", 400),
        o.integer("nodes-per-test", 10), o.integer("seed", 1), Workload.FIRST_TEST_ID);
    String[] hostPort = o.string("tsd", "127.0.0.1:4242").split(":");
    host = hostPort[0];
    port = Integer.parseInt(hostPort[1]);
    posters = "jdk".equals(o.string("http", "raw")) ? JdkHttpPoster.FACTORY : RawHttpPoster.FACTORY;
    cpu = new CpuMeter(o.integer("tsd-pid", 0), o.integer("hbase-pid", 0), o.integer("clk-tck", 100));
    warmupMillis = Math.round(o.decimal("warmup", 3) * 1000);
    windowMillis = Math.round(o.decimal("seconds", 15) * 1000);
    // A second run in the same TSD starts further back, so that it never lands on the first one's cells.
    nextSecond = Instant.now().getEpochSecond() - o.integer("start-ago", 1800);
  }

  public static void main(String[] args) throws Exception {
    new LoadBench(new Options(args)).run();
  }

  private void run() throws Exception {
    log("workload: %d distinct runs, %.1f datapoints a run on average; every /api/put datapoint checked "
        + "equal to what the plugin maps its push to", workload.size(), workload.pointsPerRun());
    JsonNode tsd = TsdFacts.read(host, port);
    String token = options.string("token", "");
    List<Scenario> paths = new ArrayList<>();
    List<String> wanted = options.list("scenarios", "push,put-sync,put-sync-run,put,limit");
    if (wanted.contains("push")) {
      paths.add(Scenario.push(token));
    }
    if (wanted.contains("put-sync")) {
      paths.add(Scenario.put(true, options.integer("batch", 50)));
    }
    if (wanted.contains("put-sync-run")) {
      paths.add(Scenario.putSyncRun());
    }
    if (wanted.contains("put")) {
      paths.add(Scenario.put(false, options.integer("batch", 50)));
    }
    Scenario limit = Scenario.limit(token, options.integer("limit-batch", 25_000),
        options.integer("limit-in-flight", 5_000));

    warmUp(Scenario.push(token));
    int repeats = options.integer("repeats", 3);
    for (int r = 1; r <= repeats; r++) {
      for (String c : options.list("clients", "1,8,32,128")) {
        List<Scenario> order = new ArrayList<>(paths);
        Collections.rotate(order, -(r - 1)); // who goes first changes with each repeat
        for (Scenario s : order) {
          measure(s, Integer.parseInt(c), r, repeats);
        }
      }
      if (wanted.contains("limit")) {
        measure(limit, 1, r, repeats);
      }
    }
    write(options.path("out"), tsd);
  }

  private void measure(Scenario scenario, int clients, int repeat, int repeats) throws InterruptedException {
    RunSequence runs = new RunSequence(workload, nextSecond);
    Measurement.Result m = new Measurement(scenario, clients, posters, host, port, cpu)
        .run(runs, warmupMillis, windowMillis);
    m.repeat = repeat;
    nextSecond += workload.secondsFor(m.runsUsed) + 1;
    results.add(m);
    log("repeat %d/%d %-12s clients %3d: %9.0f points/s%s  p50 %7.2f ms  p99 %7.2f ms  errors %d  "
        + "cpu s tsd %.1f hbase %.1f client %.1f%s", repeat, repeats, m.scenario, m.clients, m.pointsPerSecond,
        m.loopPointsPerSecond > 0 ? String.format(Locale.ROOT, " (loop %.0f/s)", m.loopPointsPerSecond) : "",
        m.p50Millis, m.p99Millis, m.errors, m.tsdCpuSeconds, m.hbaseCpuSeconds, m.clientCpuSeconds,
        m.firstError == null ? "" : "\n    first error: " + m.firstError);
  }

  /**
   * Pushes every run of the workload once, unmeasured: creates the UIDs of every metric and tag value
   * (as a TSD in production already has them) and lets the JIT of both JVMs settle.
   */
  private void warmUp(Scenario push) throws InterruptedException {
    double seconds = sendAll(push, new RunSequence(workload, nextSecond), workload.size(), WARMUP_CLIENTS, posters,
        host, port);
    nextSecond += workload.secondsFor(workload.size()) + 1;
    log("warm-up: %d runs pushed once (UIDs created) in %.1f s", workload.size(), seconds);
  }

  /**
   * Sends {@code calls} requests of the scenario over {@code clients} connections, unmeasured, and returns
   * the seconds that took.
   *
   * @throws IllegalStateException naming the first request that was not acknowledged whole
   */
  static double sendAll(Scenario scenario, RunSequence runs, long calls, int clients, HttpPoster.Factory posters,
      String host, int port) throws InterruptedException {
    long started = System.nanoTime();
    AtomicLong left = new AtomicLong(calls);
    AtomicReference<String> error = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Thread t = new Thread(() -> {
        try (HttpPoster poster = posters.open(host, port)) {
          while (left.getAndDecrement() > 0 && error.get() == null) {
            Scenario.Call call = scenario.next(runs);
            Scenario.Outcome outcome = scenario.accept(call, poster.post(call.target, call.body));
            if (outcome.error != null) {
              error.compareAndSet(null, outcome.error);
            }
          }
        } catch (Exception e) {
          error.compareAndSet(null, e.toString());
        }
      }, "bench-" + scenario.key);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (error.get() != null) {
      throw new IllegalStateException(scenario.key + " failed: " + error.get());
    }
    return (System.nanoTime() - started) / 1e9;
  }

  private void write(Path out, JsonNode tsd) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("finished", Instant.now().toString());
    root.put("http_client", options.string("http", "raw"));
    root.put("seconds", options.decimal("seconds", 15));
    root.put("warmup_seconds", options.decimal("warmup", 3));
    root.put("repeats", options.integer("repeats", 3));
    root.set("tsd", tsd);
    ObjectNode w = root.putObject("workload");
    w.put("tests", options.integer("tests", 400));
    w.put("nodes_per_test", options.integer("nodes-per-test", 10));
    w.put("catalog_nodes", workload.catalogNodes());
    w.put("distinct_runs", workload.size());
    w.put("points_per_run", Math.round(workload.pointsPerRun() * 100) / 100.0);
    w.put("tags_per_point", Math.round(workload.tagsPerPoint() * 100) / 100.0);
    w.put("put_batch", options.integer("batch", 50));
    w.put("limit_batch", options.integer("limit-batch", 25_000));
    w.put("limit_in_flight", options.integer("limit-in-flight", 5_000));
    ObjectNode mix = w.putObject("mix");
    for (Map.Entry<String, int[]> e : workload.mix().entrySet()) {
      ObjectNode f = mix.putObject(e.getKey());
      f.put("runs", e.getValue()[0]);
      f.put("points_per_run", e.getValue()[1]);
    }
    ArrayNode list = root.putArray("measurements");
    for (Measurement.Result m : results) {
      list.add(m.toJson(json));
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), root);
    log("measurements written to %s", out);
  }

  static void log(String format, Object... args) {
    System.out.println("[bench] " + String.format(Locale.ROOT, format, args));
  }

  /** {@code --key=value} arguments. */
  static final class Options {
    private final Map<String, String> values = new LinkedHashMap<>();

    Options(String[] args) {
      for (String a : args) {
        if (!a.startsWith("--") || !a.contains("=")) {
          throw new IllegalArgumentException("arguments are --key=value, not " + a);
        }
        values.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
      }
    }

    String string(String key, String fallback) {
      String v = values.get(key);
      return v == null || v.isEmpty() ? fallback : v;
    }

    int integer(String key, int fallback) {
      return Integer.parseInt(string(key, Integer.toString(fallback)));
    }

    double decimal(String key, double fallback) {
      return Double.parseDouble(string(key, Double.toString(fallback)));
    }

    List<String> list(String key, String fallback) {
      List<String> out = new ArrayList<>();
      for (String s : string(key, fallback).split(",")) {
        if (!s.trim().isEmpty()) {
          out.add(s.trim());
        }
      }
      return out;
    }

    Path path(String key) {
      String v = values.get(key);
      if (v == null) {
        throw new IllegalArgumentException("--" + key + "=PATH is required");
      }
      return Paths.get(v);
    }
  }
}

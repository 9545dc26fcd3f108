package org.opentsdbcatchpoint.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Turns the load generator's measurements and JMH's results into {@code results.md} and
 * {@code results.json}: medians with their spread over the repeats, the ratios the issue asks for
 * (paired by repeat, so drift of the machine cancels out), and each target as met or missed.
 *
 * <p>Usage: {@code BenchReport DIR}: reads what bench.sh wrote there ({@code load.json}, {@code jmh.json},
 * {@code pull.json}, {@code pull-parse.json}, {@code storage.json}, {@code load-nofwd.json},
 * {@code load-deadfwd.json}, {@code deadfwd-health.json},
 * {@code forward.json}; a missing file leaves its section out, saying so) and writes the results beside them.
 */
public final class BenchReport {
  static final double WEB_RUNS_PER_SECOND_TARGET = 50_000;
  static final double WEB_BYTES_PER_RUN_TARGET = 10 * 1024;
  static final double LIMIT_SHARE_TARGET = 0.80;
  private static final String WEB_FIXTURE = "push-web-default.json";
  static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final JsonNode load;
  private final JsonNode jmh;
  final ObjectNode out = JSON.createObjectNode();
  final StringBuilder md = new StringBuilder();
  private final ArrayNode targets = JSON.createArrayNode();

  private BenchReport(Path dir) throws IOException {
    this.dir = dir;
    this.load = input("load.json");
    this.jmh = input("jmh.json");
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: BenchReport DIR");
    }
    Path dir = Paths.get(args[0]);
    BenchReport r = new BenchReport(dir);
    r.build();
    Files.write(dir.resolve("results.md"), r.md.toString().getBytes(StandardCharsets.UTF_8));
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("results.json").toFile(), r.out);
    System.out.println(r.md);
    System.out.println("(written to " + dir.resolve("results.md") + " and " + dir.resolve("results.json") + ")");
  }

  /** One of bench.sh's files in the directory, or null when that step did not run. */
  JsonNode input(String name) throws IOException {
    Path p = dir.resolve(name);
    return Files.isRegularFile(p) && Files.size(p) > 0 ? JSON.readTree(p.toFile()) : null;
  }

  private void build() throws IOException {
    header();
    if (load != null) {
      ingestion();
      latency();
      cpu();
      errors();
    }
    StorageSection.add(this);
    decodeMap();
    PullSection.add(this);
    ForwardSection.add(this);
    targets();
    if (load != null) {
      out.set("measurements", load.path("measurements"));
    }
  }

  private void header() {
    md.append("# opentsdb-catchpoint benchmark\n\n");
    machine();
    if (load != null) {
      method();
      tsd();
      workload();
    }
  }

  private void machine() {
    String date = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    int cores = Runtime.getRuntime().availableProcessors();
    String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    String os = System.getProperty("os.name") + " " + System.getProperty("os.version");
    long gb = Math.round(memoryBytes() / 1e9);
    ObjectNode machine = out.putObject("machine");
    machine.put("date", date);
    machine.put("cores", cores);
    machine.put("cpu", cpuModel());
    machine.put("memory_gb", gb);
    machine.put("jdk", jdk);
    machine.put("os", os);
    md.append(String.format(Locale.ROOT, "Machine: %d cores (%s), %d GB, %s, %s. Run finished %s.%n%n", cores,
        cpuModel(), gb, jdk, os, date));
  }

  private void method() {
    ObjectNode conf = out.putObject("config");
    conf.put("seconds", load.path("seconds").asDouble());
    conf.put("warmup_seconds", load.path("warmup_seconds").asDouble());
    conf.put("repeats", load.path("repeats").asInt());
    conf.put("http_client", load.path("http_client").asText());
    String client = "jdk".equals(load.path("http_client").asText()) ? "JDK HttpClient"
        : "one keep-alive socket a client";
    md.append(String.format(Locale.ROOT, "Each measurement: %.0f s after a %.0f s warm-up, %d repeat(s), the paths "
        + "interleaved; figures are the median (min–max) over the repeats, ratios are taken per repeat, then the "
        + "median. The load generator runs on the same machine (%s).%n%n", load.path("seconds").asDouble(),
        load.path("warmup_seconds").asDouble(), load.path("repeats").asInt(), client));
  }

  private void tsd() {
    JsonNode tsd = load.path("tsd");
    out.set("tsd", tsd);
    StringBuilder settings = new StringBuilder();
    tsd.path("settings").fields().forEachRemaining(e -> settings.append(settings.length() == 0 ? "" : ", ")
        .append('`').append(e.getKey()).append(" = ").append(e.getValue().asText()).append('`'));
    md.append(String.format(Locale.ROOT, "TSD: OpenTSDB 2.4 (revision %s) with opentsdb-catchpoint %s, on HBase 2.5 "
        + "(standalone: one region server, local disk); %s.%n%n", tsd.path("opentsdb_revision").asText(),
        tsd.path("plugin").asText(), settings));
  }

  private void workload() {
    JsonNode w = load.path("workload");
    out.set("workload", w);
    StringBuilder mix = new StringBuilder();
    w.path("mix").fields().forEachRemaining(e -> mix.append(mix.length() == 0 ? "" : ", ")
        .append(e.getKey().replace("push-", "").replace(".json", "")).append(' ')
        .append(percent(e.getValue().path("runs").asDouble() / w.path("distinct_runs").asDouble()))
        .append(" (").append(e.getValue().path("points_per_run").asInt()).append(" pts)"));
    md.append(String.format(Locale.ROOT, "Workload: %d tests × %d nodes each, from a generated catalog of %d nodes: "
        + "%d distinct runs, %.1f datapoints a run, %.1f tags a datapoint; every run a new cell; the UIDs created "
        + "by an unmeasured warm-up. Mix: %s. The native paths carry exactly the plugin's datapoints (mapped by "
        + "its own decoder and mapper, checked equal), %d a request; the limit gets %,d a request, at most %,d "
        + "unacknowledged, timed inside the TSD.%n%n", w.path("tests").asInt(), w.path("nodes_per_test").asInt(),
        w.path("catalog_nodes").asInt(), w.path("distinct_runs").asInt(), w.path("points_per_run").asDouble(),
        w.path("tags_per_point").asDouble(), mix, w.path("put_batch").asInt(), w.path("limit_batch").asInt(),
        w.path("limit_in_flight").asInt()));
  }

  private void ingestion() {
    md.append("## Ingestion: datapoints/s\n\n");
    md.append("Acknowledged by HBase before the answer, except `/api/put` without sync, which answers once the "
        + "TSD has queued the points (no durability). `/api/put?sync=true` carries 50 datapoints a request; "
        + "`put?sync, 1 run/request` carries the datapoints of one push a request, as a bridge that forwards "
        + "each webhook as one `/api/put` would.\n\n");
    md.append("| clients | plugin push | /api/put?sync=true | put?sync, 1 run/request | /api/put (no sync) "
        + "| limit: addPoint loop | plugin / put?sync | plugin / put?sync 1 run | plugin / put | plugin / limit |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    ArrayNode rows = out.putArray("ingestion");
    Spread limit = spread(values("limit", 0, "loop_points_per_second"));
    for (int c : concurrencies()) {
      Spread push = spread(values("push", c, "points_per_second"));
      Spread sync = spread(values("put-sync", c, "points_per_second"));
      Spread syncRun = spread(values("put-sync-run", c, "points_per_second"));
      Spread put = spread(values("put", c, "points_per_second"));
      Spread vsSync = spread(ratios("push", c, "put-sync", c, "points_per_second"));
      Spread vsSyncRun = spread(ratios("push", c, "put-sync-run", c, "points_per_second"));
      Spread vsPut = spread(ratios("push", c, "put", c, "points_per_second"));
      Spread vsLimit = spread(limitRatios(c));
      md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", c, push.count(),
          sync.count(), syncRun.count(), put.count(), limit.count(), vsSync.ratio(), vsSyncRun.ratio(), vsPut.ratio(),
          vsLimit.ratio()));
      ObjectNode row = rows.addObject();
      row.put("clients", c);
      row.set("plugin_push", push.json());
      row.set("api_put_sync", sync.json());
      row.set("api_put_sync_one_run", syncRun.json());
      row.set("api_put", put.json());
      row.set("limit", limit.json());
      row.set("plugin_over_api_put_sync", vsSync.json());
      row.set("plugin_over_api_put_sync_one_run", vsSyncRun.json());
      row.set("plugin_over_api_put", vsPut.json());
      row.set("plugin_over_limit", vsLimit.json());
      target("acknowledged push >= /api/put?sync=true at " + c + " client" + (c == 1 ? "" : "s"),
          "plugin / put?sync = " + vsSync.ratio(), vsSync.empty() ? null : vsSync.median >= 1.0);
    }
    List<Integer> cs = concurrencies();
    if (!cs.isEmpty()) {
      int most = cs.get(cs.size() - 1);
      Spread share = spread(limitRatios(most));
      target("acknowledged push within 20% of the limit at " + most + " clients",
          "plugin / limit = " + share.ratio(), share.empty() ? null : share.median >= LIMIT_SHARE_TARGET);
    }
    Spread wall = spread(values("limit", 0, "points_per_second"));
    md.append(String.format(Locale.ROOT, "%nThe limit is timed inside the TSD (first addPoint to last "
        + "acknowledgement, per request of %,d points); counted over the wall clock, with the upload and JSON "
        + "parsing of each request between loops, it is %s.%n%n",
        load.path("workload").path("limit_batch").asInt(), wall.count()));
  }

  private void latency() {
    md.append("## Latency per request, ms: p50 / p99 (median over repeats)\n\n");
    md.append(String.format(Locale.ROOT, "| clients | plugin push (1 run, %.1f pts) | /api/put?sync=true (%d pts) "
        + "| put?sync, 1 run/request | /api/put (%d pts) |%n", load.path("workload").path("points_per_run").asDouble(),
        load.path("workload").path("put_batch").asInt(), load.path("workload").path("put_batch").asInt()));
    md.append("|---:|---:|---:|---:|---:|\n");
    ArrayNode rows = out.putArray("latency_ms");
    for (int c : concurrencies()) {
      ObjectNode row = rows.addObject();
      row.put("clients", c);
      StringBuilder line = new StringBuilder("| " + c + " |");
      for (String s : new String[] {"push", "put-sync", "put-sync-run", "put"}) {
        Spread p50 = spread(values(s, c, "p50_ms"));
        Spread p99 = spread(values(s, c, "p99_ms"));
        ObjectNode cell = row.putObject(s);
        cell.set("p50", p50.json());
        cell.set("p99", p99.json());
        line.append(p50.empty() ? " – |" : String.format(Locale.ROOT, " %.1f / %.1f |", p50.median, p99.median));
      }
      md.append(line).append('\n');
    }
    md.append('\n');
  }

  private void cpu() {
    md.append("## CPU seconds per million datapoints (median over repeats)\n\n");
    md.append("| path | clients | TSD | HBase | load generator | machine busy |\n|---|---:|---:|---:|---:|---:|\n");
    ArrayNode rows = out.putArray("cpu_seconds_per_million_points");
    int cores = Runtime.getRuntime().availableProcessors();
    for (String s : new String[] {"push", "put-sync", "put-sync-run", "put", "limit"}) {
      List<Integer> cs = "limit".equals(s) ? Collections.singletonList(1) : concurrencies();
      for (int c : cs) {
        List<JsonNode> ms = measurements(s, c);
        if (ms.isEmpty()) {
          continue;
        }
        List<Double> tsd = new ArrayList<>();
        List<Double> hbase = new ArrayList<>();
        List<Double> client = new ArrayList<>();
        List<Double> busy = new ArrayList<>();
        for (JsonNode m : ms) {
          double millions = Math.max(1, m.path("points").asDouble()) / 1e6;
          JsonNode cpu = m.path("cpu_seconds");
          tsd.add(cpu.path("tsd").asDouble() / millions);
          hbase.add(cpu.path("hbase").asDouble() / millions);
          client.add(cpu.path("client").asDouble() / millions);
          busy.add((cpu.path("tsd").asDouble() + cpu.path("hbase").asDouble() + cpu.path("client").asDouble())
              / (m.path("seconds").asDouble() * cores));
        }
        ObjectNode row = rows.addObject();
        row.put("scenario", s);
        row.put("clients", c);
        row.put("tsd", spread(tsd).median);
        row.put("hbase", spread(hbase).median);
        row.put("client", spread(client).median);
        row.put("machine_busy", spread(busy).median);
        md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %s |%n", label(s),
            "limit".equals(s) ? "–" : Integer.toString(c), spread(tsd).median, spread(hbase).median,
            spread(client).median, percent(spread(busy).median)));
      }
    }
    md.append("\nMachine busy: CPU used by the three processes over the window, as a share of all cores. Where "
        + "it is low, the path waits (for HBase's acknowledgement) rather than works, and the seconds per "
        + "million points are mostly the processes' idle cost.\n\n");
  }

  private void errors() {
    StringBuilder list = new StringBuilder();
    for (JsonNode m : load.path("measurements")) {
      if (m.path("errors").asLong() > 0) {
        list.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %s |%n", label(m.path("scenario").asText()),
            m.path("clients").asInt(), m.path("repeat").asInt(), m.path("errors").asLong(),
            m.path("first_error").asText().replace('|', '/')));
      }
    }
    if (list.length() > 0) {
      md.append("## Failed requests\n\n| path | clients | repeat | failed | first failure |\n")
          .append("|---|---:|---:|---:|---|\n").append(list).append('\n');
    }
  }

  private void decodeMap() {
    md.append("## Decode + map alone (JMH, one thread, `-prof gc`)\n\n");
    ArrayNode rows = out.putArray("decode_map");
    if (jmh == null || !jmh.isArray() || jmh.size() == 0) {
      md.append("Not run.\n\n");
      target("decode+map of the web fixture >= 50,000 runs/s on one core", "not run", null);
      target("decode+map of the web fixture < 10 KB allocated per run", "not run", null);
      return;
    }
    md.append("| fixture | runs/s (± error) | bytes allocated per run |\n|---|---:|---:|\n");
    for (JsonNode b : jmh) {
      String fixture = b.path("params").path("fixture").asText();
      double score = b.path("primaryMetric").path("score").asDouble();
      double error = b.path("primaryMetric").path("scoreError").asDouble();
      JsonNode alloc = b.path("secondaryMetrics").path("gc.alloc.rate.norm");
      double bytes = alloc.isMissingNode() ? Double.NaN : alloc.path("score").asDouble();
      md.append(String.format(Locale.ROOT, "| %s | %,.0f (± %,.0f) | %s |%n", fixture, score,
          Double.isNaN(error) ? 0 : error, Double.isNaN(bytes) ? "–" : String.format(Locale.ROOT, "%,.0f", bytes)));
      ObjectNode row = rows.addObject();
      row.put("fixture", fixture);
      row.put("runs_per_second", score);
      row.put("runs_per_second_error", Double.isNaN(error) ? 0 : error);
      if (!Double.isNaN(bytes)) {
        row.put("bytes_per_run", bytes);
      }
      if (WEB_FIXTURE.equals(fixture)) {
        target("decode+map of the web fixture >= 50,000 runs/s on one core",
            String.format(Locale.ROOT, "%,.0f runs/s", score), score >= WEB_RUNS_PER_SECOND_TARGET);
        target("decode+map of the web fixture < 10 KB allocated per run", Double.isNaN(bytes) ? "not measured"
            : String.format(Locale.ROOT, "%,.0f bytes/run", bytes),
            Double.isNaN(bytes) ? null : bytes < WEB_BYTES_PER_RUN_TARGET);
      }
    }
    md.append('\n');
  }

  private void targets() {
    md.append("## Targets (issue 5)\n\n| target | measured | |\n|---|---|---|\n");
    for (JsonNode t : targets) {
      String verdict = t.path("met").isNull() ? "–" : t.path("met").asBoolean() ? "**met**" : "**missed**";
      md.append("| ").append(t.path("target").asText()).append(" | ").append(t.path("measured").asText())
          .append(" | ").append(verdict).append(" |\n");
    }
    out.set("targets", targets);
  }

  void target(String what, String measured, Boolean met) {
    ObjectNode t = targets.addObject();
    t.put("target", what);
    t.put("measured", measured);
    if (met == null) {
      t.putNull("met");
    } else {
      t.put("met", met);
    }
  }

  // ---- the numbers ----

  private List<JsonNode> measurements(String scenario, int clients) {
    return measurements(load, scenario, clients);
  }

  /** The measurements of one path (and concurrency; 0: any) in a load generator's file. */
  static List<JsonNode> measurements(JsonNode load, String scenario, int clients) {
    List<JsonNode> ms = new ArrayList<>();
    for (JsonNode m : load.path("measurements")) {
      if (m.path("scenario").asText().equals(scenario) && (clients == 0 || m.path("clients").asInt() == clients)) {
        ms.add(m);
      }
    }
    return ms;
  }

  private List<Double> values(String scenario, int clients, String field) {
    List<Double> v = new ArrayList<>();
    for (JsonNode m : measurements(scenario, clients)) {
      v.add(m.path(field).asDouble());
    }
    return v;
  }

  /** a / b per repeat, for the repeats that measured both. */
  private List<Double> ratios(String a, int ca, String b, int cb, String field) {
    List<Double> r = new ArrayList<>();
    for (JsonNode x : measurements(a, ca)) {
      for (JsonNode y : measurements(b, cb)) {
        if (x.path("repeat").asInt() == y.path("repeat").asInt() && y.path(field).asDouble() > 0) {
          r.add(x.path(field).asDouble() / y.path(field).asDouble());
        }
      }
    }
    return r;
  }

  private List<Double> limitRatios(int clients) {
    List<Double> r = new ArrayList<>();
    for (JsonNode x : measurements("push", clients)) {
      for (JsonNode y : measurements("limit", 0)) {
        double limit = y.path("loop_points_per_second").asDouble();
        if (x.path("repeat").asInt() == y.path("repeat").asInt() && limit > 0) {
          r.add(x.path("points_per_second").asDouble() / limit);
        }
      }
    }
    return r;
  }

  private List<Integer> concurrencies() {
    TreeSet<Integer> cs = new TreeSet<>();
    for (JsonNode m : load.path("measurements")) {
      if (!"limit".equals(m.path("scenario").asText())) {
        cs.add(m.path("clients").asInt());
      }
    }
    return new ArrayList<>(cs);
  }

  static Spread spread(List<Double> values) {
    return new Spread(values);
  }

  /** Median and range of a few repeats. */
  static final class Spread {
    final double median;
    final double min;
    final double max;
    final int n;

    Spread(List<Double> values) {
      List<Double> v = new ArrayList<>(values);
      Collections.sort(v);
      n = v.size();
      if (n == 0) {
        median = min = max = Double.NaN;
      } else {
        median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
        min = v.get(0);
        max = v.get(n - 1);
      }
    }

    boolean empty() {
      return n == 0;
    }

    String count() {
      if (empty()) {
        return "–";
      }
      return n == 1 ? String.format(Locale.ROOT, "%,.0f", median)
          : String.format(Locale.ROOT, "%,.0f (%,.0f–%,.0f)", median, min, max);
    }

    String ratio() {
      if (empty()) {
        return "–";
      }
      return n == 1 ? String.format(Locale.ROOT, "%.2f", median)
          : String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", median, min, max);
    }

    ObjectNode json() {
      ObjectNode o = JSON.createObjectNode();
      if (!empty()) {
        o.put("median", median);
        o.put("min", min);
        o.put("max", max);
      }
      o.put("repeats", n);
      return o;
    }
  }

  private static String label(String scenario) {
    switch (scenario) {
      case "push":
        return "plugin push";
      case "put-sync":
        return "/api/put?sync=true";
      case "put-sync-run":
        return "put?sync, 1 run/request";
      case "put":
        return "/api/put (no sync)";
      default:
        return "limit: addPoint loop";
    }
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.0f%%", share * 100);
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // not Linux: leave it out
    }
    return "unknown CPU";
  }

  private static long memoryBytes() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? ((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize() : 0;
  }
}

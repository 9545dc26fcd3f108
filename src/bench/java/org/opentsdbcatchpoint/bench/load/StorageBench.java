package org.opentsdbcatchpoint.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HBase bytes per run stored, with compact storage and as before it: the workload's runs through the
 * plugin's push (whole-number metrics written as OpenTSDB integers, since 0.2), then the same runs'
 * datapoints through the bench's addPoint route with every value a double (how the plugin wrote them
 * before 0.2). Each write has test ids of its own, so that no other scenario's cells mix in. Before the
 * first and after each, {@code --table-size} (a shell command, {@code tsd.sh compact-table tsdb}) flushes
 * and major-compacts the {@code tsdb} table and prints its store files' size ("N bytes"); bytes per run
 * is the growth over the runs written. Writes the figures to {@code --out} for {@code BenchReport}.
 *
 * <p>Arguments are {@code --key=value}: tsd (host:port), token, fixtures, catalog, out, table-size
 * (required), tests, nodes-per-test, seed, clients (8), http (raw or jdk).
 */
public final class StorageBench {
  /** The test ids of the two writes, apart from the load's ({@link Workload#FIRST_TEST_ID}) and each other's. */
  static final long COMPACT_TEST_IDS = 300_000;
  static final long DOUBLE_TEST_IDS = 400_000;
  /** What {@code HBaseTables compact} prints: {@code TABLE: N bytes in F store files ...}. */
  private static final Pattern BYTES = Pattern.compile(": (\\d+) bytes in \\d+ store files");

  private StorageBench() {}

  public static void main(String[] args) throws Exception {
    LoadBench.Options o = new LoadBench.Options(args);
    String[] hostPort = o.string("tsd", "127.0.0.1:4242").split(":");
    String host = hostPort[0];
    int port = Integer.parseInt(hostPort[1]);
    HttpPoster.Factory posters = "jdk".equals(o.string("http", "raw")) ? JdkHttpPoster.FACTORY : RawHttpPoster.FACTORY;
    int clients = o.integer("clients", 8);
    String tableSize = o.string("table-size", null);
    if (tableSize == null) {
      throw new IllegalArgumentException("--table-size=COMMAND is required");
    }
    String token = o.string("token", "");
    // An hour back: a run time no other scenario uses, though the test ids alone keep the cells apart.
    long second = Instant.now().getEpochSecond() - 3600;

    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    long before = tableBytes(tableSize);
    Workload compact = workload(o, COMPACT_TEST_IDS);
    double pushSeconds = LoadBench.sendAll(Scenario.push(token), new RunSequence(compact, second), compact.size(),
        clients, posters, host, port);
    long afterCompact = tableBytes(tableSize);
    Workload doubles = workload(o, DOUBLE_TEST_IDS);
    double doubleSeconds = LoadBench.sendAll(Scenario.addPointDoubles(token), new RunSequence(doubles, second),
        doubles.size(), clients, posters, host, port);
    long afterDoubles = tableBytes(tableSize);

    root.put("finished", Instant.now().toString());
    root.put("table", "tsdb");
    root.put("clients", clients);
    ObjectNode sizes = root.putObject("table_bytes");
    sizes.put("before", before);
    sizes.put("after_compact", afterCompact);
    sizes.put("after_double", afterDoubles);
    root.set("compact", figures(json, "plugin push (0.2 on: whole numbers as integers)", compact,
        afterCompact - before, pushSeconds));
    root.set("double", figures(json, "every value a double (before 0.2), addPoint route", doubles,
        afterDoubles - afterCompact, doubleSeconds));
    root.put("compact_over_double", (double) (afterCompact - before) / (afterDoubles - afterCompact));
    Path out = o.path("out");
    Files.createDirectories(out.toAbsolutePath().getParent());
    json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), root);
    LoadBench.log("storage: %.0f bytes a run with compact storage, %.0f as doubles (%d runs each); written to %s",
        root.path("compact").path("bytes_per_run").asDouble(), root.path("double").path("bytes_per_run").asDouble(),
        compact.size(), out);
  }

  private static Workload workload(LoadBench.Options o, long firstTestId) throws Exception {
    return Workload.build(o.path("fixtures"), o.path("catalog"), o.integer("tests", 400),
        o.integer("nodes-per-test", 10), o.integer("seed", 1), firstTestId);
  }

  private static ObjectNode figures(ObjectMapper json, String how, Workload w, long bytes, double seconds) {
    ObjectNode f = json.createObjectNode();
    f.put("how", how);
    f.put("runs", w.size());
    f.put("points", w.points());
    f.put("bytes", bytes);
    f.put("bytes_per_run", (double) bytes / w.size());
    f.put("bytes_per_point", (double) bytes / w.points());
    f.put("write_seconds", seconds);
    return f;
  }

  /** Runs the command (bash -c), shows what it printed, and returns the "N bytes" of its output. */
  private static long tableBytes(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output;
    try (InputStream in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int exit = p.waitFor();
    LoadBench.log("storage: %s", output.trim().replace("\n", "\n[bench]   "));
    Matcher m = BYTES.matcher(output);
    if (exit != 0 || !m.find()) {
      throw new IllegalStateException("'" + command + "' failed (exit " + exit + "): " + output);
    }
    return Long.parseLong(m.group(1));
  }
}

package org.opentsdbcatchpoint.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A second OpenTSDB 2.4.1 for the relay: an extra TSD of the end-to-end stack (integration-tests/tsd.sh
 * tsd-start, without the plugin) on the stack's HBase but on tables of its own, so that it is a cluster
 * of its own as far as data goes: nothing it stores is seen by the stack's TSD, and the other way round.
 */
final class RelayTsd {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "catchpoint-relay-";
  private static final List<String> TABLES = Arrays.asList(PREFIX + "tsdb-uid:id,name", PREFIX + "tsdb:t",
      PREFIX + "tsdb-tree:t", PREFIX + "tsdb-meta:name");

  final String name;
  final int port;
  private final Path conf;

  RelayTsd(String name, Path dir) throws IOException {
    this.name = name;
    this.port = RealServers.freePort();
    this.conf = dir.resolve(name + "-opentsdb.conf");
    Files.write(conf, Arrays.asList(
        "# A TSD of its own tables: the relay's second cluster.",
        "tsd.storage.hbase.data_table = " + PREFIX + "tsdb",
        "tsd.storage.hbase.uid_table = " + PREFIX + "tsdb-uid",
        "tsd.storage.hbase.tree_table = " + PREFIX + "tsdb-tree",
        "tsd.storage.hbase.meta_table = " + PREFIX + "tsdb-meta"), StandardCharsets.UTF_8);
  }

  /** The stack's TSD, for checking that nothing of the relay's reaches it. */
  static String stackTsdUrl() {
    return required("it.tsd.url");
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  String putUrl() {
    return url() + "/api/put";
  }

  /** Creates its tables in the stack's HBase, those that are missing (a few seconds: it compiles a tool). */
  void createTables() throws IOException, InterruptedException {
    tsdSh(concat("create-tables", TABLES));
  }

  /** Starts it (a restart when it runs) and waits until it answers. */
  void start() throws IOException, InterruptedException {
    tsdSh(Arrays.asList("tsd-start", name));
  }

  /** SIGTERM, as an operator's stop; waits until it is gone. */
  void stop() throws IOException, InterruptedException {
    tsdSh(Arrays.asList("tsd-stop", name));
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> out = new ArrayList<>();
    out.add(first);
    out.addAll(rest);
    return out;
  }

  private void tsdSh(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(Arrays.asList("bash", required("it.stack.script")));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("STACK_DIR", required("it.stack.dir"));
    pb.environment().put("EXTRA_TSD_PORT", Integer.toString(port));
    pb.environment().put("TSD_CONF_EXTRA", conf.toAbsolutePath().toString());
    pb.environment().put("STACK_NO_PLUGIN", "1");
    Process p = pb.start();
    byte[] out = RealServers.readAll(p);
    if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("tsd.sh " + String.join(" ", args) + " failed:\n"
          + new String(out, StandardCharsets.UTF_8));
    }
  }

  private static String required(String key) {
    String v = System.getProperty(key);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException("system property " + key + " is not set: run the end-to-end tests "
          + "through 'mvn verify', which starts the stack");
    }
    return v;
  }

  /**
   * Every point of a metric that a TSD holds between two seconds, each series apart (aggregator none):
   * "metric {tags} second" -> value; empty when the TSD does not know the metric.
   */
  static Map<String, Double> points(String baseUrl, String metric, long start, long end) throws IOException {
    URL url = new URL(baseUrl + "/api/query?start=" + start + "&end=" + end + "&m="
        + URLEncoder.encode("none:" + metric, "UTF-8"));
    HttpURLConnection c = (HttpURLConnection) url.openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(60_000);
    int status = c.getResponseCode();
    String body;
    try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
      body = in == null ? "" : new String(RealServers.readFully(in), StandardCharsets.UTF_8);
    }
    Map<String, Double> out = new TreeMap<>();
    if (status == 400 && body.contains("No such name")) {
      return out;
    }
    if (status != 200) {
      throw new IOException("query of " + metric + " at " + baseUrl + " answered " + status + ": " + body);
    }
    for (JsonNode s : JSON.readTree(body)) {
      Map<String, String> tags = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = s.path("tags").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> t = it.next();
        tags.put(t.getKey(), t.getValue().asText());
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = s.path("dps").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> d = it.next();
        out.put(s.path("metric").asText() + " " + tags + " " + d.getKey(), d.getValue().asDouble());
      }
    }
    return out;
  }
}

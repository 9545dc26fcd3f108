package org.opentsdbcatchpoint.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The versions and the settings of the TSD under test that the figures depend on, for the report. */
final class TsdFacts {
  /** Setting and the default that applies when opentsdb.conf does not set it. */
  private static final String[][] SETTINGS = {
    {"hbase.rpcs.buffered_flush_interval", "1000"}, {"hbase.rpcs.batch.size", "1024"},
    {"hbase.timer.tick", "20"}, {"tsd.storage.enable_compaction", "true"}, {"tsd.storage.max_tags", "8"},
    {"tsd.plugin.catchpoint.push.write_threads", "4"},
    // Netty's I/O threads and the TSD's cap on connections: what 128 clients' connections meet.
    {"tsd.network.worker_threads", "2 × cores"}, {"tsd.core.connections.limit", "0"},
  };

  private TsdFacts() {}

  static JsonNode read(String host, int port) throws IOException, InterruptedException {
    ObjectMapper json = new ObjectMapper();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String base = "http://" + host + ":" + port;
    ObjectNode facts = json.createObjectNode();
    // The 2.4.1 jar on Maven Central answers "BuildData" as its version: the revision is what identifies it.
    facts.put("opentsdb_revision", get(http, json, base + "/api/version").path("short_revision").asText());
    facts.put("plugin", get(http, json, base + "/plugin/catchpoint/health").path("version").asText());
    JsonNode config = get(http, json, base + "/api/config");
    ObjectNode settings = facts.putObject("settings");
    for (String[] s : SETTINGS) {
      String set = config.path(s[0]).asText("");
      settings.put(s[0], set.isEmpty() ? s[1] + " (default)" : set);
    }
    return facts;
  }

  private static JsonNode get(HttpClient http, ObjectMapper json, String url) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return json.readTree(r.body());
  }
}

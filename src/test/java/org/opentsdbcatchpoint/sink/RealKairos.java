package org.opentsdbcatchpoint.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A real KairosDB 1.3.0 (H2 datastore, from Maven Central: integration-tests/forwarders.sh), read back
 * through its own query API, {@code /api/v1/datapoints/query}.
 */
final class RealKairos extends RealServers {
  static final ObjectMapper JSON = new ObjectMapper();
  final int httpPort;

  RealKairos(String name) throws IOException {
    super("kairos", name);
    httpPort = freePort();
    env.put("KAIROS_HTTP_PORT", Integer.toString(httpPort));
    env.put("KAIROS_TELNET_PORT", Integer.toString(freePort()));
  }

  String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  String writeUrl() {
    return url() + "/api/v1/datapoints";
  }

  /**
   * Every point of a metric, each series apart: "metric {tags} milliseconds" -> value. Grouped by every
   * tag name the metric has, so that each group is one series and its tags are that series' own.
   */
  Map<String, Double> points(String metric) throws IOException {
    ObjectNode q = JSON.createObjectNode();
    q.put("start_absolute", 1);
    ObjectNode m = q.putArray("metrics").addObject();
    m.put("name", metric);
    JsonNode tags = post("/api/v1/datapoints/query/tags", q).path("queries").path(0).path("results").path(0)
        .path("tags");
    if (tags.size() > 0) {
      ArrayNode names = m.putArray("group_by").addObject().put("name", "tag").putArray("tags");
      for (Iterator<String> it = tags.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
    }
    Map<String, Double> out = new TreeMap<>();
    for (JsonNode r : post("/api/v1/datapoints/query", q).path("queries").path(0).path("results")) {
      Map<String, String> seriesTags = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = r.path("tags").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> t = it.next();
        if (t.getValue().size() != 1) {
          throw new IllegalStateException("a group of " + metric + " holds more than one series: " + r.path("tags"));
        }
        seriesTags.put(t.getKey(), t.getValue().path(0).asText());
      }
      for (JsonNode v : r.path("values")) {
        out.put(r.path("name").asText() + " " + seriesTags + " " + v.path(0).asLong(), v.path(1).asDouble());
      }
    }
    return out;
  }

  /** How many points of a metric KairosDB holds. */
  long count(String metric) throws IOException {
    return points(metric).size();
  }

  JsonNode post(String path, JsonNode body) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url() + path).openConnection();
    c.setRequestMethod("POST");
    c.setConnectTimeout(5000);
    c.setReadTimeout(60_000);
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/json");
    try (OutputStream o = c.getOutputStream()) {
      o.write(JSON.writeValueAsBytes(body));
    }
    int status = c.getResponseCode();
    try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
      String text = in == null ? "" : new String(readFully(in), StandardCharsets.UTF_8);
      if (status != 200) {
        throw new IOException("KairosDB answered " + status + " to " + path + ": " + text);
      }
      return JSON.readTree(text);
    }
  }
}

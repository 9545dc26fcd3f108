package org.opentsdbcatchpoint.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A real InfluxDB 1.x (Debian influxdb), read back with /query. */
final class RealInflux extends RealServers {
  private static final ObjectMapper JSON = new ObjectMapper();
  final int httpPort;

  RealInflux(String name) throws IOException {
    super("influx", name);
    httpPort = freePort();
    env.put("INFLUX_HTTP_PORT", Integer.toString(httpPort));
    env.put("INFLUX_RPC_PORT", Integer.toString(freePort()));
  }

  String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** POST /query (for CREATE DATABASE and the like). */
  JsonNode command(String q) throws IOException {
    return call("POST", "/query?q=" + URLEncoder.encode(q, "UTF-8"));
  }

  /** GET /query with epoch seconds. */
  JsonNode query(String db, String q) throws IOException {
    return call("GET", "/query?epoch=s&db=" + URLEncoder.encode(db, "UTF-8") + "&q=" + URLEncoder.encode(q, "UTF-8"));
  }

  private JsonNode call(String method, String pathAndQuery) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url() + pathAndQuery).openConnection();
    c.setRequestMethod(method);
    c.setConnectTimeout(5000);
    c.setReadTimeout(30_000);
    if ("POST".equals(method)) {
      c.setDoOutput(true);
      try (OutputStream o = c.getOutputStream()) {
        o.write(new byte[0]);
      }
    }
    int status = c.getResponseCode();
    try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
      String body = new String(readFully(in), StandardCharsets.UTF_8);
      if (status != 200) {
        throw new IOException("InfluxDB answered " + status + ": " + body);
      }
      JsonNode n = JSON.readTree(body);
      JsonNode error = n.path("results").path(0).path("error");
      if (!error.isMissingNode()) {
        throw new IOException("InfluxDB query error: " + error.asText());
      }
      return n;
    }
  }
}

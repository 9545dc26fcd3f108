package org.opentsdbcatchpoint.sink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;

/** A real InfluxDB 1.x (Debian influxdb), read back with /query. */
final class RealInflux extends RealServers {
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
    return InfluxHttp.call(url(), method, pathAndQuery, 30_000);
  }
}

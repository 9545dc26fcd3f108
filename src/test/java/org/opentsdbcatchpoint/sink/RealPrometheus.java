package org.opentsdbcatchpoint.sink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** A real Prometheus (Debian prometheus) taking remote write, read back with /api/v1/query. */
final class RealPrometheus extends RealServers {
  final int port;

  RealPrometheus(String name) throws IOException {
    super("prometheus", name);
    port = freePort();
    env.put("PROM_PORT", Integer.toString(port));
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  String writeUrl() {
    return url() + "/api/v1/write";
  }

  /** An instant query at {@code timeSeconds}: a range selector gives every raw sample. */
  JsonNode query(String promql, long timeSeconds) throws IOException {
    return PrometheusHttp.query(url(), promql, timeSeconds, 30_000);
  }
}

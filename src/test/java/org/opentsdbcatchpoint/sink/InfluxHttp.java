package org.opentsdbcatchpoint.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/** InfluxDB 1.x's /query over HTTP, for the tests and the bench that read a real InfluxDB back. */
public final class InfluxHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InfluxHttp() {}

  /**
   * Calls {@code baseUrl + pathAndQuery}; an HTTP error or a query error in the first result is an
   * IOException carrying InfluxDB's words.
   */
  public static JsonNode call(String baseUrl, String method, String pathAndQuery, int readTimeoutMs)
      throws IOException {
    URL url = new URL(baseUrl.replaceAll("/+$", "") + pathAndQuery);
    HttpURLConnection c = (HttpURLConnection) url.openConnection();
    c.setRequestMethod(method);
    c.setConnectTimeout(5000);
    c.setReadTimeout(readTimeoutMs);
    if ("POST".equals(method)) {
      c.setDoOutput(true);
      try (OutputStream o = c.getOutputStream()) {
        o.write(new byte[0]);
      }
    }
    int status = c.getResponseCode();
    try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
      String body = new String(RealServers.readFully(in), StandardCharsets.UTF_8);
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

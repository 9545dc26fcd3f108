package org.opentsdbcatchpoint.sink;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** Prometheus's /api/v1/query over HTTP, for the tests and the bench that read a real Prometheus back. */
public final class PrometheusHttp {
  /** Times as exact decimals, not doubles. */
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private PrometheusHttp() {}

  /** The {@code data.result} of an instant query; an HTTP or query error is an IOException with Prometheus's words. */
  public static JsonNode query(String baseUrl, String promql, long timeSeconds, int readTimeoutMs) throws IOException {
    URL url = new URL(baseUrl.replaceAll("/+$", "") + "/api/v1/query?query=" + URLEncoder.encode(promql, "UTF-8")
        + "&time=" + timeSeconds);
    HttpURLConnection c = (HttpURLConnection) url.openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(readTimeoutMs);
    int status = c.getResponseCode();
    try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
      String body = new String(RealServers.readFully(in), StandardCharsets.UTF_8);
      JsonNode n = JSON.readTree(body);
      if (status != 200 || !"success".equals(n.path("status").asText())) {
        throw new IOException("Prometheus answered " + status + ": " + body);
      }
      return n.path("data").path("result");
    }
  }

  /**
   * Every sample of a matrix result as {@code "{label=value, ...} milliseconds" -> value}, the labels
   * (with {@code __name__}) sorted: the same shape for what was sent and what is stored.
   */
  public static Map<String, Double> samples(JsonNode matrix) {
    Map<String, Double> out = new TreeMap<>();
    for (JsonNode series : matrix) {
      Map<String, String> labels = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = series.path("metric").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> l = it.next();
        labels.put(l.getKey(), l.getValue().asText());
      }
      for (JsonNode v : series.path("values")) {
        // Seconds with up to three decimals: exact milliseconds without a double in between.
        long millis = v.path(0).decimalValue().movePointRight(3).longValueExact();
        out.put(labels + " " + millis, value(v.path(1).asText()));
      }
    }
    return out;
  }

  /** Prometheus writes values as Go's shortest float text, NaN and +Inf/-Inf included. */
  static double value(String s) {
    switch (s) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        return Double.parseDouble(s);
    }
  }

  /** How many samples a matrix result holds. */
  public static long count(JsonNode matrix) {
    long n = 0;
    for (JsonNode series : matrix) {
      n += series.path("values").size();
    }
    return n;
  }
}

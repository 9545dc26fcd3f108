package org.opentsdbcatchpoint.sink;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP to a Prometheus remote-write receiver (Prometheus with {@code --web.enable-remote-write-receiver},
 * or anything that takes remote write 1.0): {@code POST} of a {@link PrometheusRemoteWrite} request,
 * snappy-compressed, with {@code Content-Encoding: snappy}, {@code Content-Type: application/x-protobuf}
 * and {@code X-Prometheus-Remote-Write-Version: 0.1.0}; basic authentication or a bearer token when set.
 * 2xx is delivered; 5xx and 429 are retried, any other 4xx dropped, as the protocol says
 * ({@link Failure#classify}). JDK only.
 */
public final class PrometheusTransport implements Transport {
  private static final int MAX_ERROR_BODY = 400;
  private final URL writeUrl;
  private final Map<String, String> headers;
  private final int timeoutMillis;
  private final String description;
  private final PrometheusRemoteWrite encoder = new PrometheusRemoteWrite();
  private final Snappy snappy = new Snappy();
  private volatile boolean connected;

  /**
   * @param url the whole write URL, e.g. {@code http://prom:9090/api/v1/write}
   * @param username null for no basic authentication
   * @param token null for no bearer token
   */
  public PrometheusTransport(String url, String username, String password, String token, int timeoutMillis)
      throws IOException {
    this.writeUrl = new URL(url);
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/x-protobuf");
    h.put("Content-Encoding", "snappy");
    h.put("X-Prometheus-Remote-Write-Version", "0.1.0");
    h.put("User-Agent", "opentsdb-catchpoint");
    if (username != null) {
      String basic = username + ":" + (password == null ? "" : password);
      h.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    } else if (token != null) {
      h.put("Authorization", "Bearer " + token);
    }
    this.headers = Collections.unmodifiableMap(h);
    this.timeoutMillis = timeoutMillis;
    this.description = "prometheus remote write " + url;
  }

  @Override
  public int send(PointRing batch) throws IOException {
    Encoded encoded = encoder.encode(batch);
    if (encoded.isEmpty()) {
      return encoded.invalid();
    }
    HttpPost.Answer a;
    try {
      a = HttpPost.post(writeUrl, headers, snappy.compress(encoded.bytes()), timeoutMillis, MAX_ERROR_BODY);
    } catch (IOException | RuntimeException e) {
      connected = false;
      throw e;
    }
    connected = true;
    HttpPost.refuseUnlessOk(a, description, MAX_ERROR_BODY);
    return encoded.invalid();
  }

  URL writeUrl() {
    return writeUrl;
  }

  Map<String, String> headers() {
    return headers;
  }

  @Override
  public boolean connected() {
    return connected;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    connected = false;
  }
}

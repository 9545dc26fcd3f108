package org.opentsdbcatchpoint.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
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
    byte[] body = snappy.compress(encoded.bytes());
    HttpURLConnection c = (HttpURLConnection) writeUrl.openConnection();
    try {
      c.setConnectTimeout(timeoutMillis);
      c.setReadTimeout(timeoutMillis);
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setUseCaches(false);
      c.setInstanceFollowRedirects(false);
      for (Map.Entry<String, String> e : headers.entrySet()) {
        c.setRequestProperty(e.getKey(), e.getValue());
      }
      c.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
      int status = c.getResponseCode();
      String answer = read(status >= 400 ? c.getErrorStream() : c.getInputStream());
      if (status < 200 || status > 299) {
        throw new HttpStatusException(status, "HTTP " + status + " from " + description + ": "
            + (answer.isEmpty() ? "(no body)" : answer), InfluxTransport.retryAfter(c.getHeaderField("Retry-After")));
      }
      connected = true;
      return encoded.invalid();
    } catch (HttpStatusException e) {
      connected = true;
      throw e;
    } catch (IOException | RuntimeException e) {
      connected = false;
      c.disconnect();
      throw e;
    }
  }

  /** Reads the whole answer (so the connection can be reused) and keeps its start for an error message. */
  private static String read(InputStream in) throws IOException {
    if (in == null) {
      return "";
    }
    try (InputStream s = in) {
      ByteArrayOutputStream kept = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      int n;
      while ((n = s.read(buf)) > 0) {
        if (kept.size() < MAX_ERROR_BODY) {
          kept.write(buf, 0, Math.min(n, MAX_ERROR_BODY - kept.size()));
        }
      }
      return new String(kept.toByteArray(), StandardCharsets.UTF_8).trim();
    }
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

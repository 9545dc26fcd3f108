package org.opentsdbcatchpoint.sink;

import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP to InfluxDB: 1.x {@code POST /write?db=&rp=&precision=s} (user and password as Basic
 * authentication) or 2.x {@code POST /api/v2/write?org=&bucket=&precision=s} ({@code Authorization:
 * Token ...}), a gzip body of {@link InfluxLineProtocol} lines. 2xx is delivered; any other status is an
 * {@link HttpStatusException} (with the server's {@code Retry-After}), for {@link Failure#classify} to
 * sort. JDK only: {@link HttpURLConnection}, which keeps connections alive between batches.
 */
public final class InfluxTransport implements Transport {
  private static final int MAX_ERROR_BODY = 400;

  private final URL writeUrl;
  private final Map<String, String> headers;
  private final int timeoutMillis;
  private final String description;
  private final InfluxLineProtocol lines = new InfluxLineProtocol();
  private volatile boolean connected;

  private InfluxTransport(URL writeUrl, Map<String, String> headers, int timeoutMillis, String description) {
    this.writeUrl = writeUrl;
    this.headers = Collections.unmodifiableMap(headers);
    this.timeoutMillis = timeoutMillis;
    this.description = description;
  }

  /**
   * InfluxDB 1.x.
   *
   * @param baseUrl e.g. {@code http://influx:8086} (a path prefix is kept: {@code http://proxy/influx})
   * @param retentionPolicy null for the database's default
   * @param username null for none
   */
  public static InfluxTransport v1(String baseUrl, String database, String retentionPolicy, String username,
      String password, int timeoutMillis) throws IOException {
    StringBuilder q = new StringBuilder("db=").append(encode(database));
    if (retentionPolicy != null) {
      q.append("&rp=").append(encode(retentionPolicy));
    }
    q.append("&precision=s");
    Map<String, String> headers = new LinkedHashMap<>();
    if (username != null) {
      String basic = username + ":" + (password == null ? "" : password);
      headers.put("Authorization",
          "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    }
    common(headers);
    String description = "influxdb 1.x " + trim(baseUrl) + " db=" + database
        + (retentionPolicy == null ? "" : " rp=" + retentionPolicy);
    return new InfluxTransport(new URL(trim(baseUrl) + "/write?" + q), headers, timeoutMillis, description);
  }

  /** InfluxDB 2.x (and 1.8+'s 2.x compatibility endpoint). */
  public static InfluxTransport v2(String baseUrl, String org, String bucket, String token, int timeoutMillis)
      throws IOException {
    String q = "org=" + encode(org) + "&bucket=" + encode(bucket) + "&precision=s";
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Token " + token);
    common(headers);
    return new InfluxTransport(new URL(trim(baseUrl) + "/api/v2/write?" + q), headers, timeoutMillis,
        "influxdb 2.x " + trim(baseUrl) + " org=" + org + " bucket=" + bucket);
  }

  private static void common(Map<String, String> headers) {
    headers.put("Content-Type", "text/plain; charset=utf-8");
    headers.put("Content-Encoding", "gzip");
    headers.put("Accept", "application/json");
  }

  @Override
  public int send(PointRing batch) throws IOException {
    Encoded encoded = lines.encode(batch);
    if (encoded.isEmpty()) {
      return encoded.invalid();
    }
    HttpPost.Answer a;
    try {
      a = HttpPost.post(writeUrl, headers, HttpPost.gzip(encoded.bytes()), timeoutMillis, MAX_ERROR_BODY);
    } catch (IOException | RuntimeException e) {
      connected = false;
      throw e;
    }
    connected = true;
    HttpPost.refuseUnlessOk(a, description, MAX_ERROR_BODY);
    return encoded.invalid();
  }

  private static String trim(String url) {
    String u = url;
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  private static String encode(String s) {
    try {
      return URLEncoder.encode(s, "UTF-8").replace("+", "%20");
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  URL writeUrl() {
    return writeUrl;
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

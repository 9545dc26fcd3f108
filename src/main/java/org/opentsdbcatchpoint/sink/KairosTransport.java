package org.opentsdbcatchpoint.sink;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP to KairosDB: {@code POST /api/v1/datapoints}, a gzip body of {@link KairosJson}. KairosDB answers
 * 204 when it took every point; any other status is an {@link HttpStatusException} for {@link
 * Failure#classify}: a 400 ({@code {"errors":[...]}}, a point it refused) drops the batch, KairosDB
 * having stored the other series of it; 5xx and I/O errors are retried.
 */
public final class KairosTransport implements Transport {
  static final String DEFAULT_PATH = "/api/v1/datapoints";
  private static final int MAX_ERROR_BODY = 400;

  private final URL writeUrl;
  private final Map<String, String> headers;
  private final int timeoutMillis;
  private final String description;
  private final KairosJson json = new KairosJson();
  private volatile boolean connected;

  /**
   * @param url the write URL, e.g. {@code http://kairos:8080/api/v1/datapoints}; one without a path gets
   *     {@value #DEFAULT_PATH}
   */
  public KairosTransport(String url, int timeoutMillis) throws IOException {
    this.writeUrl = HttpPost.withDefaultPath(url, DEFAULT_PATH);
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json; charset=utf-8");
    h.put("Content-Encoding", "gzip");
    h.put("Accept", "application/json");
    this.headers = Collections.unmodifiableMap(h);
    this.timeoutMillis = timeoutMillis;
    this.description = "kairosdb " + writeUrl;
  }

  @Override
  public int send(PointRing batch) throws IOException {
    Encoded encoded = json.encode(batch);
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

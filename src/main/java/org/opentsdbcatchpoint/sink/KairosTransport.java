package org.opentsdbcatchpoint.sink;

import java.io.IOException;
import java.net.URL;

/**
 * HTTP to KairosDB: {@code POST /api/v1/datapoints}, a gzip body of {@link KairosJson}. KairosDB answers
 * 204 when it took every point; any other status is an {@link HttpStatusException} for {@link
 * Failure#classify}: a 400 ({@code {"errors":[...]}}, a point it refused) drops the batch, KairosDB
 * having stored the other series of it; 5xx and I/O errors are retried.
 */
public final class KairosTransport extends HttpTarget {
  static final String DEFAULT_PATH = "/api/v1/datapoints";
  private static final int MAX_ERROR_BODY = 400;

  private final KairosJson json = new KairosJson();

  /**
   * @param url the write URL, e.g. {@code http://kairos:8080/api/v1/datapoints}; one without a path gets
   *     {@value #DEFAULT_PATH}
   */
  public KairosTransport(String url, int timeoutMillis) throws IOException {
    this(HttpPost.withDefaultPath(url, DEFAULT_PATH), timeoutMillis);
  }

  private KairosTransport(URL writeUrl, int timeoutMillis) {
    super(writeUrl, HttpPost.gzipJsonHeaders(), timeoutMillis, "kairosdb " + writeUrl);
  }

  @Override
  public int send(PointRing batch) throws IOException {
    Encoded encoded = json.encode(batch);
    if (encoded.isEmpty()) {
      return encoded.invalid();
    }
    HttpPost.Answer a = post(HttpPost.gzip(encoded.bytes()), MAX_ERROR_BODY);
    HttpPost.refuseUnlessOk(a, describe(), MAX_ERROR_BODY);
    return encoded.invalid();
  }

}

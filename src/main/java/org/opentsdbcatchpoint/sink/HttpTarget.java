package org.opentsdbcatchpoint.sink;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Map;

/**
 * What every HTTP kind of target shares (InfluxDB, Prometheus, KairosDB, OpenTSDB): one write URL, fixed
 * headers, a timeout, a description for logs and {@code /health}, and whether the last post reached the
 * target. A kind encodes its batch and reads the answer its own way; the post itself is {@link #post}.
 */
abstract class HttpTarget implements Transport {
  private final URL writeUrl;
  private final Map<String, String> headers;
  private final int timeoutMillis;
  private final String description;
  private volatile boolean connected;

  HttpTarget(URL writeUrl, Map<String, String> headers, int timeoutMillis, String description) {
    this.writeUrl = writeUrl;
    this.headers = Collections.unmodifiableMap(headers);
    this.timeoutMillis = timeoutMillis;
    this.description = description;
  }

  /** One POST; connected while the target answers at all, whatever its status. */
  final HttpPost.Answer post(byte[] body, int keepBytes) throws IOException {
    try {
      HttpPost.Answer a = HttpPost.post(writeUrl, headers, body, timeoutMillis, keepBytes);
      connected = true;
      return a;
    } catch (IOException | RuntimeException e) {
      connected = false;
      throw e;
    }
  }

  URL writeUrl() {
    return writeUrl;
  }

  Map<String, String> headers() {
    return headers;
  }

  @Override
  public final boolean connected() {
    return connected;
  }

  @Override
  public final String describe() {
    return description;
  }

  @Override
  public void close() {
    connected = false;
  }
}

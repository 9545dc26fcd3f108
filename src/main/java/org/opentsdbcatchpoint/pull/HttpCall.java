package org.opentsdbcatchpoint.pull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP request to Catchpoint. Immutable. Its headers may hold a secret: never log them. */
public final class HttpCall {
  private final String method;
  private final String url;
  private final Map<String, String> headers;
  private final byte[] body;
  private final int timeoutMillis;
  private final long answerDeadlineMillis;
  private final long maxAnswerBytes;

  /** A call whose answer is bounded only by the read timeout. */
  public HttpCall(String method, String url, Map<String, String> headers, byte[] body, int timeoutMillis) {
    this(method, url, headers, body, timeoutMillis, 0, 0);
  }

  /**
   * @param answerDeadlineMillis longest time from sending to the answer's last byte (0: none)
   * @param maxAnswerBytes largest answer body read (0: none)
   */
  public HttpCall(String method, String url, Map<String, String> headers, byte[] body, int timeoutMillis,
      long answerDeadlineMillis, long maxAnswerBytes) {
    this.method = method;
    this.url = url;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.body = body;
    this.timeoutMillis = timeoutMillis;
    this.answerDeadlineMillis = answerDeadlineMillis;
    this.maxAnswerBytes = maxAnswerBytes;
  }

  public String method() {
    return method;
  }

  public String url() {
    return url;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** The request body, or null for none. */
  public byte[] body() {
    return body;
  }

  /** Connect and read timeout: the longest wait for the connection and between two reads. */
  public int timeoutMillis() {
    return timeoutMillis;
  }

  /** Longest time from sending the request to the answer's last byte; 0 for none. */
  public long answerDeadlineMillis() {
    return answerDeadlineMillis;
  }

  /** Largest answer body read; 0 for none. */
  public long maxAnswerBytes() {
    return maxAnswerBytes;
  }

  /** Method and URL, safe to log: the secret is only ever in a header or the body. */
  @Override
  public String toString() {
    return method + " " + url;
  }
}

package org.opentsdbcatchpoint.sink;

import java.io.IOException;

/** A target answered with an HTTP status other than 2xx. */
public final class HttpStatusException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final long retryAfterMillis;

  /**
   * @param message the status and what the target said, shortened
   * @param retryAfterMillis the target's {@code Retry-After}, or 0
   */
  public HttpStatusException(int status, String message, long retryAfterMillis) {
    super(message);
    this.status = status;
    this.retryAfterMillis = retryAfterMillis;
  }

  public int status() {
    return status;
  }

  public long retryAfterMillis() {
    return retryAfterMillis;
  }
}

package org.opentsdbcatchpoint.sink;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * What went wrong with a batch, and whether trying again can help. Every failure a forwarder sees goes
 * through {@link #classify}: the one place that decides between retrying and dropping.
 */
public enum Failure {
  /** The target could not be reached (refused, no route, unknown host): it may come back. */
  CONNECT(true),
  /** Connecting, writing or waiting for the answer took longer than {@code timeout_ms}. */
  TIMEOUT(true),
  /** A TCP connection turned out dead; points sent on it lately are sent again. */
  CONNECTION_LOST(true),
  /** Any other I/O error (reset, broken pipe, a cut answer). */
  IO(true),
  /** HTTP 5xx: the target is there but cannot take the points now. */
  SERVER_ERROR(true),
  /** HTTP 429 (or 408): the target asks to slow down. */
  THROTTLED(true),
  /** Any other HTTP 4xx (a bad line, a field type conflict, no such database, wrong credentials): never succeeds. */
  REJECTED(false),
  /** A bug: an exception that is not about the target. The batch is dropped rather than retried forever. */
  INTERNAL(false);

  private final boolean retryable;

  Failure(boolean retryable) {
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The name in counters: {@code connection_lost}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Sorts a failure: I/O, timeouts, 5xx and 429 are worth retrying; other 4xx and bugs are not. */
  public static Failure classify(Throwable t) {
    if (t instanceof HttpStatusException) {
      int status = ((HttpStatusException) t).status();
      if (status >= 500) {
        return SERVER_ERROR;
      }
      if (status == 429 || status == 408) {
        return THROTTLED;
      }
      return REJECTED;
    }
    if (t instanceof ConnectionLostException) {
      // Noticed while writing: the write's own failure (a timeout, a reset) says more.
      Throwable cause = t.getCause();
      return cause instanceof IOException && !(cause instanceof ConnectionLostException) ? classify(cause)
          : CONNECTION_LOST;
    }
    if (t instanceof SocketTimeoutException) {
      return TIMEOUT;
    }
    if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException) {
      return CONNECT;
    }
    if (t instanceof IOException) {
      return IO;
    }
    return INTERNAL;
  }
}

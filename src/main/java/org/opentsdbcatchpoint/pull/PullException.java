package org.opentsdbcatchpoint.pull;

import java.io.IOException;

/** A pull request that did not give data, sorted into the few kinds the pull side acts on. */
public final class PullException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, and so what to do next. */
  public enum Kind {
    /** 401: v1 refreshes its token once; otherwise the credentials are wrong. */
    UNAUTHORIZED,
    /** v1 said its token expired (in a body, any casing): refresh once and retry. */
    EXPIRED_TOKEN,
    /** 429 asking for a longer wait than a pull may sleep: try again after {@link #retryAtMillis()}. */
    RATE_LIMITED,
    /** 5xx or I/O errors until the attempts ran out. */
    UNAVAILABLE,
    /** A 4xx other than 401/429: retrying the same request never helps. */
    REFUSED,
    /** A 2xx whose body carries an error, or a body that is not Catchpoint's shape. */
    API_ERROR,
    /** The node catalog could not look for the window's unknown nodes in time: the window waits for the next cycle. */
    CATALOG,
    /** Storage did not acknowledge the window's points: the cursor stays, the window is pulled again. */
    STORAGE,
    /** Another TSD took the account's lease: this one writes nothing more of it. */
    LEASE_LOST
  }

  private final Kind kind;
  private final int status;
  private final long retryAtMillis;

  public PullException(Kind kind, int status, String message, Throwable cause) {
    this(kind, status, message, cause, 0);
  }

  public PullException(Kind kind, int status, String message, Throwable cause, long retryAtMillis) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
    this.retryAtMillis = retryAtMillis;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status, or 0 when none arrived. */
  public int status() {
    return status;
  }

  /** For {@link Kind#RATE_LIMITED}: when Catchpoint will take requests again (epoch millis). */
  public long retryAtMillis() {
    return retryAtMillis;
  }

  /** True for the failures a v1 token refresh may cure. */
  public boolean isAuthFailure() {
    return kind == Kind.UNAUTHORIZED || kind == Kind.EXPIRED_TOKEN;
  }
}

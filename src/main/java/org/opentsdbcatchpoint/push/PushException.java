package org.opentsdbcatchpoint.push;

/**
 * A push that cannot be used, with the HTTP status to answer, a stable kind (for clients and stats),
 * a message and where in the request the problem is. Messages never contain secrets.
 */
public final class PushException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String kind;
  private final String where;

  public PushException(int status, String kind, String message, String where) {
    super(message, null, false, false);
    this.status = status;
    this.kind = kind;
    this.where = where;
  }

  public static PushException badRequest(String kind, String message, String where) {
    return new PushException(400, kind, message, where);
  }

  public int status() {
    return status;
  }

  public String kind() {
    return kind;
  }

  /** A path into the payload ({@code Summary.Timestamp}), a position ({@code line 3, column 7}) or a request part. */
  public String where() {
    return where;
  }
}

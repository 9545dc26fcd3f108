package org.opentsdbcatchpoint.pipeline;

/** The store refused a point for good: illegal name, too many tags, unknown metric. */
public final class RejectedPointException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String reason;

  /** @param reason a {@link org.opentsdbcatchpoint.pipeline.SkipReason} word */
  public RejectedPointException(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}

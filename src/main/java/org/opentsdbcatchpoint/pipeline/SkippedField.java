package org.opentsdbcatchpoint.pipeline;

/** A field of a payload that was not written, where it was and why: reported back to the sender. */
public final class SkippedField {
  private final String field;
  private final String reason;
  private final String detail;

  public SkippedField(String field, String reason, String detail) {
    this.field = field;
    this.reason = reason;
    this.detail = detail;
  }

  /** Where in the payload, e.g. {@code Summary.Timing.ContentType}. */
  public String field() {
    return field;
  }

  /** A short stable word ({@link SkipReason}), counted in the stats. */
  public String reason() {
    return reason;
  }

  /** Human-readable detail, may be null. */
  public String detail() {
    return detail;
  }

  @Override
  public String toString() {
    return field + ": " + reason + (detail != null ? " (" + detail + ")" : "");
  }
}

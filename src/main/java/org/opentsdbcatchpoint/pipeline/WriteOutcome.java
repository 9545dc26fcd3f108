package org.opentsdbcatchpoint.pipeline;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/** How a {@link WriteBatch} ended: every point stored, a failure of storage, or its deadline passed. */
public final class WriteOutcome {
  public enum Status {
    /** Storage acknowledged every point that was handed over. */
    STORED,
    /** Storage failed a point (a retry may succeed). */
    FAILED,
    /** The deadline passed, or storage took no point within the wait, before every point was acknowledged. */
    TIMED_OUT
  }

  private final Status status;
  private final long written;
  private final long handedOver;
  private final long failures;
  private final List<SkippedField> skipped;
  private final Map<String, Long> skippedByReason;
  private final Throwable failure;
  private final int unacknowledged;

  WriteOutcome(Status status, long written, long handedOver, long failures, List<SkippedField> skipped,
      Map<String, Long> skippedByReason, Throwable failure, int unacknowledged) {
    this.status = status;
    this.written = written;
    this.handedOver = handedOver;
    this.failures = failures;
    this.skipped = Collections.unmodifiableList(skipped);
    this.skippedByReason = Collections.unmodifiableMap(skippedByReason);
    this.failure = failure;
    this.unacknowledged = unacknowledged;
  }

  public Status status() {
    return status;
  }

  /** Points storage acknowledged. */
  public long written() {
    return written;
  }

  /** Points handed to the writer (acknowledged, failed or still waiting). */
  public long handedOver() {
    return handedOver;
  }

  /** Points storage failed (known so far). */
  public long failures() {
    return failures;
  }

  /**
   * Points not written (over the metric budget, or refused by the store for good), one entry per
   * field and reason, at most {@link WriteBatch#MAX_LISTED}; {@link #skippedByReason} counts them all.
   */
  public List<SkippedField> skipped() {
    return skipped;
  }

  /** Every point not written, counted by reason. */
  public Map<String, Long> skippedByReason() {
    return skippedByReason;
  }

  public long skippedCount() {
    long n = 0;
    for (long v : skippedByReason.values()) {
      n += v;
    }
    return n;
  }

  /** What storage failed with ({@link Status#FAILED}), else null. */
  public Throwable failure() {
    return failure;
  }

  /** Points handed over and not acknowledged when the batch ended. */
  public int unacknowledged() {
    return unacknowledged;
  }

  @Override
  public String toString() {
    return status + ": " + written + " written, skipped " + skippedByReason
        + (failure != null ? ", failure " + failure : "") + (unacknowledged > 0 ? ", " + unacknowledged + " unacknowledged" : "");
  }
}

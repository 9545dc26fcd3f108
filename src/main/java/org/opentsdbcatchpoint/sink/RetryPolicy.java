package org.opentsdbcatchpoint.sink;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The one place that decides what a failure costs: {@link Failure#classify} sorts it, and this says
 * whether the batch is dropped (and counted under which reason) or kept and retried, and when: at once
 * for a connection found dead before anything was written, else after an exponential backoff with
 * jitter, or after the target's {@code Retry-After} when it asks for longer. Used by the sender thread only.
 */
final class RetryPolicy {
  static final long BACKOFF_INITIAL_MILLIS = 100;
  static final long BACKOFF_MAX_MILLIS = 5_000;
  static final long RETRY_AFTER_MAX_MILLIS = 60_000;

  private final Random random;
  private long backoffMillis;
  private int failuresInARow;
  private long retryAt;

  RetryPolicy(Random random) {
    this.random = random;
  }

  /** What to do about one failure. */
  static final class Decision {
    final Failure kind;
    /** The reason the batch is dropped under, or null: kept for a retry. */
    final String dropReason;
    /** The batch itself was attempted (not only found a dead connection before writing). */
    final boolean attempted;
    /** Retried at once, without backoff: a connection found dead is replaced. */
    final boolean atOnce;

    Decision(Failure kind, String dropReason, boolean attempted, boolean atOnce) {
      this.kind = kind;
      this.dropReason = dropReason;
      this.attempted = attempted;
      this.atOnce = atOnce;
    }
  }

  /** The sender may attempt from now on: nothing failed yet. */
  void prime(long now) {
    retryAt = now;
  }

  /**
   * @param batchPoints the points of the failed batch; 0 for a failure noticed while idle
   */
  Decision failed(Exception e, int batchPoints, long now) {
    Failure kind = Failure.classify(e);
    if (!kind.retryable()) {
      return new Decision(kind, kind == Failure.REJECTED ? Forwarder.REJECTED : Forwarder.FAILED, batchPoints > 0,
          false);
    }
    boolean beforeWrite = e instanceof ConnectionLostException && ((ConnectionLostException) e).beforeWrite();
    boolean attempted = batchPoints > 0 && !beforeWrite;
    if (!attempted && failuresInARow == 0) {
      // A connection found dead before writing: reconnect at once (a failing connect backs off).
      retryAt = now;
      return new Decision(kind, null, false, true);
    }
    failuresInARow++;
    long delay = backoff();
    if (e instanceof HttpStatusException) {
      long after = ((HttpStatusException) e).retryAfterMillis();
      delay = Math.max(delay, Math.min(after, RETRY_AFTER_MAX_MILLIS));
    }
    retryAt = now + TimeUnit.MILLISECONDS.toNanos(delay);
    return new Decision(kind, null, attempted, false);
  }

  /**
   * A batch was delivered: the backoff starts over.
   *
   * @return the failed attempts this ends
   */
  int delivered() {
    int failed = failuresInARow;
    backoffMillis = 0;
    failuresInARow = 0;
    return failed;
  }

  boolean ready(long now) {
    return now - retryAt >= 0;
  }

  long retryAt() {
    return retryAt;
  }

  int failuresInARow() {
    return failuresInARow;
  }

  /** Exponential backoff with jitter: 100 ms doubling to 5 s, each wait between half and all of it. */
  private long backoff() {
    backoffMillis = backoffMillis == 0 ? BACKOFF_INITIAL_MILLIS : Math.min(backoffMillis * 2, BACKOFF_MAX_MILLIS);
    return backoffMillis / 2 + (long) (random.nextDouble() * (backoffMillis / 2));
  }
}

package org.opentsdbcatchpoint.pipeline;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;

/**
 * The one write step every source goes through (a push, a pulled window, the benchmark): a
 * {@link WriteBatch} takes the points of one request, holds back derived metric names beyond the
 * {@link MetricBudget}, hands the rest to the {@link Writer}, asks for the flush, and ends with one
 * {@link WriteOutcome} once storage acknowledged every point, failed one, or let the batch's deadline
 * pass.
 *
 * <p>Points handed over and not yet acknowledged are bounded for the whole plugin: when HBase
 * stalls, the points of timed-out requests stay in the HBase client until it answers, and without a
 * bound every later request would add to them. A batch that finds no room waits (within its own
 * bounds) and then times out, so a stalled store costs requests a 503, never the TSD its heap.
 */
public final class WriteStage {
  final Writer writer;
  final MetricBudget budget;
  final ScheduledExecutorService timer;
  final LongSupplier nanoClock;
  final Semaphore inFlight;
  private final int maxInFlight;

  /**
   * @param maxInFlight points handed to the writer and not yet acknowledged, across every batch
   * @param timer fires the batches' deadlines (a thread stuck in the writer cannot)
   */
  public WriteStage(Writer writer, MetricBudget budget, int maxInFlight, ScheduledExecutorService timer,
      LongSupplier nanoClock) {
    this.writer = writer;
    this.budget = budget;
    this.maxInFlight = maxInFlight;
    this.inFlight = new Semaphore(maxInFlight);
    this.timer = timer;
    this.nanoClock = nanoClock;
  }

  /**
   * A batch whose outcome comes by {@code deadlineNanos} (on the stage's clock) at the latest.
   *
   * @param waitMillis the longest wait on storage: for room to hand a point over, and, after
   *     {@link WriteBatch#finish}, for the last acknowledgements
   */
  public WriteBatch open(long deadlineNanos, long waitMillis) {
    return new WriteBatch(this, deadlineNanos, waitMillis, 0);
  }

  /**
   * A batch without a deadline (a pulled window takes as long as its answer), whose every wait on
   * storage is bounded by {@code waitMillis}, with at most {@code maxInFlight} of its own points
   * unacknowledged so that it cannot take the whole stage's room.
   */
  public WriteBatch openStream(long waitMillis, int maxInFlight) {
    return new WriteBatch(this, Long.MAX_VALUE, waitMillis, maxInFlight);
  }

  public MetricBudget budget() {
    return budget;
  }

  /** Points handed over and not yet acknowledged, now. */
  public int pointsInFlight() {
    return maxInFlight - inFlight.availablePermits();
  }

  public int maxPointsInFlight() {
    return maxInFlight;
  }
}

package org.opentsdbcatchpoint.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * The points of one request on their way to storage (see {@link WriteStage}). One thread writes
 * ({@link #write}, then {@link #finish}); acknowledgements arrive on storage's threads and the
 * deadline on the stage's timer, so the outcome comes on time even while the writing thread is stuck
 * in the store (OpenTSDB assigns a new UID with a blocking call). After the outcome, {@link #write}
 * takes nothing more: the work a timed-out request leaves behind is what it had handed over.
 */
public final class WriteBatch {
  /** Skipped fields listed one by one in an outcome; beyond this they are only counted. */
  public static final int MAX_LISTED = 1000;

  private final WriteStage stage;
  private final MetricBudget.Allowance allowance;
  private final long deadlineNanos;
  private final long waitMillis;
  /** The batch's own bound on unacknowledged points; null when only the stage's applies. */
  private final Semaphore own;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong handedOver = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CompletableFuture<WriteOutcome> outcome = new CompletableFuture<>();
  private final Map<String, SkippedField> listed = new LinkedHashMap<>();
  private final Map<String, Long> skippedByReason = new LinkedHashMap<>();
  private final BiConsumer<Void, Throwable> acknowledged = this::acknowledged;
  private volatile boolean finished;
  private volatile ScheduledFuture<?> timer;

  WriteBatch(WriteStage stage, long deadlineNanos, long waitMillis, int maxInFlight) {
    this.stage = stage;
    this.allowance = stage.budget.allowance();
    this.deadlineNanos = deadlineNanos;
    this.waitMillis = waitMillis;
    this.own = maxInFlight > 0 ? new Semaphore(maxInFlight) : null;
    if (deadlineNanos != Long.MAX_VALUE) {
      endAfter(Math.max(0, deadlineNanos - stage.nanoClock.getAsLong()), TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Hands one point over, waiting while too many are unacknowledged. A point over the metric budget,
   * or one the store refuses for good, is skipped (the batch goes on).
   *
   * @return false when the batch takes no more points: it has its outcome (deadline, failure) or
   *     storage took nothing within the wait
   */
  public boolean write(DataPoint p) throws InterruptedException {
    if (outcome.isDone()) {
      return false;
    }
    String refusal = allowance.refusal(p.metric());
    if (refusal != null) {
      skip(p.metric(), SkipReason.METRIC_BUDGET, refusal);
      return true;
    }
    return handOver(p);
  }

  /** A point within the budget: waits for room, then gives it to the writer. */
  private boolean handOver(DataPoint p) throws InterruptedException {
    if (outcome.isDone()) {
      return false;
    }
    if (!acquire()) {
      end(WriteOutcome.Status.TIMED_OUT);
      return false;
    }
    if (outcome.isDone()) { // the deadline passed while waiting for room
      release();
      return false;
    }
    CompletableFuture<Void> ack;
    try {
      ack = stage.writer.write(p);
    } catch (RejectedPointException e) {
      release();
      if (SkipReason.UNKNOWN_METRIC.equals(e.reason())) {
        stage.budget.notCreated(p.metric());
      }
      skip(p.metric(), e.reason(), e.getMessage());
      return true;
    } catch (RuntimeException e) {
      release();
      failed(e);
      return false;
    }
    pending.incrementAndGet();
    handedOver.incrementAndGet();
    ack.whenComplete(acknowledged);
    return true;
  }

  /**
   * Hands a group of points over (a push's, a chunk of a pulled window): the names they need are
   * readied by the store all at once, then each point goes as {@link #write} sends it.
   *
   * @return false when the batch takes no more points
   */
  public boolean writeAll(List<DataPoint> points) throws InterruptedException {
    List<DataPoint> admitted = new ArrayList<>(points.size());
    for (DataPoint p : points) {
      String refusal = allowance.refusal(p.metric());
      if (refusal != null) {
        skip(p.metric(), SkipReason.METRIC_BUDGET, refusal);
      } else {
        admitted.add(p);
      }
    }
    if (!admitted.isEmpty() && !ready(stage.writer.prepare(admitted))) {
      end(WriteOutcome.Status.TIMED_OUT);
      return false;
    }
    for (DataPoint p : admitted) {
      if (!handOver(p)) {
        return false;
      }
    }
    return true;
  }

  /** Waits for the store's preparation within the batch's bounds. */
  private boolean ready(CompletableFuture<Void> prepared) throws InterruptedException {
    if (prepared.isDone()) {
      return true;
    }
    long wait = TimeUnit.MILLISECONDS.toNanos(waitMillis);
    if (deadlineNanos != Long.MAX_VALUE) {
      wait = Math.min(wait, deadlineNanos - stage.nanoClock.getAsLong());
    }
    try {
      prepared.get(Math.max(0, wait), TimeUnit.NANOSECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return true; // a failed preparation costs only speed: the store writes its own way
    }
  }

  /** Every point was handed over: flushes the store and returns the outcome to come. */
  public CompletableFuture<WriteOutcome> finish() {
    stage.writer.flush();
    finished = true;
    if (pending.get() == 0) {
      end(failure.get() == null ? WriteOutcome.Status.STORED : WriteOutcome.Status.FAILED);
    } else if (deadlineNanos == Long.MAX_VALUE) {
      endAfter(waitMillis, TimeUnit.MILLISECONDS);
    }
    return outcome;
  }

  /** Points handed to the writer so far (the outcome holds the count at its time). */
  public long handedOver() {
    return handedOver.get();
  }

  /** Points skipped so far. */
  public long skipped() {
    synchronized (listed) {
      long n = 0;
      for (long v : skippedByReason.values()) {
        n += v;
      }
      return n;
    }
  }

  /** The outcome, when it comes (with the deadline, possibly before {@link #finish}). */
  public CompletableFuture<WriteOutcome> outcome() {
    return outcome;
  }

  /** Ends the batch before anything was written (its request was not taken after all). */
  public void abandon() {
    end(WriteOutcome.Status.TIMED_OUT);
  }

  private void acknowledged(Void ignored, Throwable error) {
    release();
    if (error != null) {
      failed(error);
    } else {
      written.incrementAndGet();
    }
    if (pending.decrementAndGet() == 0 && finished) {
      end(failure.get() == null ? WriteOutcome.Status.STORED : WriteOutcome.Status.FAILED);
    }
  }

  /** A failed point fails the batch at once: the request is answered (and retried) without waiting for the rest. */
  private void failed(Throwable error) {
    failures.incrementAndGet();
    failure.compareAndSet(null, error);
    end(WriteOutcome.Status.FAILED);
  }

  private void end(WriteOutcome.Status status) {
    if (outcome.isDone()) {
      return;
    }
    WriteOutcome o;
    synchronized (listed) {
      o = new WriteOutcome(status, written.get(), handedOver.get(), failures.get(), new ArrayList<>(listed.values()),
          new LinkedHashMap<>(skippedByReason), failure.get(), pending.get());
    }
    if (outcome.complete(o)) {
      ScheduledFuture<?> t = timer;
      if (t != null) {
        t.cancel(false);
      }
    }
  }

  private void endAfter(long delay, TimeUnit unit) {
    try {
      timer = stage.timer.schedule(() -> end(WriteOutcome.Status.TIMED_OUT), delay, unit);
    } catch (RejectedExecutionException stopping) {
      end(WriteOutcome.Status.TIMED_OUT);
    }
  }

  private void skip(String field, String reason, String detail) {
    synchronized (listed) {
      skippedByReason.merge(reason, 1L, Long::sum);
      String key = field + '\n' + reason;
      if (listed.size() < MAX_LISTED && !listed.containsKey(key)) {
        listed.put(key, new SkippedField(field, reason, detail));
      }
    }
  }

  private boolean acquire() throws InterruptedException {
    if (own != null && !take(own)) {
      return false;
    }
    if (!take(stage.inFlight)) {
      if (own != null) {
        own.release();
      }
      return false;
    }
    return true;
  }

  private boolean take(Semaphore s) throws InterruptedException {
    if (s.tryAcquire()) {
      return true;
    }
    // No room: send what the store buffered rather than wait for its timer.
    stage.writer.flush();
    long wait = TimeUnit.MILLISECONDS.toNanos(waitMillis);
    if (deadlineNanos != Long.MAX_VALUE) {
      wait = Math.min(wait, deadlineNanos - stage.nanoClock.getAsLong());
    }
    return wait > 0 && s.tryAcquire(wait, TimeUnit.NANOSECONDS);
  }

  private void release() {
    stage.inFlight.release();
    if (own != null) {
      own.release();
    }
  }
}

package org.opentsdbcatchpoint.pull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.sink.RejectedPointException;
import org.opentsdbcatchpoint.sink.Writer;

/**
 * Writes one window's points and then waits until storage acknowledged every one of them. At most
 * {@code maxInFlight} points wait for their acknowledgement at a time, so a huge answer is written at
 * the pace storage takes it and memory stays flat. A point storage refuses for good (illegal name,
 * unknown metric) is counted, not retried, and does not hold the cursor back.
 */
final class WindowWrite {
  private final Writer writer;
  private final int maxInFlight;
  private final long ackTimeoutMillis;
  private final Semaphore inFlight;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  WindowWrite(Writer writer, int maxInFlight, long ackTimeoutMillis) {
    this.writer = writer;
    this.maxInFlight = maxInFlight;
    this.ackTimeoutMillis = ackTimeoutMillis;
    this.inFlight = new Semaphore(maxInFlight);
  }

  void write(DataPoint point) throws InterruptedException, PullException {
    failIfFailed();
    if (!inFlight.tryAcquire()) {
      // Full: send what the store buffered rather than wait for its timer.
      writer.flush();
      if (!inFlight.tryAcquire(ackTimeoutMillis, TimeUnit.MILLISECONDS)) {
        throw new PullException(PullException.Kind.STORAGE, 0, "storage acknowledged no point for "
            + ackTimeoutMillis + " ms", null);
      }
    }
    CompletableFuture<Void> ack;
    try {
      ack = writer.write(point);
    } catch (RejectedPointException e) {
      inFlight.release();
      rejected.incrementAndGet();
      return;
    } catch (RuntimeException e) {
      inFlight.release();
      throw new PullException(PullException.Kind.STORAGE, 0, "storage refused a write: " + e, e);
    }
    ack.whenComplete((ok, error) -> {
      if (error != null) {
        failure.compareAndSet(null, error);
      } else {
        written.incrementAndGet();
      }
      inFlight.release();
    });
  }

  /** Returns once every point was acknowledged; throws when one was not. */
  void awaitAcknowledged() throws InterruptedException, PullException {
    writer.flush();
    if (!inFlight.tryAcquire(maxInFlight, ackTimeoutMillis, TimeUnit.MILLISECONDS)) {
      throw new PullException(PullException.Kind.STORAGE, 0, "storage did not acknowledge the window's points within "
          + ackTimeoutMillis + " ms", null);
    }
    inFlight.release(maxInFlight);
    failIfFailed();
  }

  long written() {
    return written.get();
  }

  long rejected() {
    return rejected.get();
  }

  private void failIfFailed() throws PullException {
    Throwable t = failure.get();
    if (t != null) {
      throw new PullException(PullException.Kind.STORAGE, 0, "storage failed to write a point: " + t, t);
    }
  }
}

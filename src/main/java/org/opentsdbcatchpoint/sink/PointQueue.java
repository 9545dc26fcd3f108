package org.opentsdbcatchpoint.sink;

import java.util.concurrent.TimeUnit;
import org.opentsdbcatchpoint.pipeline.DataPoint;

/**
 * The bounded queue between the threads that offer points and the sender: {@link #offer} never waits
 * for the sender, whatever the target does. When it is full it refuses the new point ({@code
 * drop=newest}) or makes room by forgetting its oldest ({@code drop=oldest}); once closed it refuses
 * everything. The lock is held only to copy a point in or a few out, never during a send.
 */
final class PointQueue {
  /** What became of an offered point. */
  enum Offered {
    /** Queued. */
    TAKEN,
    /** Queued in place of the oldest point, which is lost. */
    TAKEN_OLDEST_LOST,
    /** Refused: the queue is full. */
    FULL,
    /** Refused: the forwarder has shut down. */
    CLOSED
  }

  private final PointRing ring;
  private final boolean dropOldest;
  private boolean closed;
  /** The depth at which the waiting sender wants to be woken; none while it does not wait. */
  private int wakeAt = Integer.MAX_VALUE;

  PointQueue(int capacity, Forwarder.Drop drop) {
    this.ring = new PointRing(capacity);
    this.dropOldest = drop == Forwarder.Drop.OLDEST;
  }

  synchronized Offered offer(DataPoint p) {
    if (closed) {
      return Offered.CLOSED;
    }
    Offered offered = Offered.TAKEN;
    if (ring.room() == 0) {
      if (!dropOldest) {
        return Offered.FULL;
      }
      ring.removeOldest(1);
      offered = Offered.TAKEN_OLDEST_LOST;
    }
    ring.add(p);
    if (ring.size() >= wakeAt) {
      wakeAt = Integer.MAX_VALUE;
      notifyAll();
    }
    return offered;
  }

  synchronized int size() {
    return ring.size();
  }

  /** Moves the oldest points, at most {@code max}, to the end of {@code to}, which has room for them. */
  synchronized int moveTo(PointRing to, int max) {
    int n = Math.min(max, ring.size());
    ring.copyOldest(n, to);
    ring.removeOldest(n);
    return n;
  }

  /** Forgets the oldest points, at most {@code max}. */
  synchronized int removeOldest(int max) {
    int n = Math.min(max, ring.size());
    ring.removeOldest(n);
    return n;
  }

  /**
   * Waits at most {@code nanos} for the queue to hold {@code points}: the sender's pause when it has
   * nothing to do before then.
   */
  synchronized void await(int points, long nanos) throws InterruptedException {
    if (ring.size() >= points || closed) {
      return;
    }
    wakeAt = points;
    try {
      TimeUnit.NANOSECONDS.timedWait(this, nanos);
    } finally {
      wakeAt = Integer.MAX_VALUE;
    }
  }

  /** Ends a wait at once (shutdown). */
  synchronized void wake() {
    notifyAll();
  }

  /**
   * Refuses every point from now on.
   *
   * @return the points it still held, forgotten
   */
  synchronized int close() {
    closed = true;
    int left = ring.size();
    ring.clear();
    notifyAll();
    return left;
  }
}

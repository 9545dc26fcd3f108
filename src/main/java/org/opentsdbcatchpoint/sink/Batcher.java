package org.opentsdbcatchpoint.sink;

import java.util.ArrayDeque;
import java.util.List;
import java.util.ListIterator;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The sender's points: those it took from the queue and, ahead of them, those a dead connection handed
 * back to be written again as they were encoded. It holds at most {@code retry_buffer} points in all;
 * beyond that the oldest are given up, counted as {@code dropped.retry_buffer_full} ({@code drop=newest}
 * stops taking from the queue instead). Batches are cut from the head, in order: when {@code batch_size}
 * points are there, at each flush interval (plus up to a tenth, so that many TSDs do not all flush in the
 * same instant), and at once while draining at shutdown. A batch stays at the head until it is delivered
 * or dropped. Used by the sender thread only, except {@link #depth}.
 */
final class Batcher {
  /**
   * The most points moved from the queue under its lock at a time: the callers of offer wait for that
   * lock, so each hold is kept to a few microseconds.
   */
  static final int MOVE_CHUNK = 256;

  private final int batchSize;
  private final int capacity;
  private final boolean dropNewest;
  private final long flushNanos;
  private final Random random;
  private final ForwardStats stats;
  private final ArrayDeque<EncodedPoints> replays = new ArrayDeque<>();
  private int replayPoints;
  private final PointRing points;
  private final PointRing batch;
  private long nextFlush;
  private volatile int depth;

  Batcher(Forwarder.Options options, Random random, ForwardStats stats) {
    this(options, options.batchSize, random, stats);
  }

  /** @param batchSize the points of a batch: {@code batch_size}, or fewer under a rate limit */
  Batcher(Forwarder.Options options, int batchSize, Random random, ForwardStats stats) {
    this.batchSize = batchSize;
    this.capacity = options.retryBuffer;
    this.dropNewest = options.drop == Forwarder.Drop.NEWEST;
    this.flushNanos = TimeUnit.MILLISECONDS.toNanos(options.flushIntervalMillis);
    this.random = random;
    this.stats = stats;
    this.points = new PointRing(capacity);
    this.batch = new PointRing(batchSize);
  }

  /** The first flush is one interval from now. */
  void prime(long now) {
    nextFlush = now + flushInterval();
  }

  /** The points held; read from any thread. */
  int depth() {
    return depth;
  }

  boolean isEmpty() {
    return held() == 0;
  }

  /**
   * Takes what the queue holds now (no more: a producer faster than the target cannot keep the sender
   * filling forever), a few at a time; with {@code drop=newest} only while there is room.
   */
  void fill(PointQueue queue) {
    int budget = queue.size();
    while (budget > 0) {
      int room = capacity - held();
      if (room == 0) {
        if (dropNewest) {
          break;
        }
        dropOldest(Math.min(Math.min(budget, MOVE_CHUNK), capacity)); // the oldest make room for the newer
        continue;
      }
      int moved = queue.moveTo(points, Math.min(Math.min(room, budget), MOVE_CHUNK));
      if (moved == 0) {
        break;
      }
      budget -= moved;
    }
    publish();
  }

  /** Whether a batch should go now (if the retry policy lets it). */
  boolean due(long now, boolean stopping) {
    return held() >= batchSize || now - nextFlush >= 0 || stopping;
  }

  /** After an attempt at {@code before}: a partial batch sent on the timer starts the next interval. */
  void attempted(long before, long after) {
    if (held() < batchSize && before - nextFlush >= 0) {
      nextFlush = after + flushInterval();
    }
  }

  /** With nothing to send, the interval starts again when it ends. */
  void idle(long now) {
    if (isEmpty() && now - nextFlush >= 0) {
      nextFlush = now + flushInterval();
    }
  }

  /** When the next batch may go, given when the retry policy lets it. */
  long wakeAt(long retryAt, boolean stopping) {
    if (held() >= batchSize || stopping) {
      return retryAt;
    }
    if (isEmpty()) {
      return nextFlush;
    }
    return retryAt - nextFlush > 0 ? retryAt : nextFlush;
  }

  /** The points in the queue worth waking the sender for: those that complete a batch. */
  int wanted() {
    int held = held();
    return held >= batchSize ? Integer.MAX_VALUE : batchSize - held;
  }

  /** The points the batch at the head would hold now. */
  int headSize() {
    EncodedPoints head = replays.peekFirst();
    return Math.min(batchSize, head == null ? points.size() : head.points());
  }

  /** The batch at the head when it is points handed back by a dead connection, else null. */
  EncodedPoints replay() {
    EncodedPoints head = replays.peekFirst();
    return head == null ? null : head.oldest(batchSize);
  }

  /** The batch at the head, when {@link #replay} is null: a copy of the oldest points, at most a batch. */
  PointRing batch() {
    batch.clear();
    points.copyOldest(Math.min(batchSize, points.size()), batch);
    return batch;
  }

  /** The batch at the head was delivered or dropped: {@code n} points leave. */
  void removeHead(int n) {
    if (replays.isEmpty()) {
      points.removeOldest(n);
    } else {
      removeReplayed(n);
    }
    publish();
  }

  /** Points a dead connection handed back go first, oldest first; then the buffer's bound applies. */
  void putBack(List<EncodedPoints> resend) {
    for (ListIterator<EncodedPoints> it = resend.listIterator(resend.size()); it.hasPrevious(); ) {
      EncodedPoints r = it.previous();
      if (r.points() > 0) {
        replays.addFirst(r);
        replayPoints += r.points();
      }
    }
    int over = held() - capacity;
    if (over > 0) {
      dropOldest(over);
    }
    publish();
  }

  /** Forgets everything (shutdown) and says how much that was. */
  int clear() {
    int held = held();
    replays.clear();
    replayPoints = 0;
    points.clear();
    publish();
    return held;
  }

  private int held() {
    return replayPoints + points.size();
  }

  /** The oldest first: points handed back, then points taken from the queue. */
  private void dropOldest(int n) {
    int fromReplays = Math.min(n, replayPoints);
    removeReplayed(fromReplays);
    points.removeOldest(n - fromReplays);
    stats.dropped(Forwarder.RETRY_BUFFER_FULL, n);
  }

  private void removeReplayed(int n) {
    int left = n;
    while (left > 0) {
      EncodedPoints head = replays.pollFirst();
      int k = Math.min(left, head.points());
      if (k < head.points()) {
        replays.addFirst(head.withoutOldest(k));
      }
      replayPoints -= k;
      left -= k;
    }
  }

  private void publish() {
    depth = held();
  }

  private long flushInterval() {
    return flushNanos + (long) (random.nextDouble() * flushNanos / 10);
  }
}

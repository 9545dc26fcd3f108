package org.opentsdbcatchpoint.sink;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.stats.Stats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies datapoints to one target (a Graphite or an InfluxDB) without ever holding up the caller.
 *
 * <p>{@link #offer} puts a point in a bounded {@link PointQueue} and returns: it never waits, whatever
 * the target does. One sender thread per target moves points from the queue into its {@link Batcher},
 * sends them in batches (when {@code batch_size} points are there, or every {@code flush_interval_ms}
 * give or take a tenth), and keeps a batch that failed in a way worth retrying (I/O, timeout, 5xx, 429)
 * at the head, in order, retrying when the {@link RetryPolicy} says; a batch the target refuses for good
 * (another 4xx) is dropped. The batcher holds at most {@code retry_buffer} points; with {@code
 * drop=oldest} the oldest go first when it is full, with {@code drop=newest} the sender stops taking
 * from the queue and the queue refuses new points. Queued and buffered points are held as plain fields
 * in arrays ({@link PointRing}), points handed back by a dead carbon connection as the bytes that were
 * written ({@link EncodedPoints}). Every point that is not delivered is counted by reason, so {@code
 * queued + replayed = sent + dropped + queue depth + buffer depth} at all times ({@code replayed}: points
 * sent on a connection that then turned out dead, put back to be sent again).
 *
 * <p>With a {@link RateLimit} ({@code rate_limit}, points per second) batches hold at most one second's
 * worth of points, and a due batch waits for the limit in the sender, its points in the queue and the
 * sender's buffer as for a slow target; the time it waited is counted ({@code rate_limited_ms}).
 *
 * <p>Counters ({@code catchpoint.forward.*}, tag {@code target}) go to {@link Stats} through
 * {@link ForwardStats}, which keeps the first rejection and the last error for the health page; the
 * {@link FailureLog} writes what failed, throttled.
 */
public final class Forwarder {
  private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);

  /** Which points a full buffer gives up. */
  public enum Drop { OLDEST, NEWEST }

  /** Reasons a point was dropped, as counted in {@code catchpoint.forward.dropped.<reason>}. */
  public static final String QUEUE_FULL = "queue_full";
  public static final String RETRY_BUFFER_FULL = "retry_buffer_full";
  public static final String REJECTED = "rejected";
  public static final String INVALID = "invalid";
  public static final String FAILED = "failed";
  public static final String SHUTDOWN = "shutdown";
  public static final List<String> DROP_REASONS = Collections.unmodifiableList(Arrays.asList(
      QUEUE_FULL, RETRY_BUFFER_FULL, REJECTED, INVALID, FAILED, SHUTDOWN));

  private static final long IDLE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** The sizes and times of one forwarder. */
  public static final class Options {
    final int queueSize;
    final int batchSize;
    final int retryBuffer;
    final long flushIntervalMillis;
    final Drop drop;
    final long sendTimeoutMillis;
    /** Points per second the target is sent at most; 0: no limit. */
    final long rateLimit;

    /**
     * @param retryBuffer the most points the sender holds (batch being built and batches to retry);
     *     at least {@code batchSize}
     * @param sendTimeoutMillis the longest one send can take (bounds the wait at shutdown)
     */
    public Options(int queueSize, int batchSize, long flushIntervalMillis, int retryBuffer, Drop drop,
        long sendTimeoutMillis) {
      this(queueSize, batchSize, flushIntervalMillis, retryBuffer, drop, sendTimeoutMillis, 0);
    }

    /** @param rateLimit points per second at most ({@code rate_limit}); 0: no limit */
    public Options(int queueSize, int batchSize, long flushIntervalMillis, int retryBuffer, Drop drop,
        long sendTimeoutMillis, long rateLimit) {
      if (queueSize < 1 || batchSize < 1 || retryBuffer < batchSize || flushIntervalMillis < 1 || rateLimit < 0) {
        throw new IllegalArgumentException("queue " + queueSize + ", batch " + batchSize + ", retry buffer "
            + retryBuffer + ", flush " + flushIntervalMillis + " ms, rate limit " + rateLimit);
      }
      this.queueSize = queueSize;
      this.batchSize = batchSize;
      this.flushIntervalMillis = flushIntervalMillis;
      this.retryBuffer = retryBuffer;
      this.drop = drop;
      this.sendTimeoutMillis = sendTimeoutMillis;
      this.rateLimit = rateLimit;
    }
  }

  /** What a shutdown left unsent. */
  public static final class Leftover {
    public final String target;
    public final long points;

    Leftover(String target, long points) {
      this.target = target;
      this.points = points;
    }
  }

  private final String name;
  private final String type;
  private final Transport transport;
  private final Options options;
  private final ForwardStats stats;
  private final LongSupplier nanoClock;
  private final PointQueue queue;

  // Owned by the sender thread.
  private final Batcher batcher;
  private final RetryPolicy retry;
  private final FailureLog log;
  private final RateLimit rateLimit;
  private long lastIdleCheck;
  /** A due batch is waiting for the rate limit, since {@link #heldSince}. */
  private boolean held;
  private long heldSince;

  private volatile boolean stopping;
  private volatile long drainDeadline;
  private volatile Thread thread;
  private volatile long leftover = -1;

  public Forwarder(String name, String type, Transport transport, Options options, Stats stats) {
    this(name, type, transport, options, stats, System::nanoTime, System::currentTimeMillis, new Random());
  }

  Forwarder(String name, String type, Transport transport, Options options, Stats stats, LongSupplier nanoClock,
      LongSupplier epochMillis, Random random) {
    this.name = name;
    this.type = type;
    this.transport = transport;
    this.options = options;
    this.stats = new ForwardStats(name, stats, epochMillis);
    this.nanoClock = nanoClock;
    this.queue = new PointQueue(options.queueSize, options.drop);
    this.rateLimit = new RateLimit(options.rateLimit);
    this.batcher = new Batcher(options, Math.min(options.batchSize, rateLimit.maxBatch()), random, this.stats);
    this.retry = new RetryPolicy(random);
    this.log = new FailureLog(name, transport.describe());
    ForwardStats.gauges(stats, name, queue::size, batcher::depth, transport);
  }

  public String name() {
    return name;
  }

  /**
   * Starts the sender thread. The target is not contacted before the first batch: a target that is
   * down never delays a start.
   */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    Thread t = new Thread(this::run, "catchpoint-forward-" + name);
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /**
   * Hands one point over and returns at once: never blocks, whatever the target does.
   *
   * @return false when the point was dropped (queue full with {@code drop=newest}, or shut down)
   */
  public boolean offer(DataPoint p) {
    stats.queued();
    switch (queue.offer(p)) {
      case TAKEN:
        return true;
      case TAKEN_OLDEST_LOST:
        stats.dropped(QUEUE_FULL, 1);
        return true;
      case FULL:
        stats.dropped(QUEUE_FULL, 1);
        return false;
      default:
        stats.dropped(SHUTDOWN, 1);
        return false;
    }
  }

  /**
   * Stops taking the queue's points in time: sends what it can within {@code drainMillis} (a send in
   * progress may add up to its timeout), then counts and logs what is left.
   *
   * @return the points left unsent
   */
  public Leftover shutdown(long drainMillis) {
    beginDrain(drainMillis);
    Thread t = thread;
    if (t == null) {
      finish();
    } else {
      try {
        t.join(drainMillis + options.sendTimeoutMillis + 1000);
        if (t.isAlive()) {
          t.interrupt();
          t.join(1000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        int held = queue.size() + batcher.depth();
        LOG.warn("forwarder {}: the sender did not stop in time; {} points still in its queue and buffer", name, held);
        return new Leftover(name, held);
      }
    }
    return new Leftover(name, Math.max(0, leftover));
  }

  /** From now on the sender sends what it holds, at once, until {@code drainMillis} from now; then it stops. */
  void beginDrain(long drainMillis) {
    drainDeadline = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
    stopping = true;
    queue.wake();
  }

  /** For the health page: counters, depths, connection state, first rejection and last error. */
  public Map<String, Object> status() {
    return stats.status(type, transport, queue.size(), batcher.depth(), rateLimit.perSecond());
  }

  long sendTimeoutMillis() {
    return options.sendTimeoutMillis;
  }

  int queueDepth() {
    return queue.size();
  }

  int bufferDepth() {
    return batcher.depth();
  }

  String firstRejection() {
    return stats.firstRejection();
  }

  String lastError() {
    return stats.lastError();
  }

  // ---------------------------------------------------------------------------------------------
  // The sender thread.
  // ---------------------------------------------------------------------------------------------

  private void run() {
    prime();
    while (true) {
      try {
        long wait = step();
        if (wait < 0) {
          break;
        }
        if (wait > 0) {
          queue.await(batcher.wanted(), wait);
        }
      } catch (InterruptedException e) {
        if (stopping) {
          break;
        }
      } catch (RuntimeException | Error e) {
        // The sender never dies of an exception: count it, log it, go on.
        stats.failed(Failure.INTERNAL, e.toString());
        log.unexpected(e);
      }
    }
    finish();
  }

  /** Sets the sender's clocks: the first flush one interval from now. */
  void prime() {
    long now = nanoClock.getAsLong();
    batcher.prime(now);
    retry.prime(now);
    rateLimit.prime(now);
    lastIdleCheck = now;
  }

  /**
   * One turn of the sender: take, then send or check the idle connection. Never waits itself.
   *
   * @return how long the sender may wait for points before the next turn (nanoseconds, 0: go on at
   *     once), or -1: time to stop
   */
  long step() {
    long now = nanoClock.getAsLong();
    if (stopping && (now - drainDeadline >= 0 || (batcher.isEmpty() && queue.size() == 0))) {
      return -1;
    }
    batcher.fill(queue);
    long limitWait = 0;
    if (!batcher.isEmpty() && batcher.due(now, stopping) && retry.ready(now)) {
      limitWait = rateLimit.waitFor(batcher.headSize(), now);
      holdBack(now, limitWait > 0);
      if (limitWait == 0) {
        attempt(now);
        batcher.attempted(now, nanoClock.getAsLong());
        return 0;
      }
    } else {
      holdBack(now, false);
    }
    batcher.idle(now);
    if (now - lastIdleCheck >= IDLE_CHECK_NANOS) {
      lastIdleCheck = now;
      idle(now);
    }
    long wakeAt = limitWait > 0 ? now + limitWait : batcher.wakeAt(retry.retryAt(), stopping);
    return Math.min(Math.max(wakeAt - now, 0), MAX_WAIT_NANOS);
  }

  /**
   * Counts the time a due batch waited for the rate limit (up to {@code now}), and whether it still
   * waits. The points wait in the queue and the sender's buffer, never in {@link #offer}.
   */
  private void holdBack(long now, boolean stillHeld) {
    if (held) {
      stats.heldBack(now - heldSince);
    }
    held = stillHeld;
    heldSince = now;
  }

  /** Sends the batch at the head: points handed back by a dead connection first, as they were written. */
  private void attempt(long now) {
    EncodedPoints replay = batcher.replay();
    PointRing batch = replay == null ? batcher.batch() : null;
    int n = replay == null ? batch.size() : replay.points();
    rateLimit.spend(n, now);
    try {
      int invalid = 0;
      if (replay == null) {
        invalid = transport.send(batch);
      } else {
        transport.resend(replay);
      }
      batcher.removeHead(n);
      stats.sent(n - invalid);
      if (invalid > 0) {
        stats.dropped(INVALID, invalid);
      }
      log.delivered(retry.delivered(), now);
    } catch (PointsRefusedException e) {
      refused(e, n, now);
    } catch (Exception e) {
      failed(e, n, now);
    }
  }

  /**
   * The batch was delivered but for points the target refused one by one (OpenTSDB's per-point errors):
   * those are dropped and counted, never sent again; the rest count as sent.
   */
  private void refused(PointsRefusedException e, int n, long now) {
    batcher.removeHead(n);
    stats.sent(n - e.refused() - e.invalid());
    if (e.invalid() > 0) {
      stats.dropped(INVALID, e.invalid());
    }
    stats.dropped(REJECTED, e.refused());
    stats.failed(Failure.REJECTED, e.getMessage());
    log.dropped(Failure.REJECTED, e.getMessage(), e.refused(), e, now);
    log.delivered(retry.delivered(), now);
  }

  private void idle(long now) {
    try {
      transport.idle();
    } catch (Exception e) {
      failed(e, 0, now);
    }
  }

  /** What the retry policy decides about a failed batch of {@code n} points (0: noticed while idle). */
  private void failed(Exception e, int n, long now) {
    RetryPolicy.Decision d = retry.failed(e, n, now);
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    stats.failed(d.kind, message);
    if (d.dropReason != null) {
      batcher.removeHead(n);
      stats.dropped(d.dropReason, n);
      log.dropped(d.kind, message, n, e, now);
      return;
    }
    if (e instanceof ConnectionLostException) {
      ConnectionLostException lost = (ConnectionLostException) e;
      stats.replayed(lost.points());
      batcher.putBack(lost.resend());
    }
    if (d.attempted) {
      stats.retried(n);
    }
    if (d.atOnce) {
      log.reconnected(message, now);
    } else {
      log.failing(d.kind, message, retry.failuresInARow(), batcher.depth(), queue.size(), now);
    }
  }

  /** Counts what is left as dropped at shutdown and closes the transport. */
  private void finish() {
    holdBack(nanoClock.getAsLong(), false);
    long left = queue.close() + batcher.clear();
    if (left > 0) {
      stats.dropped(SHUTDOWN, left);
      LOG.warn("forwarder {} ({}): shutdown left {} points unsent (counted as dropped.shutdown)", name,
          transport.describe(), left);
    } else {
      LOG.info("forwarder {} ({}): shut down with nothing left to send", name, transport.describe());
    }
    leftover = left;
    transport.close();
  }
}

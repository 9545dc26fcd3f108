package org.opentsdbcatchpoint.sink;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.stats.Stats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies datapoints to one target (a Graphite or an InfluxDB) without ever holding up the caller.
 *
 * <p>{@link #offer} puts a point in a bounded queue and returns: it never waits, whatever the target
 * does. One sender thread per target takes points from the queue into its buffer, sends them in
 * batches (when {@code batch_size} points are there, or every {@code flush_interval_ms} give or take a
 * tenth), and keeps a batch that failed in a way worth retrying (I/O, timeout, 5xx, 429) at the head of
 * the buffer, in order, retrying with backoff. A batch the target refuses for good (another 4xx) is
 * dropped. The buffer holds at most {@code retry_buffer} points; with {@code drop=oldest} the oldest
 * go first when it is full, with {@code drop=newest} the sender stops taking from the queue and the
 * queue refuses new points. Every point that is not delivered is counted by reason, so
 * {@code queued + replayed = sent + dropped + queue depth + buffer depth} at all times ({@code replayed}:
 * points sent on a connection that then turned out dead, put back to be sent again).
 *
 * <p>Counters ({@code catchpoint.forward.*}, tag {@code target}) go to {@link Stats}; the first
 * rejection and the last error are kept as text for the health page.
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

    /**
     * @param retryBuffer the most points the sender holds (batch being built and batches to retry);
     *     at least {@code batchSize}
     * @param sendTimeoutMillis the longest one send can take (bounds the wait at shutdown)
     */
    public Options(int queueSize, int batchSize, long flushIntervalMillis, int retryBuffer, Drop drop,
        long sendTimeoutMillis) {
      if (queueSize < 1 || batchSize < 1 || retryBuffer < batchSize || flushIntervalMillis < 1) {
        throw new IllegalArgumentException("queue " + queueSize + ", batch " + batchSize + ", retry buffer "
            + retryBuffer + ", flush " + flushIntervalMillis + " ms");
      }
      this.queueSize = queueSize;
      this.batchSize = batchSize;
      this.flushIntervalMillis = flushIntervalMillis;
      this.retryBuffer = retryBuffer;
      this.drop = drop;
      this.sendTimeoutMillis = sendTimeoutMillis;
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
  private final Random random;
  private final ArrayBlockingQueue<DataPoint> queue;

  // Owned by the sender thread.
  private final RetryPolicy retry;
  private final FailureLog log;
  private final ArrayDeque<DataPoint> buffer = new ArrayDeque<>();
  private final List<DataPoint> drained = new ArrayList<>();
  private long nextFlush;
  private long lastIdleCheck;

  private volatile int bufferDepth;
  private volatile boolean stopping;
  private volatile long drainDeadline;
  private volatile boolean closed;
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
    this.random = random;
    this.queue = new ArrayBlockingQueue<>(options.queueSize);
    this.retry = new RetryPolicy(random);
    this.log = new FailureLog(name, transport.describe());
    ForwardStats.gauges(stats, name, queue::size, () -> bufferDepth, transport);
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
    if (closed) {
      stats.dropped(SHUTDOWN, 1);
      return false;
    }
    boolean accepted;
    if (options.drop == Drop.NEWEST) {
      accepted = queue.offer(p);
      if (!accepted) {
        stats.dropped(QUEUE_FULL, 1);
      }
    } else {
      accepted = true;
      while (!queue.offer(p)) {
        if (queue.poll() != null) {
          stats.dropped(QUEUE_FULL, 1);
        }
      }
    }
    // The sender may have counted its leftovers between the check above and the offer: whoever takes
    // the point out of the queue counts it, so it is counted exactly once.
    if (accepted && closed && queue.remove(p)) {
      stats.dropped(SHUTDOWN, 1);
      return false;
    }
    return accepted;
  }

  /**
   * Stops taking the queue's points in time: sends what it can within {@code drainMillis} (a send in
   * progress may add up to its timeout), then counts and logs what is left.
   *
   * @return the points left unsent
   */
  public Leftover shutdown(long drainMillis) {
    drainDeadline = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
    stopping = true;
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
        LOG.warn("forwarder {}: the sender did not stop in time; {} points still in its queue and buffer", name,
            queue.size() + bufferDepth);
        return new Leftover(name, queue.size() + bufferDepth);
      }
    }
    return new Leftover(name, Math.max(0, leftover));
  }

  /** For the health page: counters, depths, connection state, first rejection and last error. */
  public Map<String, Object> status() {
    return stats.status(type, transport, queue.size(), bufferDepth);
  }

  long sendTimeoutMillis() {
    return options.sendTimeoutMillis;
  }

  int queueDepth() {
    return queue.size();
  }

  int bufferDepth() {
    return bufferDepth;
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
        if (!step()) {
          break;
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
    nextFlush = now + flushInterval();
    retry.prime(now);
    lastIdleCheck = now;
  }

  /** One turn of the sender: take, send or wait. False when it is time to stop. */
  boolean step() throws InterruptedException {
    long now = nanoClock.getAsLong();
    if (stopping && (now - drainDeadline >= 0 || (buffer.isEmpty() && queue.isEmpty()))) {
      return false;
    }
    fill();
    boolean due = buffer.size() >= options.batchSize || now - nextFlush >= 0 || stopping;
    if (!buffer.isEmpty() && due && retry.ready(now)) {
      attempt(now);
      if (buffer.size() < options.batchSize && now - nextFlush >= 0) {
        nextFlush = nanoClock.getAsLong() + flushInterval();
      }
      return true;
    }
    if (buffer.isEmpty() && now - nextFlush >= 0) {
      nextFlush = now + flushInterval();
    }
    if (now - lastIdleCheck >= IDLE_CHECK_NANOS) {
      lastIdleCheck = now;
      idle(now);
    }
    long wakeAt;
    long retryAt = retry.retryAt();
    if (buffer.size() >= options.batchSize || stopping) {
      wakeAt = retryAt;
    } else if (buffer.isEmpty()) {
      wakeAt = nextFlush;
    } else {
      wakeAt = retryAt - nextFlush > 0 ? retryAt : nextFlush;
    }
    long wait = Math.min(Math.max(wakeAt - now, 0), MAX_WAIT_NANOS);
    if (wait > 0) {
      DataPoint p = queue.poll(wait, TimeUnit.NANOSECONDS);
      if (p != null) {
        take(p);
      }
    }
    return true;
  }

  /**
   * Queue to buffer; with {@code drop=newest} only while the buffer has room. At most what the queue
   * held when it started, so a producer faster than the target cannot keep the sender filling forever.
   */
  private void fill() {
    int budget = queue.size();
    while (budget > 0) {
      int room = options.drop == Drop.NEWEST ? options.retryBuffer - buffer.size() : options.batchSize;
      room = Math.min(room, budget);
      if (room <= 0) {
        break;
      }
      budget -= room;
      drained.clear();
      if (queue.drainTo(drained, room) == 0) {
        break;
      }
      for (DataPoint p : drained) {
        take(p);
      }
    }
    drained.clear();
    bufferDepth = buffer.size();
  }

  private void take(DataPoint p) {
    buffer.addLast(p);
    trim();
    bufferDepth = buffer.size();
  }

  /** The buffer's cap: the oldest points go first, counted. */
  private void trim() {
    int over = buffer.size() - options.retryBuffer;
    if (over > 0) {
      for (int i = 0; i < over; i++) {
        buffer.pollFirst();
      }
      stats.dropped(RETRY_BUFFER_FULL, over);
    }
  }

  private void attempt(long now) {
    int n = Math.min(options.batchSize, buffer.size());
    List<DataPoint> batch = new ArrayList<>(n);
    java.util.Iterator<DataPoint> it = buffer.iterator();
    for (int i = 0; i < n; i++) {
      batch.add(it.next());
    }
    try {
      int invalid = transport.send(batch);
      removeHead(n);
      stats.sent(n - invalid);
      if (invalid > 0) {
        stats.dropped(INVALID, invalid);
      }
      log.delivered(retry.delivered(), now);
    } catch (Exception e) {
      failed(e, batch, now);
    }
  }

  private void idle(long now) {
    try {
      transport.idle();
    } catch (Exception e) {
      failed(e, Collections.<DataPoint>emptyList(), now);
    }
  }

  private void failed(Exception e, List<DataPoint> batch, long now) {
    RetryPolicy.Decision d = retry.failed(e, batch.size(), now);
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    stats.failed(d.kind, message);
    if (d.dropReason != null) {
      removeHead(batch.size());
      stats.dropped(d.dropReason, batch.size());
      log.dropped(d.kind, message, batch.size(), e, now);
      return;
    }
    if (e instanceof ConnectionLostException) {
      List<DataPoint> again = ((ConnectionLostException) e).resend();
      for (ListIterator<DataPoint> it = again.listIterator(again.size()); it.hasPrevious(); ) {
        buffer.addFirst(it.previous());
      }
      stats.replayed(again.size());
      trim();
      bufferDepth = buffer.size();
    }
    if (d.attempted) {
      stats.retried(batch.size());
    }
    if (d.atOnce) {
      log.reconnected(message, now);
    } else {
      log.failing(d.kind, message, retry.failuresInARow(), buffer.size(), queue.size(), now);
    }
  }

  /** The flush interval plus up to a tenth more, so that many TSDs do not all flush in the same instant. */
  private long flushInterval() {
    long base = TimeUnit.MILLISECONDS.toNanos(options.flushIntervalMillis);
    return base + (long) (random.nextDouble() * base / 10);
  }

  private void removeHead(int n) {
    for (int i = 0; i < n && !buffer.isEmpty(); i++) {
      buffer.pollFirst();
    }
    bufferDepth = buffer.size();
  }

  /** Counts what is left as dropped at shutdown and closes the transport. */
  private void finish() {
    closed = true;
    long left = buffer.size();
    buffer.clear();
    bufferDepth = 0;
    while (queue.poll() != null) {
      left++;
    }
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

package org.opentsdbcatchpoint.sink;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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

  static final String METRIC = "catchpoint.forward.";
  static final String TAG = "target";

  static final long BACKOFF_INITIAL_MILLIS = 100;
  static final long BACKOFF_MAX_MILLIS = 5_000;
  static final long RETRY_AFTER_MAX_MILLIS = 60_000;
  private static final long IDLE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);

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
  private final Stats stats;
  private final LongSupplier nanoClock;
  private final LongSupplier epochMillis;
  private final Random random;
  private final ArrayBlockingQueue<DataPoint> queue;
  private final LongAdder queued;
  private final LongAdder sent;
  private final LongAdder retriedCount;
  private final LongAdder replayed;
  private final Map<String, LongAdder> droppedBy = new HashMap<>();
  private final Map<Failure, LongAdder> errorsBy = new EnumMap<>(Failure.class);

  // Owned by the sender thread.
  private final ArrayDeque<DataPoint> buffer = new ArrayDeque<>();
  private final List<DataPoint> drained = new ArrayList<>();
  private long nextFlush;
  private long retryAt;
  private long backoffMillis;
  private long lastIdleCheck;
  private int failuresInARow;
  private boolean failing;
  private long failingSince;
  private long lastFailureLog;
  private long lastRejectionLog;
  private boolean rejectionLogged;
  private long lastLostLog;
  private boolean lostLogged;

  private volatile int bufferDepth;
  private volatile boolean stopping;
  private volatile long drainDeadline;
  private volatile boolean closed;
  private volatile String lastError;
  private volatile String firstRejection;
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
    this.stats = stats;
    this.nanoClock = nanoClock;
    this.epochMillis = epochMillis;
    this.random = random;
    this.queue = new ArrayBlockingQueue<>(options.queueSize);
    // Every counter exists from the start, at 0, so a dashboard sees the series before the first drop.
    queued = stats.counter(METRIC + "queued", TAG, name);
    sent = stats.counter(METRIC + "sent", TAG, name);
    retriedCount = stats.counter(METRIC + "retried", TAG, name);
    replayed = stats.counter(METRIC + "replayed", TAG, name);
    for (String reason : DROP_REASONS) {
      droppedBy.put(reason, stats.counter(METRIC + "dropped." + reason, TAG, name));
    }
    for (Failure f : Failure.values()) {
      errorsBy.put(f, stats.counter(METRIC + "errors." + f.label(), TAG, name));
    }
    stats.gauge(METRIC + "queue_depth", TAG, name, queue::size);
    stats.gauge(METRIC + "retry_buffer_depth", TAG, name, () -> bufferDepth);
    stats.gauge(METRIC + "connected", TAG, name, () -> transport.connected() ? 1 : 0);
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
    queued.increment();
    if (closed) {
      dropped(SHUTDOWN, 1);
      return false;
    }
    boolean accepted;
    if (options.drop == Drop.NEWEST) {
      accepted = queue.offer(p);
      if (!accepted) {
        dropped(QUEUE_FULL, 1);
      }
    } else {
      accepted = true;
      while (!queue.offer(p)) {
        if (queue.poll() != null) {
          dropped(QUEUE_FULL, 1);
        }
      }
    }
    // The sender may have counted its leftovers between the check above and the offer: whoever takes
    // the point out of the queue counts it, so it is counted exactly once.
    if (accepted && closed && queue.remove(p)) {
      dropped(SHUTDOWN, 1);
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
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("destination", transport.describe());
    m.put("connected", transport.connected());
    m.put("queue_depth", queue.size());
    m.put("retry_buffer_depth", bufferDepth);
    m.put("queued", queued.sum());
    m.put("sent", sent.sum());
    m.put("retried", retriedCount.sum());
    m.put("replayed", replayed.sum());
    Map<String, Object> dropped = new LinkedHashMap<>();
    for (String reason : DROP_REASONS) {
      dropped.put(reason, droppedBy.get(reason).sum());
    }
    m.put("dropped", dropped);
    Map<String, Object> errors = new LinkedHashMap<>();
    for (Failure f : Failure.values()) {
      long n = errorsBy.get(f).sum();
      if (n > 0) {
        errors.put(f.label(), n);
      }
    }
    m.put("errors", errors);
    m.put("last_error", lastError == null ? "(none)" : lastError);
    m.put("first_rejection", firstRejection == null ? "(none)" : firstRejection);
    return m;
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
    return firstRejection;
  }

  String lastError() {
    return lastError;
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
        // The sender never dies of an exception: count it, log it now and then, go on.
        errorsBy.get(Failure.INTERNAL).increment();
        lastError = stamp(Failure.INTERNAL, e.toString());
        LOG.error("forwarder {}: unexpected failure in the sender; it goes on", name, e);
      }
    }
    finish();
  }

  /** Sets the sender's clocks: the first flush one interval from now. */
  void prime() {
    long now = nanoClock.getAsLong();
    nextFlush = now + flushInterval();
    retryAt = now;
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
    if (!buffer.isEmpty() && due && now - retryAt >= 0) {
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
      dropped(RETRY_BUFFER_FULL, over);
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
      sent.add(n - invalid);
      if (invalid > 0) {
        dropped(INVALID, invalid);
      }
      delivered(now);
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
    Failure kind = Failure.classify(e);
    errorsBy.get(kind).increment();
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (!kind.retryable()) {
      removeHead(batch.size());
      String reason = kind == Failure.REJECTED ? REJECTED : FAILED;
      dropped(reason, batch.size());
      String text = stamp(kind, message);
      lastError = text;
      if (firstRejection == null && kind == Failure.REJECTED) {
        firstRejection = text;
      }
      if (!rejectionLogged || now - lastRejectionLog >= LOG_EVERY_NANOS) {
        rejectionLogged = true;
        lastRejectionLog = now;
        if (kind == Failure.INTERNAL) {
          LOG.error("forwarder {}: dropped a batch of {} points after an unexpected failure", name, batch.size(), e);
        } else {
          LOG.warn("forwarder {} ({}): the target refused a batch of {} points for good, dropped: {}", name,
              transport.describe(), batch.size(), message);
        }
      }
      return;
    }
    lastError = stamp(kind, message);
    boolean attempted = !batch.isEmpty();
    if (e instanceof ConnectionLostException) {
      ConnectionLostException lost = (ConnectionLostException) e;
      List<DataPoint> again = lost.resend();
      for (ListIterator<DataPoint> it = again.listIterator(again.size()); it.hasPrevious(); ) {
        buffer.addFirst(it.previous());
      }
      replayed.add(again.size());
      attempted = attempted && !lost.beforeWrite();
      trim();
      bufferDepth = buffer.size();
    }
    if (attempted) {
      retriedCount.add(batch.size());
    }
    if (!attempted && failuresInARow == 0) {
      // A connection found dead before writing: reconnect at once (a failing connect backs off).
      retryAt = now;
      logFailure(kind, message, now, false);
      return;
    }
    failuresInARow++;
    long delay = backoff();
    if (e instanceof HttpStatusException) {
      long after = ((HttpStatusException) e).retryAfterMillis();
      delay = Math.max(delay, Math.min(after, RETRY_AFTER_MAX_MILLIS));
    }
    retryAt = now + TimeUnit.MILLISECONDS.toNanos(delay);
    logFailure(kind, message, now, true);
  }

  private void logFailure(Failure kind, String message, long now, boolean failing) {
    if (!failing) {
      // A connection found dead and replaced at once: worth a line, not a flood.
      if (!lostLogged || now - lastLostLog >= LOG_EVERY_NANOS / 6) {
        lostLogged = true;
        lastLostLog = now;
        LOG.info("forwarder {} ({}): {}", name, transport.describe(), message);
      } else {
        LOG.debug("forwarder {}: {}", name, message);
      }
      return;
    }
    if (!this.failing) {
      this.failing = true;
      failingSince = now;
      lastFailureLog = now;
      LOG.warn("forwarder {} ({}): {}: {}; {} points kept and retried with backoff", name, transport.describe(),
          kind.label(), message, buffer.size());
    } else if (now - lastFailureLog >= LOG_EVERY_NANOS) {
      lastFailureLog = now;
      LOG.warn("forwarder {} ({}): still failing ({} attempts): {}: {}; {} points kept, {} waiting in the queue",
          name, transport.describe(), failuresInARow, kind.label(), message, buffer.size(), queue.size());
    } else {
      LOG.debug("forwarder {}: {}: {}", name, kind.label(), message);
    }
  }

  private void delivered(long now) {
    backoffMillis = 0;
    if (failing) {
      LOG.info("forwarder {} ({}): delivering again after {} failed attempts over {} s", name, transport.describe(),
          failuresInARow, TimeUnit.NANOSECONDS.toSeconds(now - failingSince));
    }
    failing = false;
    failuresInARow = 0;
  }

  /** Exponential backoff with jitter: 100 ms doubling to 5 s, each wait between half and all of it. */
  private long backoff() {
    backoffMillis = backoffMillis == 0 ? BACKOFF_INITIAL_MILLIS : Math.min(backoffMillis * 2, BACKOFF_MAX_MILLIS);
    return backoffMillis / 2 + (long) (random.nextDouble() * (backoffMillis / 2));
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

  private void dropped(String reason, long n) {
    droppedBy.get(reason).add(n);
  }

  private String stamp(Failure kind, String message) {
    return Instant.ofEpochMilli(epochMillis.getAsLong()) + " " + kind.label() + ": " + message;
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
      dropped(SHUTDOWN, left);
      LOG.warn("forwarder {} ({}): shutdown left {} points unsent (counted as dropped.shutdown)", name,
          transport.describe(), left);
    } else {
      LOG.info("forwarder {} ({}): shut down with nothing left to send", name, transport.describe());
    }
    leftover = left;
    transport.close();
  }
}

package org.opentsdbcatchpoint.sink;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.opentsdbcatchpoint.stats.Stats;

/**
 * One forwarder's figures: the {@code catchpoint.forward.*} counters and gauges (tag {@code target}) in
 * {@link Stats}, and the first rejection and the last error as text, for the health page.
 */
final class ForwardStats {
  static final String METRIC = "catchpoint.forward.";
  static final String TAG = "target";

  private final LongSupplier epochMillis;
  private final LongAdder queued;
  private final LongAdder sent;
  private final LongAdder retried;
  private final LongAdder replayed;
  private final LongAdder rateLimitedMillis;
  /** Sender thread only: the nanoseconds held back so far, of which whole milliseconds are counted. */
  private long heldNanos;
  private long heldMillisCounted;
  private final Map<String, LongAdder> droppedBy = new HashMap<>();
  private final Map<Failure, LongAdder> errorsBy = new EnumMap<>(Failure.class);
  private volatile String lastError;
  private volatile String firstRejection;

  /** Every counter exists from the start, at 0, so a dashboard sees the series before the first drop. */
  ForwardStats(String target, Stats stats, LongSupplier epochMillis) {
    this.epochMillis = epochMillis;
    queued = stats.counter(METRIC + "queued", TAG, target);
    sent = stats.counter(METRIC + "sent", TAG, target);
    retried = stats.counter(METRIC + "retried", TAG, target);
    replayed = stats.counter(METRIC + "replayed", TAG, target);
    rateLimitedMillis = stats.counter(METRIC + "rate_limited_ms", TAG, target);
    for (String reason : Forwarder.DROP_REASONS) {
      droppedBy.put(reason, stats.counter(METRIC + "dropped." + reason, TAG, target));
    }
    for (Failure f : Failure.values()) {
      errorsBy.put(f, stats.counter(METRIC + "errors." + f.label(), TAG, target));
    }
  }

  /** The depths and the connection state, read when a snapshot of {@link Stats} is taken. */
  static void gauges(Stats stats, String target, IntSupplier queueDepth, IntSupplier bufferDepth,
      Transport transport) {
    stats.gauge(METRIC + "queue_depth", TAG, target, queueDepth::getAsInt);
    stats.gauge(METRIC + "retry_buffer_depth", TAG, target, bufferDepth::getAsInt);
    stats.gauge(METRIC + "connected", TAG, target, () -> transport.connected() ? 1 : 0);
  }

  void queued() {
    queued.increment();
  }

  void sent(long points) {
    sent.add(points);
  }

  void retried(long points) {
    retried.add(points);
  }

  void replayed(long points) {
    replayed.add(points);
  }

  /** A due batch waited this long for the rate limit (sender thread only). */
  void heldBack(long nanos) {
    heldNanos += nanos;
    long millis = heldNanos / 1_000_000;
    if (millis > heldMillisCounted) {
      rateLimitedMillis.add(millis - heldMillisCounted);
      heldMillisCounted = millis;
    }
  }

  void dropped(String reason, long points) {
    droppedBy.get(reason).add(points);
  }

  /** A failed attempt: counted by kind, and its message kept as the last error (and the first rejection). */
  void failed(Failure kind, String message) {
    errorsBy.get(kind).increment();
    String text = Instant.ofEpochMilli(epochMillis.getAsLong()) + " " + kind.label() + ": " + message;
    lastError = text;
    if (kind == Failure.REJECTED && firstRejection == null) {
      firstRejection = text;
    }
  }

  String lastError() {
    return lastError;
  }

  String firstRejection() {
    return firstRejection;
  }

  /** For the health page: the counters after what the forwarder says of itself. */
  Map<String, Object> status(String type, Transport transport, int queueDepth, int bufferDepth, long rateLimit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("destination", transport.describe());
    m.put("connected", transport.connected());
    m.put("queue_depth", queueDepth);
    m.put("retry_buffer_depth", bufferDepth);
    m.put("queued", queued.sum());
    m.put("sent", sent.sum());
    m.put("retried", retried.sum());
    m.put("replayed", replayed.sum());
    m.put("rate_limit", rateLimit == 0 ? "off" : rateLimit + " points/s");
    m.put("rate_limited_ms", rateLimitedMillis.sum());
    Map<String, Object> dropped = new LinkedHashMap<>();
    for (String reason : Forwarder.DROP_REASONS) {
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
}

package org.opentsdbcatchpoint.sink;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a forwarder's failures write to the log, throttled so that a target down for hours costs a few
 * lines, not a flood: when it starts failing (once), every minute while it fails, when it delivers again;
 * a batch refused for good at most once a minute; a dead connection replaced at once every ten seconds.
 * Used by the sender thread only.
 */
final class FailureLog {
  static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);
  /** The forwarder's own logger: one name to configure for all its lines. */
  private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);

  private final String name;
  private final String destination;
  private final Throttle dropped = new Throttle(EVERY_NANOS);
  private final Throttle reconnected = new Throttle(EVERY_NANOS / 6);
  private final Throttle stillFailing = new Throttle(EVERY_NANOS);
  private boolean failing;
  private long failingSince;

  FailureLog(String name, String destination) {
    this.name = name;
    this.destination = destination;
  }

  /** A batch dropped after a failure that retrying cannot mend. */
  void dropped(Failure kind, String message, int points, Exception e, long now) {
    if (!dropped.allows(now)) {
      return;
    }
    if (kind == Failure.INTERNAL) {
      LOG.error("forwarder {}: dropped a batch of {} points after an unexpected failure", name, points, e);
    } else {
      LOG.warn("forwarder {} ({}): the target refused a batch of {} points for good, dropped: {}", name,
          destination, points, message);
    }
  }

  /** A connection found dead and replaced at once: worth a line, not a flood. */
  void reconnected(String message, long now) {
    if (reconnected.allows(now)) {
      LOG.info("forwarder {} ({}): {}", name, destination, message);
    } else {
      LOG.debug("forwarder {}: {}", name, message);
    }
  }

  /** A failed attempt that is retried after a backoff. */
  void failing(Failure kind, String message, int attempts, int buffered, int queued, long now) {
    if (!failing) {
      failing = true;
      failingSince = now;
      stillFailing.restart(now);
      LOG.warn("forwarder {} ({}): {}: {}; {} points kept and retried with backoff", name, destination,
          kind.label(), message, buffered);
    } else if (stillFailing.allows(now)) {
      LOG.warn("forwarder {} ({}): still failing ({} attempts): {}: {}; {} points kept, {} waiting in the queue",
          name, destination, attempts, kind.label(), message, buffered, queued);
    } else {
      LOG.debug("forwarder {}: {}: {}", name, kind.label(), message);
    }
  }

  /** A batch delivered: says so when it ends a run of failures. */
  void delivered(int failedAttempts, long now) {
    if (failing) {
      LOG.info("forwarder {} ({}): delivering again after {} failed attempts over {} s", name, destination,
          failedAttempts, TimeUnit.NANOSECONDS.toSeconds(now - failingSince));
    }
    failing = false;
  }

  /** A bug in the sender itself: it goes on. */
  void unexpected(Throwable e) {
    LOG.error("forwarder {}: unexpected failure in the sender; it goes on", name, e);
  }
}

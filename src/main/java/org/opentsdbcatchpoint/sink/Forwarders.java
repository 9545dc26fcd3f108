package org.opentsdbcatchpoint.sink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.opentsdbcatchpoint.stats.Stats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin's forwarders, built from the settings, started with the plugin and drained when it stops.
 * Nothing here contacts a target: a target that is down at start costs retries later, never a failed
 * start.
 */
public final class Forwarders {
  private static final Logger LOG = LoggerFactory.getLogger(Forwarders.class);
  /** How long a shutdown keeps sending what is queued, all targets at once. */
  public static final long SHUTDOWN_DRAIN_MILLIS = 5_000;

  private final List<Forwarder> forwarders;

  public Forwarders(List<Forwarder> forwarders) {
    this.forwarders = Collections.unmodifiableList(new ArrayList<>(forwarders));
  }

  /** Builds one forwarder per target (not started). */
  public static Forwarders from(List<ForwardSettings.Target> targets, Stats stats) {
    List<Forwarder> out = new ArrayList<>();
    for (ForwardSettings.Target t : targets) {
      Forwarder.Options options = new Forwarder.Options(t.queueSize, t.batchSize, t.flushIntervalMillis,
          t.retryBuffer, t.dropOldest ? Forwarder.Drop.OLDEST : Forwarder.Drop.NEWEST, t.timeoutMillis, t.rateLimit);
      out.add(new Forwarder(t.name, t.type, t.transport(), options, stats));
    }
    return new Forwarders(out);
  }

  public List<Forwarder> list() {
    return forwarders;
  }

  public boolean isEmpty() {
    return forwarders.isEmpty();
  }

  public void start() {
    for (Forwarder f : forwarders) {
      f.start();
      LOG.info("forwarder {} started: {}", f.name(), f.status().get("destination"));
    }
  }

  /** For the health page: one entry per target. */
  public Map<String, Object> status() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Forwarder f : forwarders) {
      m.put(f.name(), f.status());
    }
    return m;
  }

  /**
   * Drains every forwarder for at most {@code drainMillis}, all at once, and reports what was left.
   *
   * @return points left unsent, by target
   */
  public Map<String, Long> shutdown(long drainMillis) {
    Map<String, Long> left = Collections.synchronizedMap(new LinkedHashMap<String, Long>());
    CountDownLatch done = new CountDownLatch(forwarders.size());
    for (Forwarder f : forwarders) {
      left.put(f.name(), 0L);
      Thread t = new Thread(() -> {
        try {
          left.put(f.name(), f.shutdown(drainMillis).points);
        } finally {
          done.countDown();
        }
      }, "catchpoint-forward-stop-" + f.name());
      t.setDaemon(true);
      t.start();
    }
    try {
      long bound = drainMillis;
      for (Forwarder f : forwarders) {
        bound = Math.max(bound, drainMillis + f.sendTimeoutMillis() + 3000);
      }
      if (!done.await(bound, TimeUnit.MILLISECONDS)) {
        LOG.warn("forwarders: not all stopped within {} ms", bound);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return left;
  }
}

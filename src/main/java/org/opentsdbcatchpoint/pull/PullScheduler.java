package org.opentsdbcatchpoint.pull;

import org.opentsdbcatchpoint.pipeline.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.opentsdbcatchpoint.stats.Stats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every account's {@link PullJob} on threads the plugin owns (never the TSD's timer or Netty
 * threads). The first run of each account comes after a random part of its interval and every later
 * one after the interval give or take a tenth, so N accounts or N TSDs do not fire together. Every
 * run is guarded: an exception is logged and counted and the schedule goes on.
 */
public final class PullScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(PullScheduler.class);

  private final Map<String, PullJob> jobs = new LinkedHashMap<>();
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final DoubleSupplier random;
  private final Stats stats;
  private final long drainMillis;
  private volatile boolean stopping;

  /**
   * @param executor owned by this scheduler from now on: {@link #shutdown()} shuts it down
   * @param random values in [0, 1), for the jitter
   * @param drainMillis how long {@link #shutdown()} lets running pulls finish before interrupting them
   */
  public PullScheduler(List<PullJob> jobs, ScheduledExecutorService executor, Clock clock, DoubleSupplier random,
      Stats stats, long drainMillis) {
    for (PullJob j : jobs) {
      this.jobs.put(j.account(), j);
    }
    this.executor = executor;
    this.clock = clock;
    this.random = random;
    this.stats = stats;
    this.drainMillis = drainMillis;
  }

  public void start() {
    for (PullJob job : jobs.values()) {
      schedule(job, (long) (random.getAsDouble() * job.intervalMillis()));
    }
  }

  public List<PullJob> jobs() {
    return Collections.unmodifiableList(new ArrayList<>(jobs.values()));
  }

  /**
   * Pulls one account now, outside its schedule.
   *
   * @return completes with true when a cycle ran, false when one was already running; null when the
   *     account is unknown
   */
  public CompletableFuture<Boolean> runNow(String account) {
    PullJob job = jobs.get(account);
    if (job == null) {
      return null;
    }
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    try {
      executor.execute(() -> done.complete(guarded(job)));
    } catch (RejectedExecutionException e) {
      done.complete(false);
    }
    return done;
  }

  private void schedule(PullJob job, long delayMillis) {
    if (stopping) {
      return;
    }
    job.nextRunAt(clock.nowMillis() + delayMillis);
    try {
      executor.schedule(() -> {
        try {
          guarded(job);
        } finally {
          schedule(job, jittered(job.intervalMillis()));
        }
      }, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      if (!stopping) {
        LOG.error("catchpoint pull, account {}: could not schedule the next pull", job.account(), e);
      }
    }
  }

  /** Runs a cycle; nothing it throws escapes (an escaping exception would end a scheduled task for good). */
  private boolean guarded(PullJob job) {
    try {
      return job.runCycle();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Throwable t) {
      stats.increment("catchpoint.pull.cycle_errors", "account", job.account());
      LOG.error("catchpoint pull, account {}: the pull failed unexpectedly; the schedule goes on", job.account(), t);
      return false;
    }
  }

  long jittered(long intervalMillis) {
    return (long) (intervalMillis * (0.9 + 0.2 * random.getAsDouble()));
  }

  /**
   * Stops scheduling, lets running pulls finish their window for up to {@code drainMillis}, then
   * interrupts them. The future completes once the threads are gone.
   */
  public CompletableFuture<Void> shutdown() {
    stopping = true;
    for (PullJob j : jobs.values()) {
      j.stop();
    }
    executor.shutdown();
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread waiter = new Thread(() -> {
      try {
        if (!executor.awaitTermination(drainMillis, TimeUnit.MILLISECONDS)) {
          LOG.warn("catchpoint pull: pulls still running after {} ms; interrupting them (their cursors stay)",
              drainMillis);
          executor.shutdownNow();
          executor.awaitTermination(drainMillis, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        executor.shutdownNow();
        Thread.currentThread().interrupt();
      } finally {
        done.complete(null);
      }
    }, "catchpoint-pull-shutdown");
    waiter.setDaemon(true);
    waiter.start();
    return done;
  }
}

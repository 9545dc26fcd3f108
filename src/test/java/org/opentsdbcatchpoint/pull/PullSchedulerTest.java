package org.opentsdbcatchpoint.pull;

import org.opentsdbcatchpoint.TestPlatform;
import org.opentsdbcatchpoint.tsd.SystemClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.opentsdbcatchpoint.catalog.NodeLookup;
import org.opentsdbcatchpoint.catalog.CatalogHolder;
import org.opentsdbcatchpoint.pipeline.TestStages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.mapping.RunMapper;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.stats.Stats;

/** The scheduler on real threads (intervals of a second): guarded, jittered, drained on shutdown. */
class PullSchedulerTest {
  private final Stats stats = new Stats();
  private final java.util.concurrent.ScheduledExecutorService executor = TestPlatform.THREADS.scheduled("pull", 2);
  private PullScheduler scheduler;

  @AfterEach
  void stop() throws Exception {
    if (scheduler != null) {
      scheduler.shutdown().get(10, TimeUnit.SECONDS);
    }
    executor.shutdownNow();
  }

  private static PullAccountSettings account(String name, long intervalSeconds) {
    return PullAccountSettings.builder(name, "v2").apiKey("k").tests("web", Collections.singletonList(1L))
        .interval(intervalSeconds).lag(0).build();
  }

  private PullJob job(PullAccountSettings a, PullSource source, BooleanSupplier readOnly) {
    return new PullJob(a, source, new RunMapper(() -> NodeCatalog.EMPTY, Vocabulary.ENRICHMENT_TAGS, 8)::map,
        TestStages.of(p -> CompletableFuture.completedFuture(null)), NodeLookup.fixed(new CatalogHolder()),
        new InMemoryCursorStore(), SystemClock.INSTANCE, stats, readOnly, PullGate.ALWAYS,
        10, 1000);
  }

  /** Counts fetches; optionally blocks in them until interrupted. */
  static final class CountingSource extends PullJobTest.FakeSource {
    final AtomicInteger fetches = new AtomicInteger();
    final CountDownLatch entered = new CountDownLatch(1);
    final boolean block;

    CountingSource(boolean block) {
      super(true);
      this.block = block;
    }

    @Override
    public RowCounts fetch(List<Long> tests, Integer typeId, long start, long end, RunSink sink)
        throws IOException, InterruptedException {
      fetches.incrementAndGet();
      entered.countDown();
      if (block) {
        new CountDownLatch(1).await();
      }
      return new RowCounts();
    }
  }

  @Test
  void aCycleThatThrowsIsLoggedCountedAndTheScheduleGoesOn() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    BooleanSupplier explodesFirst = () -> {
      if (checks.incrementAndGet() == 1) {
        throw new IllegalStateException("boom");
      }
      return false;
    };
    CountingSource source = new CountingSource(false);
    scheduler = new PullScheduler(Collections.singletonList(job(account("acme", 1), source, explodesFirst)),
        executor, SystemClock.INSTANCE, () -> 0.0, stats, 2000);
    scheduler.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (source.fetches.get() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(1, stats.get("catchpoint.pull.cycle_errors", "account", "acme"));
    assertTrue(source.fetches.get() >= 1, "the second cycle ran after the first one threw");
  }

  @Test
  void firstRunsAreSpreadOverTheInterval() {
    PullJob a = job(account("a", 300), new CountingSource(false), () -> false);
    PullJob b = job(account("b", 300), new CountingSource(false), () -> false);
    double[] randoms = {0.25, 0.75};
    AtomicInteger i = new AtomicInteger();
    scheduler = new PullScheduler(Arrays.asList(a, b), executor, SystemClock.INSTANCE, () -> randoms[i.getAndIncrement() % 2],
        stats, 1000);
    long before = System.currentTimeMillis();
    scheduler.start();
    long nextA = java.time.Instant.parse((String) a.status().get(0).get("next_run")).getEpochSecond();
    long nextB = java.time.Instant.parse((String) b.status().get(0).get("next_run")).getEpochSecond();
    assertEquals(before / 1000 + 75, nextA, 1.0);
    assertEquals(before / 1000 + 225, nextB, 1.0);
  }

  @Test
  void laterRunsAreTheIntervalGiveOrTakeATenth() {
    scheduler = new PullScheduler(Collections.<PullJob>emptyList(), executor, SystemClock.INSTANCE, () -> 0.0, stats, 1000);
    assertEquals(270_000, scheduler.jittered(300_000));
    PullScheduler high = new PullScheduler(Collections.<PullJob>emptyList(), executor, SystemClock.INSTANCE,
        () -> 0.999999, stats, 1000);
    assertEquals(330_000, high.jittered(300_000), 1.0);
  }

  @Test
  void runNowPullsAtOnceAndUnknownAccountsAreNull() throws Exception {
    CountingSource source = new CountingSource(false);
    scheduler = new PullScheduler(Collections.singletonList(job(account("acme", 3600), source, () -> false)),
        executor, SystemClock.INSTANCE, () -> 0.99, stats, 1000);
    scheduler.start();
    assertTrue(scheduler.runNow("acme").get(5, TimeUnit.SECONDS));
    assertEquals(1, source.fetches.get());
    assertNull(scheduler.runNow("nobody"));
  }

  @Test
  void shutdownStopsSchedulingAndInterruptsAPullThatOutlivesTheDrain() throws Exception {
    CountingSource source = new CountingSource(true);
    PullJob job = job(account("acme", 3600), source, () -> false);
    scheduler = new PullScheduler(Collections.singletonList(job), executor, SystemClock.INSTANCE, () -> 0.0, stats, 200);
    scheduler.start();
    assertTrue(source.entered.await(5, TimeUnit.SECONDS));
    assertTrue(job.isRunning());
    CompletableFuture<Void> done = scheduler.shutdown();
    done.get(5, TimeUnit.SECONDS);
    assertTrue(executor.isTerminated());
    assertFalse(job.isRunning());
    assertFalse(scheduler.runNow("acme").get(1, TimeUnit.SECONDS), "nothing runs after shutdown");
    scheduler = null;
  }

  @Test
  void shutdownWaitsForARunningWindowToFinish() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    PullJobTest.FakeSource slow = new PullJobTest.FakeSource(true) {
      @Override
      public RowCounts fetch(List<Long> tests, Integer typeId, long start, long end, RunSink sink)
          throws IOException, InterruptedException {
        inside.countDown();
        release.await(); // a window still being fetched when the shutdown starts
        finished.set(true);
        return new RowCounts();
      }
    };
    scheduler = new PullScheduler(Collections.singletonList(job(account("acme", 3600), slow, () -> false)), executor,
        SystemClock.INSTANCE, () -> 0.0, stats, 5000);
    scheduler.start();
    assertTrue(inside.await(5, TimeUnit.SECONDS));
    CompletableFuture<Void> stopped = scheduler.shutdown();
    assertFalse(stopped.isDone(), "the shutdown waits for the window");
    release.countDown();
    stopped.get(10, TimeUnit.SECONDS);
    assertTrue(finished.get(), "the window in flight was allowed to finish");
    scheduler = null;
  }
}

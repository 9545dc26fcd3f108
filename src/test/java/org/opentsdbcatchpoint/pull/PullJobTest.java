package org.opentsdbcatchpoint.pull;

import org.opentsdbcatchpoint.catalog.StaticNodeCatalog;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.HashMap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentsdbcatchpoint.pull.Runs.NOON;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.opentsdbcatchpoint.catalog.NodeLookup;
import org.opentsdbcatchpoint.catalog.CatalogHolder;
import org.opentsdbcatchpoint.pipeline.TestStages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentsdbcatchpoint.catalog.Node;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.mapping.RunMapper;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.pipeline.Writer;
import org.opentsdbcatchpoint.stats.Stats;

class PullJobTest {
  /** A catalog that knows no node and never learns one: runs are written at once, without enrichment. */
  private static final NodeLookup NOWHERE = NodeLookup.fixed(new CatalogHolder());
  private static final long HOUR = 3600;
  private static final Function<Run, List<DataPoint>> MAPPER =
      new RunMapper(() -> NodeCatalog.EMPTY, Vocabulary.ENRICHMENT_TAGS, 8)::map;

  private final FakeClock clock = FakeClock.atSeconds(NOON + HOUR);
  private final Stats stats = new Stats();
  private final InMemoryCursorStore cursors = new InMemoryCursorStore();
  private final List<DataPoint> written = Collections.synchronizedList(new ArrayList<>());
  private final Writer acking = p -> {
    written.add(p);
    return CompletableFuture.completedFuture(null);
  };

  @TempDir
  Path tmp;

  /** Serves runs from a list like a windowed API whose bounds are inclusive; records each call. */
  static class FakeSource implements PullSource {
    final List<Run> runs = new ArrayList<>();
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final boolean windowed;
    volatile IOException failNext;

    FakeSource(boolean windowed) {
      this.windowed = windowed;
    }

    FakeSource run(long test, long seconds, double dns) {
      runs.add(Run.builder(test, 540, seconds).typeId(0).add("catchpoint.timing.dns", dns).build());
      return this;
    }

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public boolean windowed() {
      return windowed;
    }

    @Override
    public long reachSeconds() {
      return windowed ? Long.MAX_VALUE : V1Client.LAST_RAW_SECONDS;
    }

    @Override
    public RowCounts fetch(List<Long> tests, Integer typeId, long start, long end, RunSink sink)
        throws IOException, InterruptedException {
      calls.add(tests + " type=" + typeId + (windowed ? " [" + (start - NOON) + "," + (end - NOON) + "]" : ""));
      IOException f = failNext;
      if (f != null) {
        failNext = null;
        throw f;
      }
      RowCounts counts = new RowCounts();
      for (Run r : runs) {
        if (tests.contains(r.testId()) && (!windowed || (r.timestampSeconds() >= start && r.timestampSeconds() <= end))) {
          counts.rows++;
          sink.accept(r);
        }
      }
      return counts;
    }

    @Override
    public List<Node> nodes() {
      return Collections.emptyList();
    }
  }

  private static PullAccountSettings.Builder account() {
    return PullAccountSettings.builder("acme", "v2").apiKey("k").tests("web", Arrays.asList(1L))
        .interval(300).lag(120).maxBackfill(86400).window(HOUR);
  }

  private PullJob job(PullAccountSettings a, PullSource source, Writer writer) {
    return new PullJob(a, source, MAPPER, TestStages.of(writer), NOWHERE, cursors, clock, stats, () -> false, PullGate.ALWAYS, 100, 2000);
  }

  private List<Long> writtenSeconds() {
    List<Long> s = new ArrayList<>();
    for (DataPoint p : written) {
      s.add(p.timestampSeconds() - NOON);
    }
    return s;
  }

  private Long cursor(long test) {
    PullCursor c = cursors.load("acme", test);
    return c == null ? null : c.position() - NOON;
  }

  @Test
  void aNewTestStartsOneIntervalBackAndEndsLagBeforeNow() throws Exception {
    // Now 13:00, lag 2 min: the window is [12:53, 12:58).
    FakeSource source = new FakeSource(true).run(1, NOON + 3179, 1).run(1, NOON + 3180, 2)
        .run(1, NOON + 3479, 3).run(1, NOON + 3480, 4);
    assertTrue(job(account().build(), source, acking).runCycle());
    assertEquals(Collections.singletonList("[1] type=0 [3180,3480]"), source.calls);
    assertEquals(Arrays.asList(3180L, 3479L), writtenSeconds());
    assertEquals(Long.valueOf(3480), cursor(1));
    assertEquals(2, stats.get("catchpoint.pull.datapoints", "account", "acme"));
  }

  @Test
  void theStatusShowsTheLastWindowWithItsRowsDatapointsAndDuration() throws Exception {
    FakeSource source = new FakeSource(true).run(1, NOON + 3179, 1).run(1, NOON + 3180, 2)
        .run(1, NOON + 3479, 3).run(1, NOON + 3480, 4);
    PullJob job = job(account().build(), source, acking);
    assertNull(job.status().get(0).get("last_window"), "nothing pulled yet");
    job.runCycle();
    @SuppressWarnings("unchecked")
    Map<String, Object> last = (Map<String, Object>) job.status().get(0).get("last_window");
    assertEquals("2024-01-15T12:53:00Z", last.get("start"));
    assertEquals("2024-01-15T12:58:00Z", last.get("end"));
    assertEquals(1, last.get("tests"));
    // The fake's bounds are inclusive: three rows came, two were inside [start, end).
    assertEquals(3L, ((Number) last.get("rows")).longValue());
    assertEquals(2L, ((Number) last.get("datapoints")).longValue());
    double seconds = ((Number) last.get("seconds")).doubleValue();
    assertTrue(seconds >= 0 && seconds < 60, String.valueOf(seconds));
  }

  /** A lease that another TSD takes after this many confirmations. */
  static final class LosingGate implements PullGate {
    int confirmsLeft;
    boolean lost;

    LosingGate(int confirms) {
      confirmsLeft = confirms;
    }

    @Override
    public boolean mayPull(String account) {
      return !lost;
    }

    @Override
    public boolean confirm(String account) {
      lost |= confirmsLeft-- <= 0;
      return !lost;
    }

    @Override
    public String holder(String account) {
      return lost ? "tsd-b:4242/1" : null;
    }
  }

  @Test
  void aTsdThatLostTheLeaseMidBackfillWritesNothingMoreAndLeavesTheCursorsToTheHolder() throws Exception {
    cursors.save(new PullCursor("acme", 1, NOON));
    clock.setSeconds(NOON + 3 * HOUR + 120);
    FakeSource source = new FakeSource(true).run(1, NOON, 1).run(1, NOON + HOUR, 2).run(1, NOON + 2 * HOUR + 5, 3);
    // First window: one confirmation before its points, one before its cursor. The second window's
    // points are refused: the lease was taken meanwhile.
    LosingGate gate = new LosingGate(2);
    PullJob job = new PullJob(account().build(), source, MAPPER, TestStages.of(acking), NOWHERE, cursors, clock, stats,
        () -> false, gate, 100, 2000);
    assertTrue(job.runCycle());
    assertEquals(Collections.singletonList(0L), writtenSeconds(), "only the first window");
    assertEquals(Long.valueOf(HOUR), cursor(1), "its cursor; the holder goes on from there");
    assertEquals(1, stats.get("catchpoint.pull.windows_left_to_holder", "account", "acme"));
    assertEquals(0, stats.get("catchpoint.pull.windows_failed", "account", "acme"), "not a failure");
    job.runCycle();
    assertEquals(2, source.calls.size(), "no pull while another TSD holds the account");
    assertEquals(1, stats.get("catchpoint.pull.cycles_skipped_not_holder", "account", "acme"));
  }

  @Test
  void afterAnOutageTheGapIsBackfilledInWindows() throws Exception {
    cursors.save(new PullCursor("acme", 1, NOON));
    clock.setSeconds(NOON + 3 * HOUR + 120);
    FakeSource source = new FakeSource(true).run(1, NOON, 1).run(1, NOON + HOUR, 2).run(1, NOON + 2 * HOUR + 5, 3);
    job(account().build(), source, acking).runCycle();
    assertEquals(Arrays.asList("[1] type=0 [0,3600]", "[1] type=0 [3600,7200]", "[1] type=0 [7200,10800]"),
        source.calls);
    // Each run once, though the fake's bounds are inclusive.
    assertEquals(Arrays.asList(0L, 3600L, 7205L), writtenSeconds());
    assertEquals(Long.valueOf(3 * HOUR), cursor(1));
  }

  @Test
  void backfillStopsAtMaxBackfillAndCountsTheGap() throws Exception {
    cursors.save(new PullCursor("acme", 1, NOON - 2 * 86400));
    clock.setSeconds(NOON + 120);
    FakeSource source = new FakeSource(true);
    job(account().maxBackfill(3 * HOUR).build(), source, acking).runCycle();
    assertEquals(Arrays.asList("[1] type=0 [-10800,-7200]", "[1] type=0 [-7200,-3600]", "[1] type=0 [-3600,0]"),
        source.calls);
    assertEquals(2 * 86400 - 3 * HOUR, stats.get("catchpoint.pull.gap_seconds", "account", "acme"));
    assertEquals(Long.valueOf(0), cursor(1));
  }

  @Test
  void theCursorStaysWhenStorageFailsAndTheWindowIsPulledAgain() throws Exception {
    cursors.save(new PullCursor("acme", 1, NOON + 3180));
    FakeSource source = new FakeSource(true).run(1, NOON + 3200, 1);
    Writer failing = p -> {
      CompletableFuture<Void> f = new CompletableFuture<>();
      f.completeExceptionally(new IOException("HBase is down"));
      return f;
    };
    PullJob down = job(account().build(), source, failing);
    down.runCycle();
    assertEquals(Long.valueOf(3180), cursor(1));
    Map<String, Object> status = down.status().get(0);
    assertTrue(String.valueOf(status.get("last_error")).contains("HBase is down"), status.toString());
    assertEquals(1, stats.get("catchpoint.pull.windows_failed", "account", "acme"));

    job(account().build(), source, acking).runCycle();
    assertEquals(Arrays.asList("[1] type=0 [3180,3480]", "[1] type=0 [3180,3480]"), source.calls);
    assertEquals(Collections.singletonList(3200L), writtenSeconds());
    assertEquals(Long.valueOf(3480), cursor(1));
  }

  @Test
  void theCursorMovesOnlyOnceStorageAcknowledged() throws Exception {
    List<CompletableFuture<Void>> pending = Collections.synchronizedList(new ArrayList<>());
    Writer slow = p -> {
      CompletableFuture<Void> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    };
    FakeSource source = new FakeSource(true).run(1, NOON + 3200, 1).run(1, NOON + 3300, 2);
    PullJob job = new PullJob(account().build(), source, MAPPER, TestStages.of(slow), NOWHERE, cursors, clock, stats, () -> false, PullGate.ALWAYS, 100, 10_000);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        job.runCycle();
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    t.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (pending.size() < 2 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(2, pending.size());
    // The window's outcome needs both acknowledgements (WriteBatchTest shows one is not enough): until
    // then the cycle waits on it, and the cursor cannot have moved.
    assertTrue(t.isAlive(), "the cycle waits for storage");
    assertNull(cursor(1));
    pending.get(0).complete(null);
    assertNull(cursor(1), "one of two points acknowledged is not enough");
    pending.get(1).complete(null);
    t.join(5000);
    assertNull(failure.get());
    assertEquals(Long.valueOf(3480), cursor(1));
  }

  /** Like the TSD's writer: acknowledges buffered points only when flushed. */
  static final class BufferingWriter implements Writer {
    final List<CompletableFuture<Void>> buffered = new ArrayList<>();
    int flushes;

    @Override
    public synchronized CompletableFuture<Void> write(DataPoint point) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      buffered.add(f);
      return f;
    }

    @Override
    public void flush() {
      List<CompletableFuture<Void>> now;
      synchronized (this) {
        flushes++;
        now = new ArrayList<>(buffered);
        buffered.clear();
      }
      for (CompletableFuture<Void> f : now) {
        f.complete(null);
      }
    }
  }

  @Test
  void aBufferingStoreIsFlushedWhenFullAndAtTheEndOfAWindow() throws Exception {
    FakeSource source = new FakeSource(true).run(1, NOON + 3200, 1).run(1, NOON + 3300, 2).run(1, NOON + 3400, 3);
    BufferingWriter buffering = new BufferingWriter();
    // Two points in flight at most: the third write finds the window full and flushes.
    PullJob job = new PullJob(account().build(), source, MAPPER, TestStages.of(buffering), NOWHERE, cursors, clock, stats, () -> false, PullGate.ALWAYS, 2,
        60_000);
    job.runCycle();
    assertEquals(1, stats.get("catchpoint.pull.windows_ok", "account", "acme"), "no wait ran into the timeout");
    assertEquals(2, buffering.flushes);
    assertEquals(Long.valueOf(3480), cursor(1));
    assertEquals(3, stats.get("catchpoint.pull.datapoints", "account", "acme"));
  }

  @Test
  void lastRawTakesWhatIsNewerThanEachCursorAndCountsWhatItCannotReach() throws Exception {
    PullAccountSettings v1 = PullAccountSettings.builder("acme", "v1").v1Credentials("id", "secret")
        .tests("web", Arrays.asList(1L, 2L)).interval(300).lag(120).build();
    cursors.save(new PullCursor("acme", 1, NOON + 3300));
    cursors.save(new PullCursor("acme", 2, NOON + HOUR - 3600));
    FakeSource source = new FakeSource(false).run(1, NOON + 3299, 1).run(1, NOON + 3300, 2).run(2, NOON + 2800, 3)
        .run(2, NOON + 3500, 4);
    job(v1, source, acking).runCycle();
    assertEquals(Collections.singletonList("[1, 2] type=0"), source.calls);
    assertEquals(Arrays.asList(3300L, 2800L), writtenSeconds());
    assertEquals(Long.valueOf(3480), cursor(1));
    assertEquals(Long.valueOf(3480), cursor(2));
    // Test 2 was an hour behind; LastRaw reaches 15 minutes back.
    assertEquals(2700, stats.get("catchpoint.pull.gap_seconds", "account", "acme"));
  }

  @Test
  void testsAreBatchedByTypeAndBatchSizeAndUnknownTypesGoOneByOne() throws Exception {
    PullAccountSettings a = account().tests("web", Arrays.asList(1L, 2L, 3L, 4L, 5L))
        .tests("ping", Collections.singletonList(6L)).tests("other", Arrays.asList(7L, 8L)).batchSize(2).build();
    FakeSource source = new FakeSource(true);
    job(a, source, acking).runCycle();
    assertEquals(Arrays.asList("[1, 2] type=0 [3180,3480]", "[3, 4] type=0 [3180,3480]", "[5] type=0 [3180,3480]",
        "[6] type=6 [3180,3480]", "[7] type=null [3180,3480]", "[8] type=null [3180,3480]"), source.calls);
  }

  @Test
  void oneFailingBatchDoesNotStopTheOthers() throws Exception {
    PullAccountSettings a = account().tests("web", Arrays.asList(1L)).tests("dns", Arrays.asList(2L)).build();
    FakeSource source = new FakeSource(true).run(2, NOON + 3300, 1);
    source.failNext = new PullException(PullException.Kind.REFUSED, 404, "no such test", null);
    job(a, source, acking).runCycle();
    assertNull(cursor(1));
    assertEquals(Long.valueOf(3480), cursor(2));
  }

  @Test
  void aLongRateLimitPausesTheAccountUntilItEnds() throws Exception {
    FakeSource source = new FakeSource(true);
    source.failNext = new PullException(PullException.Kind.RATE_LIMITED, 429, "day limit", null,
        clock.nowMillis() + 600_000);
    PullJob job = job(account().tests("dns", Arrays.asList(2L)).build(), source, acking);
    job.runCycle();
    assertEquals(1, source.calls.size(), "the batches after a rate limit wait too");
    assertNotNull(job.status().get(0).get("paused_until"));
    clock.advance(300_000);
    job.runCycle();
    assertEquals(1, source.calls.size());
    clock.advance(300_000);
    job.runCycle();
    assertEquals(3, source.calls.size());
  }

  @Test
  void aReadOnlyTsdIsNotWritten() throws Exception {
    FakeSource source = new FakeSource(true).run(1, NOON + 3300, 1);
    new PullJob(account().build(), source, MAPPER, TestStages.of(acking), NOWHERE, cursors, clock, stats, () -> true, PullGate.ALWAYS, 100, 1000).runCycle();
    assertTrue(source.calls.isEmpty());
    assertTrue(written.isEmpty());
  }

  @Test
  void cyclesDoNotOverlap() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    FakeSource source = new FakeSource(true) {
      @Override
      public RowCounts fetch(List<Long> tests, Integer typeId, long start, long end, RunSink sink)
          throws IOException, InterruptedException {
        inside.countDown();
        release.await();
        return new RowCounts();
      }
    };
    PullJob job = job(account().build(), source, acking);
    AtomicBoolean first = new AtomicBoolean();
    Thread t = new Thread(() -> {
      try {
        first.set(job.runCycle());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    t.start();
    assertTrue(inside.await(5, TimeUnit.SECONDS));
    assertFalse(job.runCycle(), "a second cycle while one runs does nothing");
    release.countDown();
    t.join(5000);
    assertTrue(first.get());
  }

  @Test
  void statusShowsCursorLagAndLastSuccess() throws Exception {
    PullJob job = job(account().build(), new FakeSource(true), acking);
    assertNull(job.status().get(0).get("cursor"));
    job.runCycle();
    Map<String, Object> s = job.status().get(0);
    assertEquals("2024-01-15T12:58:00Z", s.get("cursor"));
    assertEquals(120L, s.get("lag_seconds"));
    assertEquals("2024-01-15T13:00:00Z", s.get("last_success"));
    assertEquals("web", s.get("test_type"));
    assertNull(s.get("last_error"));
    assertEquals(120, job.maxLagSeconds());
  }

  @Test
  void fileCursorsSurviveARestart() throws Exception {
    Path file = tmp.resolve("state/cursors.properties");
    FileCursorStore store = new FileCursorStore(file);
    assertNull(store.load("acme", 1));
    store.save(new PullCursor("acme", 1, 1705320000L));
    store.save(new PullCursor("acme", 2, 1705320300L));
    store.save(new PullCursor("acme", 1, 1705320600L));
    FileCursorStore reopened = new FileCursorStore(file);
    assertEquals(new PullCursor("acme", 1, 1705320600L), reopened.load("acme", 1));
    assertEquals(new PullCursor("acme", 2, 1705320300L), reopened.load("acme", 2));
    assertNull(reopened.load("other", 1));
    try (java.util.stream.Stream<Path> files = Files.list(file.getParent())) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void runsOfANodeTheCatalogIsLookingForWaitAndAreWrittenEnriched() throws Exception {
    AtomicReference<NodeCatalog> catalog = new AtomicReference<>(NodeCatalog.EMPTY);
    CompletableFuture<Boolean> learned = new CompletableFuture<>();
    AtomicInteger asked = new AtomicInteger();
    NodeLookup lookup = new NodeLookup() {
      @Override
      public boolean knows(long nodeId) {
        return catalog.get().find(nodeId) != null;
      }

      @Override
      public CompletableFuture<Boolean> learn(long nodeId) {
        asked.incrementAndGet();
        return learned;
      }
    };
    FakeSource source = new FakeSource(true).run(1, NOON + 3100, 12).run(1, NOON + 3200, 13);
    cursors.save(new PullCursor("acme", 1, NOON + 3000));
    PullJob job = new PullJob(account().build(), source,
        new RunMapper(catalog::get, Vocabulary.ENRICHMENT_TAGS, 8)::map, TestStages.of(acking), lookup, cursors, clock,
        stats, () -> false, PullGate.ALWAYS, 100, 2000);
    ExecutorService pulling = Executors.newSingleThreadExecutor();
    try {
      Future<Boolean> cycle = pulling.submit(job::runCycle);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (asked.get() == 0 && !cycle.isDone() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(1, asked.get(), "one question per node and window");
      assertTrue(written.isEmpty(), "nothing of node 540 is written before the catalog has looked for it");
      assertEquals(NOON + 3000, cursors.load("acme", 1).position());
      Map<String, String> frankfurt = new HashMap<>();
      frankfurt.put("city", "Frankfurt");
      catalog.set(new StaticNodeCatalog(Collections.singletonList(new Node(540, frankfurt))));
      learned.complete(true);
      assertTrue(cycle.get(5, TimeUnit.SECONDS));
    } finally {
      pulling.shutdownNow();
    }
    assertEquals(2, written.size());
    for (DataPoint p : written) {
      assertEquals("Frankfurt", p.tags().get("city"), p.toString());
    }
    assertEquals(NOON + 3480, cursors.load("acme", 1).position());
    assertEquals(0, stats.get("catchpoint.pull.runs_unenriched", "account", "acme"));
  }

  @Test
  void aNodeTheCatalogCannotFindIsWrittenWithoutEnrichmentAndCounted() throws Exception {
    FakeSource source = new FakeSource(true).run(1, NOON + 3100, 12);
    cursors.save(new PullCursor("acme", 1, NOON + 3000));
    job(account().build(), source, acking).runCycle();
    assertEquals(1, written.size());
    assertEquals(1, stats.get("catchpoint.pull.runs_unenriched", "account", "acme"));
  }
}

package org.opentsdbcatchpoint.pull;

import org.opentsdbcatchpoint.pipeline.Clock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.opentsdbcatchpoint.catalog.NodeLookup;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.pipeline.SkipReason;
import org.opentsdbcatchpoint.pipeline.TestType;
import org.opentsdbcatchpoint.pipeline.WriteBatch;
import org.opentsdbcatchpoint.pipeline.WriteOutcome;
import org.opentsdbcatchpoint.pipeline.WriteStage;
import org.opentsdbcatchpoint.stats.Stats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls one account: for every batch of tests of one type, from each test's cursor up to
 * {@code now - lag} (runs arrive late), in windows of at most {@code window} seconds, each written
 * through the shared mapper and writer and acknowledged by storage before the cursors move. A cursor
 * further back than {@code max_backfill} starts at that limit (the gap is counted and logged). A test
 * never pulled starts one interval back. v1 LastRaw cannot ask for a window: it takes what the last 15
 * minutes hold, newer than each test's cursor.
 *
 * <p>One cycle at a time: a cycle that is still running when the next is due is not doubled.
 */
public final class PullJob {
  private static final Logger LOG = LoggerFactory.getLogger(PullJob.class);
  /** Runs of one window held back while the catalog looks for their nodes, at most. */
  static final int MAX_HELD_RUNS = 20_000;
  /**
   * Points of a window written together: the new names of a chunk get their UIDs at once (a first
   * pull of new nodes brings hundreds), and memory stays bounded whatever the window's size.
   */
  static final int CHUNK_POINTS = 2000;
  /** How long a window waits for the catalog to look for its unknown nodes. */
  static final long CATALOG_WAIT_MILLIS = 120_000;

  private final PullAccountSettings account;
  private final PullSource source;
  private final Function<Run, List<DataPoint>> mapper;
  private final WriteStage stage;
  private final NodeLookup nodes;
  private final CursorStore cursors;
  private final Clock clock;
  private final Stats stats;
  private final BooleanSupplier readOnly;
  private final PullGate gate;
  private final int maxInFlight;
  private final long ackTimeoutMillis;
  private final List<Batch> batches = new ArrayList<>();
  private final Map<Long, TestState> states = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean stopping;
  private volatile long pausedUntilMillis;
  private volatile long nextRunMillis;
  private volatile String lastLoggedError;

  /**
   * @param mapper run to datapoints (the shared {@code RunMapper})
   * @param stage the shared write stage
   * @param nodes the node catalog: runs of a node it does not know wait until it has looked for it
   * @param readOnly true while the TSD must not be written: cycles are skipped
   * @param gate whether this TSD pulls the account (its lease, when several TSDs share the pulls):
   *     asked before every cycle and before every write
   * @param maxInFlight points of one window waiting for storage's acknowledgement at once
   * @param ackTimeoutMillis how long storage may take to acknowledge before the window fails
   */
  public PullJob(PullAccountSettings account, PullSource source, Function<Run, List<DataPoint>> mapper,
      WriteStage stage, NodeLookup nodes, CursorStore cursors, Clock clock, Stats stats, BooleanSupplier readOnly,
      PullGate gate, int maxInFlight, long ackTimeoutMillis) {
    this.account = account;
    this.source = source;
    this.mapper = mapper;
    this.stage = stage;
    this.nodes = nodes;
    this.cursors = cursors;
    this.clock = clock;
    this.stats = stats;
    this.readOnly = readOnly;
    this.gate = gate;
    this.maxInFlight = maxInFlight;
    this.ackTimeoutMillis = ackTimeoutMillis;
    for (Map.Entry<String, List<Long>> e : account.tests.entrySet()) {
      boolean other = PullAccountSettings.OTHER_TESTS.equals(e.getKey());
      Integer typeId = other ? null : TestType.idOf(e.getKey());
      // Tests of unknown type cannot share a call: Catchpoint wants one type per call.
      int size = other ? 1 : Math.max(1, account.batchSize);
      List<Long> ids = e.getValue();
      for (int i = 0; i < ids.size(); i += size) {
        batches.add(new Batch(typeId, new ArrayList<>(ids.subList(i, Math.min(ids.size(), i + size)))));
      }
      for (Long id : ids) {
        states.put(id, new TestState(id, TestType.nameOf(typeId)));
      }
    }
  }

  public String account() {
    return account.name;
  }

  public PullAccountSettings settings() {
    return account;
  }

  public PullSource source() {
    return source;
  }

  public long intervalMillis() {
    return account.intervalSeconds * 1000;
  }

  public boolean isRunning() {
    return running.get();
  }

  /** Stops the job between two windows (and interrupts nothing itself). */
  public void stop() {
    stopping = true;
  }

  void nextRunAt(long millis) {
    nextRunMillis = millis;
  }

  /**
   * One cycle over every test of the account.
   *
   * @return false when a cycle was already running (this one did nothing)
   */
  public boolean runCycle() throws InterruptedException {
    if (!running.compareAndSet(false, true)) {
      return false;
    }
    try {
      long nowMillis = clock.nowMillis();
      if (nowMillis < pausedUntilMillis) {
        LOG.debug("catchpoint pull, account {}: rate limited until {}", account.name, pausedUntilMillis);
        return true;
      }
      if (readOnly.getAsBoolean()) {
        stats.increment("catchpoint.pull.cycles_skipped_read_only", "account", account.name);
        return true;
      }
      if (!gate.mayPull(account.name)) {
        stats.increment("catchpoint.pull.cycles_skipped_not_holder", "account", account.name);
        return true;
      }
      stats.increment("catchpoint.pull.cycles", "account", account.name);
      for (Batch batch : batches) {
        if (stopping) {
          return true;
        }
        try {
          pull(batch);
        } catch (PullException e) {
          if (e.kind() == PullException.Kind.LEASE_LOST) {
            stats.increment("catchpoint.pull.windows_left_to_holder", "account", account.name);
            LOG.info("catchpoint pull, account {}: {}", account.name, e.getMessage());
            return true;
          }
          failed(batch, e);
          if (e.kind() == PullException.Kind.RATE_LIMITED) {
            pausedUntilMillis = e.retryAtMillis();
            return true;
          }
        } catch (IOException | RuntimeException e) {
          failed(batch, e);
        }
      }
      return true;
    } finally {
      running.set(false);
    }
  }

  private void pull(Batch batch) throws IOException, InterruptedException {
    long now = clock.nowSeconds();
    long closed = now - account.lagSeconds;
    Map<Long, Long> positions = new LinkedHashMap<>();
    for (Long test : batch.tests) {
      positions.put(test, startOf(test, closed));
    }
    if (!source.windowed()) {
      long reach = now - source.reachSeconds();
      for (Map.Entry<Long, Long> e : positions.entrySet()) {
        if (e.getValue() < reach) {
          gap(e.getKey(), reach - e.getValue(), "v1 LastRaw serves only the last " + source.reachSeconds()
              + " s (set pull." + account.name + ".windowed=true to backfill)");
        }
      }
      if (min(positions) < closed) {
        window(batch, positions, Long.MIN_VALUE, closed);
      }
      return;
    }
    long start = min(positions);
    while (start < closed && !stopping) {
      long end = Math.min(closed, start + account.windowSeconds);
      window(batch, positions, start, end);
      start = end;
    }
  }

  /** Where a test's next window starts: its cursor, clamped to max_backfill; one interval back if new. */
  private long startOf(long test, long closed) throws IOException {
    PullCursor c = cursors.load(account.name, test);
    long floor = closed - account.maxBackfillSeconds;
    if (c == null) {
      return Math.max(floor, closed - account.intervalSeconds);
    }
    states.get(test).cursor = c.position();
    if (c.position() < floor) {
      gap(test, floor - c.position(), "older than pull." + account.name + ".max_backfill");
      return floor;
    }
    return c.position();
  }

  private void gap(long test, long seconds, String why) {
    stats.add("catchpoint.pull.gap_seconds", "account", account.name, seconds);
    LOG.warn("catchpoint pull, account {}, test {}: {} s were not pulled: {}", account.name, test, seconds, why);
  }

  /** Pulls [start, end) (start unbounded for LastRaw), writes it, waits for storage, moves the cursors. */
  private void window(Batch batch, Map<Long, Long> positions, long start, long end)
      throws IOException, InterruptedException {
    long startedNanos = System.nanoTime();
    WriteBatch write = stage.openStream(ackTimeoutMillis, maxInFlight);
    Map<Long, CompletableFuture<Boolean>> learning = new HashMap<>();
    List<Run> held = new ArrayList<>();
    List<DataPoint> chunk = new ArrayList<>(CHUNK_POINTS + 64);
    RunSink sink = run -> {
      Long from = positions.get(run.testId());
      long t = run.timestampSeconds();
      if (from == null) {
        stats.increment("catchpoint.pull.runs_unexpected_test", "account", account.name);
        return;
      }
      if (t < from || t < start || t >= end) {
        return;
      }
      if (!nodes.knows(run.nodeId())) {
        // Written now, it would start a series of the node without its enrichment tags.
        CompletableFuture<Boolean> learned = learning.computeIfAbsent(run.nodeId(), nodes::learn);
        if (!learned.isDone()) {
          if (held.size() >= MAX_HELD_RUNS) {
            throw new PullException(PullException.Kind.CATALOG, 0, "more than " + MAX_HELD_RUNS + " runs of nodes "
                + "the catalog is still looking for: " + learning.keySet() + " (retried next interval)", null);
          }
          held.add(run);
          return;
        }
      }
      writeRun(write, chunk, run);
    };
    RowCounts counts = source.fetch(batch.tests, batch.typeId, start == Long.MIN_VALUE ? end - source.reachSeconds()
        : start, end, sink);
    if (!held.isEmpty()) {
      awaitCatalog(learning);
      for (Run run : held) {
        writeRun(write, chunk, run);
      }
    }
    writeChunk(write, chunk);
    WriteOutcome outcome = awaitOutcome(write);
    if (outcome.status() != WriteOutcome.Status.STORED) {
      throw storageFailed(outcome);
    }

    stats.add("catchpoint.pull.rows", "account", account.name, counts.rows());
    stats.add("catchpoint.pull.values_null", "account", account.name, counts.nullValues());
    stats.add("catchpoint.pull.rows_invalid", "account", account.name, counts.invalidRows());
    stats.add("catchpoint.pull.datapoints", "account", account.name, outcome.written());
    long overBudget = outcome.skippedByReason().getOrDefault(SkipReason.METRIC_BUDGET, 0L);
    stats.add("catchpoint.pull.points_rejected", "account", account.name, outcome.skippedCount() - overBudget);
    if (overBudget > 0) {
      stats.add("catchpoint.pull.points_over_metric_budget", "account", account.name, overBudget);
      LOG.warn("catchpoint pull, account {}: {} datapoints of new metric names were not written (metrics.max_new_per_"
          + "request / metrics.max_derived): {}", account.name, overBudget, outcome.skipped());
    }
    stats.increment("catchpoint.pull.windows_ok", "account", account.name);
    if (!counts.derivedColumns().isEmpty()) {
      LOG.debug("catchpoint pull, account {}: columns not in the vocabulary table, written as {}", account.name,
          counts.derivedColumns());
    }
    long nowMillis = clock.nowMillis();
    // What an operator (and the benchmark) reads to see how long a window took, fetch to acknowledgement.
    Map<String, Object> last = new LinkedHashMap<>();
    last.put("start", start == Long.MIN_VALUE ? null : RestTimes.iso(start));
    last.put("end", RestTimes.iso(end));
    last.put("tests", batch.tests.size());
    last.put("rows", counts.rows());
    last.put("datapoints", outcome.written());
    last.put("seconds", Math.round((System.nanoTime() - startedNanos) / 1e6) / 1e3);
    Map<String, Object> lastWindow = Collections.unmodifiableMap(last);
    confirmHolder();
    for (Long test : batch.tests) {
      if (positions.get(test) < end) {
        positions.put(test, end);
        cursors.save(new PullCursor(account.name, test, end));
      }
      TestState s = states.get(test);
      s.cursor = positions.get(test);
      s.lastSuccessMillis = nowMillis;
      s.lastError = null;
      s.lastWindow = lastWindow;
    }
    lastLoggedError = null;
  }

  /** Another TSD took the account (this one was paused, or cut off): it writes nothing more. */
  private void confirmHolder() throws PullException {
    if (!gate.confirm(account.name)) {
      String holder = gate.holder(account.name);
      throw new PullException(PullException.Kind.LEASE_LOST, 0, "this TSD no longer holds the account's lease"
          + (holder != null ? " (" + holder + " does)" : "") + "; the window is left to the holder, which pulls it "
          + "from the stored cursors", null);
    }
  }

  /**
   * Maps one run into the window's chunk; a full chunk is written (its new names readied at once). A
   * run of a node the catalog looked for and does not know is counted.
   */
  private void writeRun(WriteBatch write, List<DataPoint> chunk, Run run) throws InterruptedException, PullException {
    if (!nodes.knows(run.nodeId())) {
      stats.increment("catchpoint.pull.runs_unenriched", "account", account.name);
    }
    chunk.addAll(mapper.apply(run));
    if (chunk.size() >= CHUNK_POINTS) {
      writeChunk(write, chunk);
    }
  }

  private void writeChunk(WriteBatch write, List<DataPoint> chunk) throws InterruptedException, PullException {
    if (chunk.isEmpty()) {
      return;
    }
    confirmHolder();
    boolean taken = write.writeAll(chunk);
    chunk.clear();
    if (!taken) {
      throw storageFailed(write.outcome().join());
    }
  }

  /** Waits for the catalog to look for the nodes the window's held runs name. */
  private void awaitCatalog(Map<Long, CompletableFuture<Boolean>> learning) throws InterruptedException, PullException {
    try {
      CompletableFuture.allOf(learning.values().toArray(new CompletableFuture<?>[0]))
          .get(CATALOG_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new PullException(PullException.Kind.CATALOG, 0, "the node catalog did not finish looking for nodes "
          + learning.keySet() + " within " + CATALOG_WAIT_MILLIS + " ms (retried next interval)", null);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("learning a node never fails", e);
    }
  }

  private static WriteOutcome awaitOutcome(WriteBatch write) throws InterruptedException {
    try {
      return write.finish().get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("a write outcome never fails", e);
    }
  }

  private PullException storageFailed(WriteOutcome o) {
    if (o.status() == WriteOutcome.Status.FAILED) {
      return new PullException(PullException.Kind.STORAGE, 0, "storage failed to write a point: " + o.failure(),
          o.failure());
    }
    return new PullException(PullException.Kind.STORAGE, 0, "storage did not acknowledge the window's points within "
        + ackTimeoutMillis + " ms", null);
  }

  private void failed(Batch batch, Exception e) {
    stats.increment("catchpoint.pull.windows_failed", "account", account.name);
    String message = e instanceof PullException ? e.getMessage() : e.toString();
    long nowMillis = clock.nowMillis();
    for (Long test : batch.tests) {
      TestState s = states.get(test);
      s.lastError = message;
      s.lastErrorMillis = nowMillis;
    }
    // Logged when it changes, not every interval while Catchpoint is down.
    if (!message.equals(lastLoggedError)) {
      lastLoggedError = message;
      if (e instanceof RuntimeException) {
        LOG.error("catchpoint pull, account {}, tests {}: {}", account.name, batch.tests, message, e);
      } else {
        LOG.warn("catchpoint pull, account {}, tests {}: {} (the cursor stays; retried next interval)",
            account.name, batch.tests, message);
      }
    }
  }

  private static long min(Map<Long, Long> positions) {
    long m = Long.MAX_VALUE;
    for (long p : positions.values()) {
      m = Math.min(m, p);
    }
    return m;
  }

  /** Per test: cursor, lag, last success and window, last error; next run and pause for the account. */
  public List<Map<String, Object>> status() {
    long now = clock.nowMillis();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Batch b : batches) {
      for (Long test : b.tests) {
        TestState s = states.get(test);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account", account.name);
        m.put("api", account.api);
        m.put("test_id", test);
        m.put("test_type", s.type);
        Long cursor = s.cursor;
        m.put("cursor", cursor == null ? null : RestTimes.iso(cursor));
        m.put("lag_seconds", cursor == null ? null : Math.max(0, now / 1000 - cursor));
        m.put("last_success", s.lastSuccessMillis == 0 ? null : RestTimes.iso(s.lastSuccessMillis / 1000));
        m.put("last_window", s.lastWindow);
        m.put("last_error", s.lastError);
        m.put("last_error_at", s.lastErrorMillis == 0 ? null : RestTimes.iso(s.lastErrorMillis / 1000));
        m.put("next_run", nextRunMillis == 0 ? null : RestTimes.iso(nextRunMillis / 1000));
        m.put("paused_until", pausedUntilMillis > now ? RestTimes.iso(pausedUntilMillis / 1000) : null);
        m.put("running", running.get());
        out.add(m);
      }
    }
    return out;
  }

  /** The largest lag of the account's tests, in seconds (-1 before the first cursor). */
  public long maxLagSeconds() {
    long now = clock.nowSeconds();
    long lag = -1;
    for (TestState s : states.values()) {
      Long c = s.cursor;
      if (c != null) {
        lag = Math.max(lag, now - c);
      }
    }
    return lag;
  }

  /** Tests of one type pulled together. */
  private static final class Batch {
    final Integer typeId;
    final List<Long> tests;

    Batch(Integer typeId, List<Long> tests) {
      this.typeId = typeId;
      this.tests = tests;
    }
  }

  /** What the status page shows for one test. */
  private static final class TestState {
    final long testId;
    final String type;
    volatile Long cursor;
    volatile long lastSuccessMillis;
    volatile String lastError;
    volatile long lastErrorMillis;
    /** The last window pulled: its bounds, the tests it held, rows, datapoints and seconds taken. */
    volatile Map<String, Object> lastWindow;

    TestState(long testId, String type) {
      this.testId = testId;
      this.type = type;
    }
  }
}

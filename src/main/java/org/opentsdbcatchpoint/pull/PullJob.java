package org.opentsdbcatchpoint.pull;

import org.opentsdbcatchpoint.pipeline.Clock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.opentsdbcatchpoint.catalog.NodeLookup;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.pipeline.TestType;
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
  private final PullAccountSettings account;
  private final PullSource source;
  private final CursorStore cursors;
  private final Clock clock;
  private final Stats stats;
  private final BooleanSupplier readOnly;
  private final PullGate gate;
  private final WindowWriter writer;
  private final List<Batch> batches = new ArrayList<>();
  private final Map<Long, TestState> states = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean stopping;
  private volatile long pausedUntilMillis;
  private volatile long nextRunMillis;
  private volatile String lastLoggedError;
  /** The last failure to store a cursor, until a save succeeds again; null when they are stored. */
  private volatile String cursorError;

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
    this.cursors = cursors;
    this.clock = clock;
    this.stats = stats;
    this.readOnly = readOnly;
    this.gate = gate;
    this.writer = new WindowWriter(account.name, mapper, stage, nodes, stats, maxInFlight, ackTimeoutMillis,
        this::confirmHolder, clock);
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
    WindowWriter.Written written = writer.write(source, batch.tests, batch.typeId, positions, start, end);
    long nowMillis = clock.nowMillis();
    confirmHolder();
    for (Long test : batch.tests) {
      if (positions.get(test) < end) {
        positions.put(test, end);
        saveCursor(new PullCursor(account.name, test, end));
      }
      TestState s = states.get(test);
      s.cursor = positions.get(test);
      s.lastSuccessMillis = nowMillis;
      s.lastError = null;
      s.lastWindow = written.summary;
    }
    lastLoggedError = null;
  }

  /**
   * Stores a cursor whose window storage acknowledged. A store that fails (a full or read-only disk) does
   * not fail the window: the data is written and the cursor moves on in memory, so the pull goes on; the
   * failure is counted, logged once until it clears, shown in the status, and the next save tries again.
   * A restart before that pulls again from the last stored cursor: duplicates, never a gap.
   */
  private void saveCursor(PullCursor cursor) {
    try {
      cursors.save(cursor);
      if (cursorError != null) {
        cursorError = null;
        LOG.info("catchpoint pull, account {}: the cursors are stored again", account.name);
      }
    } catch (IOException | RuntimeException e) {
      stats.increment("catchpoint.pull.cursor_save_failures", "account", account.name);
      String message = e.getMessage() != null ? e.getMessage() : e.toString();
      if (!message.equals(cursorError)) {
        LOG.warn("catchpoint pull, account {}, test {}: {} (the pull goes on; the cursor is kept in memory and "
            + "stored again with the next window; a restart before that pulls again from the last stored cursor)",
            account.name, cursor.testId(), message);
      }
      cursorError = message;
    }
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
        m.put("cursor_store_error", cursorError);
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

package org.opentsdbcatchpoint.pull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.opentsdbcatchpoint.catalog.NodeLookup;
import org.opentsdbcatchpoint.pipeline.Clock;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.pipeline.WriteStage;
import org.opentsdbcatchpoint.stats.Stats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The imports of this TSD's accounts: asked for over HTTP, stored in the {@link ImportStore} (shared
 * by the TSDs of one HBase), and pulled one at a time on the plugin's import thread by the TSD that
 * holds the account's lease. Every few seconds that thread looks at the stored imports and runs the
 * first unfinished one of an account it holds: so an import asked of any TSD runs on the holder, and a
 * TSD restarted (or one that takes the account over) resumes the import from its stored cursors.
 */
public final class Imports {
  private static final Logger LOG = LoggerFactory.getLogger(Imports.class);
  /** How often the stored imports are looked at. */
  static final long TICK_MILLIS = 5000;
  /** Imports kept; the oldest finished ones go first, and no new one is taken while all are unfinished. */
  static final int MAX_STORED = 50;
  static final int MAX_TESTS = 100;
  static final long MAX_RANGE_SECONDS = 366L * 86400;

  /** An import that cannot be asked for: the status, kind and place of the problem. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    public final int status;
    public final String kind;
    public final String where;

    Refused(int status, String kind, String message, String where) {
      super(message);
      this.status = status;
      this.kind = kind;
      this.where = where;
    }
  }

  /** The answer to an import asked for: its progress, and whether it was new or already there. */
  public static final class Submitted {
    public final Map<String, Object> progress;
    public final boolean created;
    public final String message;

    Submitted(Map<String, Object> progress, boolean created, String message) {
      this.progress = progress;
      this.created = created;
      this.message = message;
    }
  }

  private final Map<String, PullAccountSettings> accounts = new LinkedHashMap<>();
  private final Map<String, PullSource> sources;
  private final Map<String, AccountQuota> quotas;
  private final Function<Run, List<DataPoint>> mapper;
  private final WriteStage stage;
  private final NodeLookup nodes;
  private final ImportStore store;
  private final PullGate gate;
  private final BooleanSupplier readOnly;
  private final Clock clock;
  private final Stats stats;
  private final String me;
  private final int maxInFlight;
  private final long ackTimeoutMillis;
  private final Backoff backoff;
  private final AtomicBoolean ticking = new AtomicBoolean();
  private volatile boolean stopping;
  private volatile ScheduledExecutorService executor;
  private volatile ImportRecord current;

  /**
   * @param sources per account, the source whose requests wait behind the live pulls ({@link CatchpointHttp#forImports})
   * @param me this TSD's name, shown as the import's runner
   */
  public Imports(List<PullAccountSettings> accounts, Map<String, PullSource> sources, Map<String, AccountQuota> quotas,
      Function<Run, List<DataPoint>> mapper, WriteStage stage, NodeLookup nodes, ImportStore store, PullGate gate,
      BooleanSupplier readOnly, Clock clock, Stats stats, String me, int maxInFlight, long ackTimeoutMillis,
      Backoff backoff) {
    for (PullAccountSettings a : accounts) {
      this.accounts.put(a.name, a);
    }
    this.sources = sources;
    this.quotas = quotas;
    this.mapper = mapper;
    this.stage = stage;
    this.nodes = nodes;
    this.store = store;
    this.gate = gate;
    this.readOnly = readOnly;
    this.clock = clock;
    this.stats = stats;
    this.me = me;
    this.maxInFlight = maxInFlight;
    this.ackTimeoutMillis = ackTimeoutMillis;
    this.backoff = backoff;
  }

  /** Looks at the stored imports now and every {@link #TICK_MILLIS}; the executor is the imports' own. */
  public void start(ScheduledExecutorService executor) {
    this.executor = executor;
    executor.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The running import stops after its window; the executor is its owner's to shut down. */
  public void stop() {
    stopping = true;
  }

  /**
   * Asks for an import of some tests of an account over [from, to). The same import asked again
   * answers the stored one: running, it is attached to; failed, it resumes; done, it is only imported
   * again with {@code again}.
   *
   * @param tests test ids; their type is the account's list they are in, else {@code type}
   * @param type the type of tests the account does not list (a {@code tests.<type>} name), or null
   */
  public synchronized Submitted submit(String account, List<Long> tests, String type, long from, long to,
      boolean again) throws Refused {
    PullAccountSettings a = accounts.get(account);
    if (a == null) {
      throw new Refused(404, "not_found", "no pull account " + account + "; known: " + accounts.keySet(), "account");
    }
    if (!a.windowed) {
      throw new Refused(400, "bad_request", "account " + account + " uses v1 LastRaw, which serves only the last "
          + "15 minutes: set pull." + account + ".windowed=true to import", "account");
    }
    if (tests.isEmpty() || tests.size() > MAX_TESTS) {
      throw new Refused(400, "bad_request", "name 1 to " + MAX_TESTS + " test ids: tests=ID,ID", "tests");
    }
    Map<Long, String> typed = new LinkedHashMap<>();
    for (Long test : tests) {
      String t = typeOf(a, test);
      if (t == null) {
        if (type == null || type.isEmpty()) {
          throw new Refused(400, "bad_request", "test " + test + " is in none of the lists of account " + account
              + ": give its type (type=web, ping, ...)", "tests");
        }
        if (!PullAccountSettings.OTHER_TESTS.equals(type) && org.opentsdbcatchpoint.pipeline.TestType.idOf(type) == null) {
          throw new Refused(400, "bad_request", type + " names no test type (web, api, transaction, dns, ping, "
              + "traceroute, ..., or other)", "type");
        }
        t = type;
      }
      typed.put(test, t);
    }
    long closed = clock.nowSeconds() - a.lagSeconds;
    if (from >= to) {
      throw new Refused(400, "bad_request", "from must be before to", "from");
    }
    if (to > closed) {
      throw new Refused(400, "bad_request", "to (" + RestTimes.iso(to) + ") must not be after now minus the account's "
          + "lag (" + RestTimes.iso(closed) + "): newer runs are the live pulls' to take", "to");
    }
    if (to - from > MAX_RANGE_SECONDS) {
      throw new Refused(400, "bad_request", "an import covers at most 366 days", "from");
    }
    List<ImportRecord> stored = load();
    ImportRecord asked = new ImportRecord(account, typed, from, to, a.importWindowSeconds, a.batchSize, !a.isV2(),
        quotas.get(account).importGapMillis(), lastSpeed(stored, account, a.importWindowSeconds));
    for (ImportRecord r : stored) {
      if (r.id.equals(asked.id)) {
        return resubmit(r, again);
      }
    }
    makeRoom(stored);
    asked.createdMillis = clock.nowMillis();
    save(asked);
    LOG.info("catchpoint import {}: asked for account {}, tests {}, {} to {}: {} windows, {} requests, about {} s",
        asked.id, account, typed.keySet(), RestTimes.iso(from), RestTimes.iso(to), asked.windowsTotal,
        asked.requestsPlanned, asked.estimateSeconds);
    wake();
    return new Submitted(asked.progress(clock.nowMillis()), true, message(asked, "queued"));
  }

  private Submitted resubmit(ImportRecord r, boolean again) throws Refused {
    if (r.state == ImportRecord.State.FAILED || (again && r.state == ImportRecord.State.DONE)) {
      if (again && r.state == ImportRecord.State.DONE) {
        r.cursors.clear();
        r.windowsDone = 0;
        r.runs = 0;
        r.points = 0;
        r.requests = 0;
        r.rateLimited = 0;
        r.startedMillis = 0;
        r.windowsPerSecond = 0;
        r.pointsPerSecond = 0;
      }
      r.state = ImportRecord.State.QUEUED;
      r.finishedMillis = 0;
      r.lastError = null;
      save(r);
      wake();
      return new Submitted(r.progress(clock.nowMillis()), false, message(r, again ? "queued again from its start"
          : "resumed from its cursors"));
    }
    String what = r.state == ImportRecord.State.DONE ? "already done (add again to import it once more)"
        : "already " + r.state.text() + ": attached to it";
    return new Submitted(r.progress(clock.nowMillis()), false, message(r, what));
  }

  private String message(ImportRecord r, String what) {
    String holder = gate.mayPull(r.account) ? null : gate.holder(r.account);
    return "import " + what + (holder != null ? "; " + holder + " holds the account's lease and runs it" : "")
        + "; progress at /plugin/catchpoint/pull/import?id=" + r.id;
  }

  /** Windows a second of the account's last finished import with windows of the same size; 0 for none. */
  private static double lastSpeed(List<ImportRecord> stored, String account, long windowSeconds) {
    ImportRecord last = null;
    for (ImportRecord r : stored) {
      if (r.account.equals(account) && r.state == ImportRecord.State.DONE && r.windowSeconds == windowSeconds
          && r.windowsPerSecond > 0 && (last == null || r.finishedMillis > last.finishedMillis)) {
        last = r;
      }
    }
    return last == null ? 0 : last.windowsPerSecond;
  }

  /** Drops the oldest finished imports beyond the bound; refuses when every stored one is unfinished. */
  private void makeRoom(List<ImportRecord> stored) throws Refused {
    if (stored.size() < MAX_STORED) {
      return;
    }
    List<ImportRecord> finished = new ArrayList<>();
    for (ImportRecord r : stored) {
      if (r.finished()) {
        finished.add(r);
      }
    }
    finished.sort(Comparator.comparingLong(r -> r.createdMillis));
    int drop = stored.size() - MAX_STORED + 1;
    if (finished.size() < drop) {
      throw new Refused(429, "too_many_imports", MAX_STORED + " imports are waiting or running; ask again once some "
          + "are done", null);
    }
    for (int i = 0; i < drop; i++) {
      try {
        store.delete(finished.get(i).id);
      } catch (IOException e) {
        throw new Refused(503, "unavailable", "could not make room for the import: " + e.getMessage(), null);
      }
    }
  }

  /** Before each chunk of points: the account's lease is still this TSD's. */
  private WindowWriter.Confirm leaseCheck(String account) {
    return () -> {
      if (!gate.confirm(account)) {
        throw new PullException(PullException.Kind.LEASE_LOST, 0, "this TSD no longer holds the lease of account "
            + account + "; the holder resumes the import from its stored cursors", null);
      }
    };
  }

  private static String typeOf(PullAccountSettings a, long test) {
    for (Map.Entry<String, List<Long>> e : a.tests.entrySet()) {
      if (e.getValue().contains(test)) {
        return e.getKey();
      }
    }
    return null;
  }

  /** Every stored import's progress, newest first; the running one's as of its last window. */
  public List<Map<String, Object>> list() {
    List<Map<String, Object>> out = new ArrayList<>();
    List<ImportRecord> all;
    try {
      all = load();
    } catch (Refused e) {
      ImportRecord c = current;
      return c == null ? Collections.emptyList() : Collections.singletonList(c.progress(clock.nowMillis()));
    }
    all.sort(Comparator.comparingLong((ImportRecord r) -> r.createdMillis).reversed());
    for (ImportRecord r : all) {
      out.add(r.progress(clock.nowMillis()));
    }
    return out;
  }

  /** One import's progress, or null. */
  public Map<String, Object> get(String id) {
    for (Map<String, Object> m : list()) {
      if (id.equals(m.get("id"))) {
        return m;
      }
    }
    return null;
  }

  private List<ImportRecord> load() throws Refused {
    List<ImportRecord> out = new ArrayList<>();
    try {
      for (String text : store.loadAll()) {
        ImportRecord r = ImportRecord.parse(text);
        if (r == null) {
          LOG.warn("catchpoint import: a stored import cannot be read and is ignored: {}",
              text.length() > 200 ? text.substring(0, 200) : text);
        } else {
          out.add(r);
        }
      }
    } catch (IOException e) {
      throw new Refused(503, "unavailable", "the stored imports cannot be read: " + e.getMessage(), null);
    }
    return out;
  }

  private void save(ImportRecord r) throws Refused {
    try {
      store.save(r.id, r.serialize());
    } catch (IOException e) {
      throw new Refused(503, "unavailable", "the import cannot be stored: " + e.getMessage(), null);
    }
  }

  private void wake() {
    ScheduledExecutorService e = executor;
    if (e != null) {
      try {
        e.execute(this::tick);
      } catch (RejectedExecutionException stopped) {
        // shutting down: the next start resumes it
      }
    }
  }

  /** Runs the stored unfinished imports of the accounts this TSD holds, one after another. Never throws. */
  void tick() {
    if (!ticking.compareAndSet(false, true)) {
      return;
    }
    try {
      while (!stopping && !readOnly.getAsBoolean()) {
        ImportRecord next = null;
        List<ImportRecord> all = load();
        all.sort(Comparator.comparingLong(r -> r.createdMillis));
        for (ImportRecord r : all) {
          if (!r.finished() && accounts.containsKey(r.account) && gate.mayPull(r.account)) {
            next = r;
            break;
          }
        }
        if (next == null) {
          return;
        }
        current = next;
        ImportJob job = new ImportJob(next, sources.get(next.account), new WindowWriter(next.account, mapper, stage,
            nodes, stats, maxInFlight, ackTimeoutMillis, leaseCheck(next.account)), store, clock, stats, backoff,
            () -> stopping, gate, me);
        ImportJob.Outcome o = job.run();
        if (o == ImportJob.Outcome.STOPPED || o == ImportJob.Outcome.LEFT_TO_HOLDER) {
          return;
        }
      }
    } catch (Refused e) {
      LOG.warn("catchpoint import: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      stats.increment("catchpoint.pull.import_errors");
      LOG.error("catchpoint import: an import failed unexpectedly; it is resumed from its stored cursors later", e);
    } finally {
      current = null;
      ticking.set(false);
    }
  }
}

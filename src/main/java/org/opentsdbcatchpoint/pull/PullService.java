package org.opentsdbcatchpoint.pull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.opentsdbcatchpoint.catalog.CatalogRefresher;
import org.opentsdbcatchpoint.catalog.NodeSource;
import org.opentsdbcatchpoint.pipeline.Clock;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.pipeline.WriteStage;
import org.opentsdbcatchpoint.stats.Stats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pull side of the plugin, assembled from the settings: one client per account and, once
 * {@link #start} is called (the TSD is ready), a job per account on a scheduler.
 */
public final class PullService {
  private static final Logger LOG = LoggerFactory.getLogger(PullService.class);
  /** A 429 asking for a longer wait pauses the account instead of holding its thread. */
  static final long MAX_INLINE_RATE_LIMIT_WAIT_MILLIS = 120_000L;
  static final int MAX_POINTS_IN_FLIGHT = 5000;
  static final long ACK_TIMEOUT_MILLIS = 60_000L;
  static final long DRAIN_MILLIS = 10_000L;
  /** Pulls start once the catalog has had its first load, or after this long without one. */
  static final long FIRST_LOAD_WAIT_MILLIS = 60_000L;

  private final PullSettings settings;
  private final Stats stats;
  private final Clock clock;
  private final Map<String, PullSource> sources = new LinkedHashMap<>();
  /** Per account, the source of its imports: the same client, its requests behind the live pulls'. */
  private final Map<String, PullSource> importSources = new LinkedHashMap<>();
  private final Map<String, AccountQuota> quotas = new LinkedHashMap<>();
  private volatile PullScheduler scheduler;
  private volatile Imports imports;
  private volatile PullGate gate = PullGate.ALWAYS;

  public PullService(PullSettings settings, Stats stats, HttpTransport transport, Clock clock) {
    this.settings = settings;
    this.stats = stats;
    this.clock = clock;
    for (PullAccountSettings a : settings.accounts) {
      AccountQuota quota = new AccountQuota(clock, a.importRequestsPerMinute);
      CatchpointHttp http = new CatchpointHttp(a.name, transport, clock, Backoff.defaults(),
          MAX_INLINE_RATE_LIMIT_WAIT_MILLIS, stats, quota);
      quotas.put(a.name, quota);
      sources.put(a.name, PullSource.of(a, http));
      importSources.put(a.name, PullSource.of(a, http.forImports()));
    }
  }

  /**
   * Where the node catalog is fetched from: every account, v2 ones first, so that v1's richer node
   * records (ISP, region, continent), applied last, win.
   */
  public List<NodeSource> nodeSources() {
    List<NodeSource> out = new ArrayList<>();
    List<NodeSource> v1 = new ArrayList<>();
    for (PullAccountSettings a : settings.accounts) {
      (a.isV2() ? out : v1).add(sources.get(a.name));
    }
    out.addAll(v1);
    return out;
  }

  /** The cursor store the settings ask for when the TSD offers none: the cursor file, else memory. */
  public CursorStore defaultCursorStore() throws IOException {
    return settings.cursorFile != null ? new FileCursorStore(settings.cursorFile) : new InMemoryCursorStore();
  }

  /**
   * Starts pulling once the catalog has had its first load (a pull before it would make every window
   * wait for nodes the first load brings anyway), or after {@link #FIRST_LOAD_WAIT_MILLIS}. Call once.
   *
   * @param mapper the shared run mapper
   * @param stage the shared write stage
   * @param catalog the shared catalog, which runs of unknown nodes wait for
   * @param executor one thread per account is enough; owned by the pulls from now on
   * @param readOnly true while the TSD must not be written
   * @param gate which accounts this TSD pulls now (all of them for a lone TSD)
   */
  public synchronized void start(Function<Run, List<DataPoint>> mapper, WriteStage stage, CatalogRefresher catalog,
      CursorStore cursors, ScheduledExecutorService executor, BooleanSupplier readOnly, PullGate gate) {
    start(mapper, stage, catalog, cursors, executor, readOnly, gate, null, null, "this TSD");
  }

  /**
   * As {@link #start(Function, WriteStage, CatalogRefresher, CursorStore, ScheduledExecutorService,
   * BooleanSupplier, PullGate)}, with the imports too.
   *
   * @param importStore where imports are kept (null: no imports)
   * @param importExecutor the imports' own thread, owned by the caller
   * @param me this TSD's name, shown as the runner of its imports
   */
  public synchronized void start(Function<Run, List<DataPoint>> mapper, WriteStage stage, CatalogRefresher catalog,
      CursorStore cursors, ScheduledExecutorService executor, BooleanSupplier readOnly, PullGate gate,
      ImportStore importStore, ScheduledExecutorService importExecutor, String me) {
    if (scheduler != null) {
      return;
    }
    this.gate = gate;
    List<PullJob> jobs = new ArrayList<>();
    for (PullAccountSettings a : settings.accounts) {
      PullJob job = new PullJob(a, sources.get(a.name), mapper, stage, catalog, cursors, clock, stats, readOnly, gate,
          MAX_POINTS_IN_FLIGHT, ACK_TIMEOUT_MILLIS);
      quotas.get(a.name).liveRunning(job::isRunning);
      jobs.add(job);
    }
    if (importStore != null && importExecutor != null && !settings.accounts.isEmpty()) {
      Imports im = new Imports(settings.accounts, importSources, quotas, mapper, stage, catalog, importStore, gate,
          readOnly, clock, stats, me, MAX_POINTS_IN_FLIGHT, ACK_TIMEOUT_MILLIS, Backoff.defaults());
      imports = im;
      // Resumes the stored imports once the catalog had its first load, as the live pulls start.
      AtomicBoolean importsBegun = new AtomicBoolean();
      Runnable beginImports = () -> {
        if (importsBegun.compareAndSet(false, true)) {
          im.start(importExecutor);
        }
      };
      catalog.firstLoad().thenRun(beginImports);
      importExecutor.schedule(beginImports, FIRST_LOAD_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }
    PullScheduler s = new PullScheduler(jobs, executor, clock, () -> ThreadLocalRandom.current().nextDouble(), stats,
        DRAIN_MILLIS);
    scheduler = s;
    AtomicBoolean begun = new AtomicBoolean();
    Runnable begin = () -> {
      if (begun.compareAndSet(false, true)) {
        s.start();
        if (!jobs.isEmpty()) {
          LOG.info("catchpoint pull: started for {} account(s): {}", jobs.size(), sources.keySet());
        }
      }
    };
    catalog.firstLoad().thenRun(begin);
    executor.schedule(begin, FIRST_LOAD_WAIT_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The imports, once the pulls started with a store for them; else null. */
  public Imports imports() {
    return imports;
  }

  public boolean started() {
    return scheduler != null;
  }

  /** Account names, in configuration order. */
  public List<String> accounts() {
    return new ArrayList<>(sources.keySet());
  }

  /** Whether this TSD pulls the account now (it holds its lease, or pulls alone). */
  public boolean pullsHere(String account) {
    return gate.mayPull(account);
  }

  /** Who pulls the account, when it is another TSD; null when unknown or this one. */
  public String holder(String account) {
    return gate.holder(account);
  }

  /** Whether the account's pull is running now. */
  public boolean running(String account) {
    PullScheduler s = scheduler;
    if (s != null) {
      for (PullJob j : s.jobs()) {
        if (j.account().equals(account)) {
          return j.isRunning();
        }
      }
    }
    return false;
  }

  /** Pulls an account now; null when the account is unknown or pulls have not started. */
  public CompletableFuture<Boolean> runNow(String account) {
    PullScheduler s = scheduler;
    return s == null ? null : s.runNow(account);
  }

  /** Per account and test: cursor, lag, last success, last error, next run. */
  public List<Map<String, Object>> status() {
    PullScheduler s = scheduler;
    if (s == null) {
      return Collections.emptyList();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (PullJob j : s.jobs()) {
      out.addAll(j.status());
    }
    return out;
  }

  /** The largest lag per account, in seconds (-1 before its first window). */
  public Map<String, Long> lagSeconds() {
    Map<String, Long> m = new LinkedHashMap<>();
    PullScheduler s = scheduler;
    if (s != null) {
      for (PullJob j : s.jobs()) {
        m.put(j.account(), j.maxLagSeconds());
      }
    }
    return m;
  }

  /** Stops scheduling, lets running windows finish for a bounded time; completes when the threads are gone. */
  public synchronized CompletableFuture<Void> shutdown() {
    Imports im = imports;
    if (im != null) {
      im.stop();
    }
    PullScheduler s = scheduler;
    return s == null ? CompletableFuture.completedFuture(null) : s.shutdown();
  }
}

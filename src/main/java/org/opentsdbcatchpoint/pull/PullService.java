package org.opentsdbcatchpoint.pull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.opentsdbcatchpoint.catalog.CatalogHolder;
import org.opentsdbcatchpoint.catalog.CatalogRefresher;
import org.opentsdbcatchpoint.catalog.Node;
import org.opentsdbcatchpoint.config.PluginSettings;
import org.opentsdbcatchpoint.config.PullAccountSettings;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.pipeline.WriteStage;
import org.opentsdbcatchpoint.stats.Stats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pull side of the plugin, assembled from the settings: one client per account, the node catalog
 * refresh (which needs the accounts' APIs), and, once {@link #start} is called (the TSD is ready), a
 * job per account on the scheduler's own threads.
 */
public final class PullService {
  private static final Logger LOG = LoggerFactory.getLogger(PullService.class);
  /** Runs naming nodes the catalog does not know refresh it at most this often. */
  static final long UNKNOWN_NODE_REFRESH_MILLIS = 60_000L;
  /** Pulls start once the catalog has had its first load, or after this long without one. */
  static final long FIRST_LOAD_WAIT_MILLIS = 60_000L;
  /** A 429 asking for a longer wait pauses the account instead of holding its thread. */
  static final long MAX_INLINE_RATE_LIMIT_WAIT_MILLIS = 120_000L;
  static final int MAX_POINTS_IN_FLIGHT = 5000;
  static final long ACK_TIMEOUT_MILLIS = 60_000L;
  static final long DRAIN_MILLIS = 10_000L;

  private final PluginSettings settings;
  private final Stats stats;
  private final PullClock clock;
  private final Map<String, PullSource> sources = new LinkedHashMap<>();
  private final CatalogRefresher catalog;
  private final CatalogHolder holder;
  private volatile PullScheduler scheduler;
  private volatile ScheduledThreadPoolExecutor executor;

  /**
   * @param catalog the catalog the mapper reads; refreshes swap its snapshot
   * @param staticNodes the nodes of {@code catalog.file} (the base every refresh starts from)
   */
  public PullService(PluginSettings settings, CatalogHolder catalog, Collection<Node> staticNodes,
      Stats stats, HttpTransport transport, PullClock clock) {
    this.settings = settings;
    this.stats = stats;
    this.clock = clock;
    List<PullSource> v2First = new ArrayList<>();
    List<PullSource> v1 = new ArrayList<>();
    for (PullAccountSettings a : settings.pullAccounts) {
      CatchpointHttp http = new CatchpointHttp(a.name, transport, clock, Backoff.defaults(),
          MAX_INLINE_RATE_LIMIT_WAIT_MILLIS, stats);
      PullSource source = PullSource.of(a, http);
      sources.put(a.name, source);
      (a.isV2() ? v2First : v1).add(source);
    }
    // v1's node records (ISP, region, continent) are richer: applied last, they win.
    v2First.addAll(v1);
    this.holder = catalog;
    this.catalog = new CatalogRefresher(v2First, catalog, staticNodes, settings.catalogCacheFile, clock::nowMillis,
        UNKNOWN_NODE_REFRESH_MILLIS);
    this.catalog.loadCache();
  }

  public CatalogRefresher catalog() {
    return catalog;
  }

  public int catalogSize() {
    return holder.size();
  }

  /** The cursor store the settings ask for when the TSD offers none: the cursor file, else memory. */
  public CursorStore defaultCursorStore() throws IOException {
    return settings.pullCursorFile != null ? new FileCursorStore(settings.pullCursorFile) : new InMemoryCursorStore();
  }

  /**
   * Starts pulling and refreshing the catalog. Call once, when the TSD is ready.
   *
   * @param mapper the shared run mapper
   * @param stage the shared write stage
   * @param readOnly true while the TSD must not be written
   */
  public synchronized void start(Function<Run, List<DataPoint>> mapper, WriteStage stage, CursorStore cursors,
      BooleanSupplier readOnly) {
    if (scheduler != null) {
      return;
    }
    List<PullJob> jobs = new ArrayList<>();
    for (PullAccountSettings a : settings.pullAccounts) {
      jobs.add(new PullJob(a, sources.get(a.name), mapper, stage, catalog, cursors, clock, stats, readOnly,
          MAX_POINTS_IN_FLIGHT, ACK_TIMEOUT_MILLIS));
    }
    // One thread per account, plus one for the catalog refresh.
    executor = PullScheduler.newExecutor(jobs.size() + 1);
    scheduler = new PullScheduler(jobs, executor, clock, () -> ThreadLocalRandom.current().nextDouble(), stats,
        DRAIN_MILLIS);
    catalog.start(executor, settings.catalogRefreshSeconds * 1000);
    // A pull before the catalog's first load would write every node it cannot enrich yet; each window
    // waits for unknown nodes anyway, but one catalog fetch for all is cheaper than one per window.
    AtomicBoolean begun = new AtomicBoolean();
    Runnable begin = () -> {
      if (begun.compareAndSet(false, true)) {
        scheduler.start();
        if (!jobs.isEmpty()) {
          LOG.info("catchpoint pull: started for {} account(s): {}", jobs.size(), sources.keySet());
        }
      }
    };
    catalog.firstLoad().thenRun(begin);
    executor.schedule(begin, FIRST_LOAD_WAIT_MILLIS, TimeUnit.MILLISECONDS);
  }

  public boolean started() {
    return scheduler != null;
  }

  /** Account names, in configuration order. */
  public List<String> accounts() {
    return new ArrayList<>(sources.keySet());
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
    PullScheduler s = scheduler;
    return s == null ? CompletableFuture.completedFuture(null) : s.shutdown();
  }
}

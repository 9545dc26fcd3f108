package org.opentsdbcatchpoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opentsdbcatchpoint.alert.AlertBook;
import org.opentsdbcatchpoint.alert.AlertDecoder;
import org.opentsdbcatchpoint.alert.AlertReceiver;
import org.opentsdbcatchpoint.catalog.CatalogHolder;
import org.opentsdbcatchpoint.catalog.CatalogRefresher;
import org.opentsdbcatchpoint.catalog.CatalogShare;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.catalog.StaticNodeCatalog;
import org.opentsdbcatchpoint.grafana.GrafanaBridge;
import org.opentsdbcatchpoint.lease.Leases;
import org.opentsdbcatchpoint.mapping.RunMapper;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.names.Names;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.pipeline.MetricBudget;
import org.opentsdbcatchpoint.pipeline.Run;
import org.opentsdbcatchpoint.pipeline.WriteStage;
import org.opentsdbcatchpoint.pipeline.Writer;
import org.opentsdbcatchpoint.pull.CursorStore;
import org.opentsdbcatchpoint.pull.PullEndpoint;
import org.opentsdbcatchpoint.pull.PullGate;
import org.opentsdbcatchpoint.pull.PullService;
import org.opentsdbcatchpoint.pull.PullSettings;
import org.opentsdbcatchpoint.push.PushReceiver;
import org.opentsdbcatchpoint.sink.ForwardingWriter;
import org.opentsdbcatchpoint.sink.Forwarders;
import org.opentsdbcatchpoint.stats.History;
import org.opentsdbcatchpoint.stats.SelfReport;
import org.opentsdbcatchpoint.stats.Stats;
import org.opentsdbcatchpoint.ui.OperatorData;
import org.opentsdbcatchpoint.ui.OperatorEndpoint;
import org.opentsdbcatchpoint.web.AccessToken;
import org.opentsdbcatchpoint.web.HealthEndpoint;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;
import org.opentsdbcatchpoint.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole plugin in plain Java, put together from its settings and the {@link Platform} it runs
 * on: the catalog, the write stage, push, pulls, forwarders and the HTTP routes. The OpenTSDB classes
 * only build the platform and forward requests here.
 */
public final class CatchpointService {
  private static final Logger LOG = LoggerFactory.getLogger(CatchpointService.class);
  /**
   * Runs naming nodes the catalog does not know refresh it at most this often. Short, so a push of a
   * new node is answered within its deadline: each unknown node asks once (then it is known, or known
   * to be unknown), and the nodes that arrive meanwhile share one refresh.
   */
  static final long UNKNOWN_NODE_REFRESH_MILLIS = 15_000L;

  private final PluginSettings settings;
  private final Platform platform;
  private final Stats stats = new Stats();
  private final CatalogHolder catalog;
  private final CatalogRefresher refresher;
  private final MetricBudget metricBudget;
  private final WriteStage stage;
  private final Writer writer;
  private final Forwarders forwarders;
  private final RunMapper mapper;
  /** The pull leases when several TSDs share the pulls ({@code pull.mode=lease}); null otherwise. */
  private final Leases leases;
  private final PullGate gate;
  private final ScheduledExecutorService leaseTimer;
  /** The imports' one thread: an import runs beside the live pulls, never in their threads. */
  private final ScheduledExecutorService importThread;
  private final Names names;
  private final PullService pull;
  private final ExecutorService writeExecutor;
  private final ScheduledExecutorService timer;
  /** The plugin's own counters into the TSD: a write of a new name blocks while HBase does, never on the timer. */
  private final ScheduledExecutorService selfReportThread;
  private final ScheduledExecutorService background;
  private final Router router;
  private final History history;
  private final SelfReport selfReport;
  /** The operator page's charts: a sample every 30 s, an hour of them. */
  static final long HISTORY_STEP_SECONDS = 30;
  static final int HISTORY_POINTS = 120;
  /** How often test and node names are written to and read from the plugin's table. */
  static final long NAMES_SYNC_SECONDS = 60;
  /** How long a stopping TSD lets the running import finish its window. */
  static final long IMPORT_DRAIN_SECONDS = 5;

  public CatchpointService(PluginSettings settings, Platform platform) {
    this.settings = settings;
    this.platform = platform;
    // Forwarders: built and started here, never contacting a target before their first batch.
    forwarders = Forwarders.from(settings.forward.targets, stats, platform.clock);
    writer = forwarders.isEmpty() ? platform.writer : new ForwardingWriter(platform.writer, forwarders.list());
    writeExecutor = platform.threads.bounded("push-write", settings.push.writeThreads, settings.push.writeQueue);
    // The deadlines of pushes and alerts: nothing that can wait for HBase may run on it.
    timer = platform.threads.scheduled("timer", 1);
    selfReportThread = platform.threads.scheduled("self-report", 1);
    // The catalog's refreshes and the pulls, one thread per account.
    background = platform.threads.scheduled("pull", settings.pull.accounts.size() + 1);
    // Its own thread: a renewal must never wait behind a long pull.
    leaseTimer = platform.threads.scheduled("lease", 1);
    importThread = platform.threads.scheduled("import", 1);

    List<org.opentsdbcatchpoint.catalog.Node> fileNodes = settings.catalog.staticNodes;
    catalog = new CatalogHolder(fileNodes.isEmpty() ? NodeCatalog.EMPTY : new StaticNodeCatalog(fileNodes));
    if (settings.catalog.file != null) {
      LOG.info("node catalog: {} nodes from {}", fileNodes.size(), settings.catalog.file);
    }
    pull = new PullService(settings.pull, stats, platform.http, platform.clock);
    leases = leases(settings, platform);
    gate = gate(settings.pull.mode, leases);
    refresher = new CatalogRefresher(pull.nodeSources(), catalog, fileNodes, settings.catalog.cacheFile,
        platform.clock::nowMillis, UNKNOWN_NODE_REFRESH_MILLIS, platform.cluster.catalog, this::fetchesCatalogForAll);
    refresher.loadCache();

    metricBudget = new MetricBudget(Vocabulary::inTable, settings.write.maxNewMetricsPerRequest,
        settings.write.maxDerivedMetrics);
    stage = new WriteStage(writer, metricBudget, settings.write.maxPointsInFlight, timer, platform.clock::nanoTime);
    mapper = new RunMapper(catalog::current, settings.mapping.enrichmentTags, platform.maxTags,
        settings.mapping.naming);
    names = new Names(platform.cluster.names);
    // One push token for both webhooks; during a rotation the previous one is accepted and counted.
    AccessToken pushToken = AccessToken.rotating(settings.push.token, settings.push.previousToken,
        () -> stats.increment("catchpoint.push.previous_token_used"));
    PushReceiver push = new PushReceiver(settings.push.decoder(), this::toPoints, refresher, stage,
        pushToken, platform.readOnly, settings.push.ackTimeoutMillis, writeExecutor,
        platform.clock::nanoTime, platform.clock::nowMillis, stats);
    // Alerts: the push's token, limits, deadline and write threads; their records shared through the table.
    AlertReceiver alerts = new AlertReceiver(new AlertDecoder(settings.push.maxBodyBytes, settings.push.maxFields,
        settings.push.maxFutureSeconds), new AlertBook(platform.cluster.alerts(), platform.annotations,
        platform.clock::nanoTime), platform.annotations, this::nodeIdByName, pushToken,
        platform.readOnly, settings.push.ackTimeoutMillis, writeExecutor, timer, platform.clock::nanoTime,
        platform.clock::nowMillis, stats);
    HealthEndpoint health = new HealthEndpoint(version(), platform.clock::nowMillis, settings.summary(), stats,
        this::catalogStatus);
    health.section("metrics", this::metricsStatus);
    health.section("pulls", this::sharingStatus);
    health.acceptsPushes(() -> !platform.readOnly.getAsBoolean());
    history = new History(HISTORY_STEP_SECONDS, HISTORY_POINTS)
        .track("push_datapoints", () -> stats.get("catchpoint.push.datapoints.written"))
        .track("push_requests", () -> stats.sum("catchpoint.push.requests"))
        .track("push_errors", () -> stats.sum("catchpoint.push.errors") + stats.sum("catchpoint.push.storage.errors"))
        .track("pull_datapoints", () -> stats.sum("catchpoint.pull.datapoints"));
    OperatorEndpoint page = new OperatorEndpoint(AccessToken.of(settings.pull.adminToken), new OperatorData(version(),
        platform.clock::nowMillis, settings.summary(), stats, pull, this::sharingStatus, refresher, forwarders::status,
        this::metricsStatus, history));
    router = new Router()
        .route("push", push)
        .route("alert", alerts)
        .route("health", health)
        .route("pull", new PullEndpoint(pull, refresher, settings.pull.adminToken, this::sharingStatus))
        .route("grafana", new GrafanaBridge(platform.series, platform.annotations, names, catalog,
            this::configuredTests, settings.grafana));
    for (String route : OperatorEndpoint.ROUTES) {
      router.route(route, page);
    }
    if (!forwarders.isEmpty()) {
      health.section("forwarders", forwarders::status);
      forwarders.start();
    }
    timer.scheduleAtFixedRate(this::everyStep, 0, HISTORY_STEP_SECONDS, TimeUnit.SECONDS);
    // Names: read at once (the other TSDs' and the last run's), then synced; off the timer, HBase may be slow.
    background.scheduleWithFixedDelay(names::sync, 0, NAMES_SYNC_SECONDS, TimeUnit.SECONDS);
    selfReport = new SelfReport(stats, platform.host);
    if (settings.stats.writeIntervalSeconds > 0) {
      selfReportThread.scheduleWithFixedDelay(this::writeOwnCounters, settings.stats.writeIntervalSeconds,
          settings.stats.writeIntervalSeconds, TimeUnit.SECONDS);
    }
  }

  /**
   * The leases of {@code pull.mode=lease}; none when the TSD has no plugin table to keep them in (then
   * this TSD pulls everything, as with {@code always}, and says so).
   */
  private Leases leases(PluginSettings settings, Platform platform) {
    if (settings.pull.mode != PullSettings.Mode.LEASE || settings.pull.accounts.isEmpty()) {
      return null;
    }
    if (platform.cluster.leases == null) {
      LOG.error("catchpoint pull: pull.mode=lease needs the plugin's HBase table for its leases; this TSD pulls every "
          + "account alone (as pull.mode=always). Do not run other TSDs with the same accounts until the table exists");
      return null;
    }
    List<String> accounts = pull.accounts();
    return new Leases(platform.cluster.leases, platform.host + "/" + platform.clock.nowMillis(), accounts, true,
        platform.clock::nanoTime, platform.clock::nowMillis, settings.pull.leaseMillis, settings.pull.leaseRenewMillis,
        pull::running, new Leases.Listener() {
          @Override
          public void acquired(String account) {
            pull.runNow(account); // resumes from the stored cursors; null before the pulls started
          }

          @Override
          public void lost(String account) {
            // The running pull finds out before its next write, and stops.
          }

          @Override
          public void acquiredCatalog() {
            refresher.fetchingForAll(settings.catalog.refreshSeconds * 1000);
          }
        });
  }

  private static PullGate gate(PullSettings.Mode mode, Leases leases) {
    if (mode == PullSettings.Mode.NEVER) {
      return PullGate.NEVER;
    }
    if (leases == null) {
      return PullGate.ALWAYS;
    }
    return new PullGate() {
      @Override
      public boolean mayPull(String account) {
        return leases.mayPull(account);
      }

      @Override
      public boolean confirm(String account) {
        return leases.confirm(account);
      }

      @Override
      public String holder(String account) {
        return leases.holder(account);
      }
    };
  }

  /** Whether this TSD fetches the node catalog for every TSD of its HBase (others take the shared copy). */
  private boolean fetchesCatalogForAll() {
    if (platform.cluster.catalog == CatalogShare.NONE) {
      return true; // nothing shared: every TSD fetches its own
    }
    if (settings.pull.mode == PullSettings.Mode.NEVER || settings.pull.accounts.isEmpty()) {
      return false; // takes what another TSD fetched; asks Catchpoint only for a node it lacks
    }
    return leases == null || leases.holdsCatalog();
  }

  /** How the pulls are shared: this TSD's mode, the accounts it pulls, who holds which lease. */
  private Map<String, Object> sharingStatus() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", settings.pull.mode.name().toLowerCase(java.util.Locale.ROOT));
    List<String> here = new java.util.ArrayList<>();
    for (String a : pull.accounts()) {
      if (gate.mayPull(a)) {
        here.add(a);
      }
    }
    m.put("pulls_here", here);
    m.put("fetches_catalog", fetchesCatalogForAll());
    if (leases != null) {
      m.put("this_tsd", leases.me());
      m.put("leases", leases.status());
      if (leases.lastError() != null) {
        m.put("last_error", leases.lastError());
      }
    }
    return m;
  }

  /** Every source's runs become points here: push and pulls alike, their names noted on the way. */
  private List<DataPoint> toPoints(Run run) {
    names.observe(run);
    return mapper.map(run);
  }

  /**
   * The id of the node an alert names by name alone: from the names the sources gave, else the
   * catalog's node names; compared without regard to case, spaces and punctuation. Null when unknown.
   */
  private Long nodeIdByName(String name) {
    String wanted = Vocabulary.squash(name);
    for (Map.Entry<Long, String> e : names.nodes().entrySet()) {
      if (Vocabulary.squash(e.getValue()).equals(wanted)) {
        return e.getKey();
      }
    }
    for (org.opentsdbcatchpoint.catalog.Node n : catalog.current().all()) {
      String known = n.attribute("node");
      if (known != null && Vocabulary.squash(known).equals(wanted)) {
        return n.id();
      }
    }
    return null;
  }

  /** The tests the pull accounts name, id to type: the bridge lists them before any data came. */
  private Map<Long, String> configuredTests() {
    Map<Long, String> out = new LinkedHashMap<>();
    for (org.opentsdbcatchpoint.pull.PullAccountSettings a : settings.pull.accounts) {
      for (Map.Entry<String, List<Long>> e : a.tests.entrySet()) {
        for (Long id : e.getValue()) {
          out.putIfAbsent(id, e.getKey());
        }
      }
    }
    return out;
  }

  /** The operator page's charts: a sample of the counters every step. */
  private void everyStep() {
    try {
      history.sample(platform.clock.nowMillis());
    } catch (RuntimeException e) {
      LOG.warn("operator page: sampling the counters failed: {}", e.toString());
    }
  }

  /**
   * The plugin's counters into the TSD (tsd.catchpoint.*), straight to the TSD's writer: they are no
   * Catchpoint data (no budget, never forwarded), a fixed set of names.
   */
  private void writeOwnCounters() {
    try {
      Map<String, Long> gauges = new LinkedHashMap<>();
      for (Map.Entry<String, Long> e : pull.lagSeconds().entrySet()) {
        if (gate.mayPull(e.getKey())) { // the TSD that pulls an account says how far behind it is
          gauges.put("catchpoint.pull.lag_seconds account=" + e.getKey(), e.getValue());
        }
      }
      gauges.put("catchpoint.catalog.size", (long) catalog.size());
      gauges.put("catchpoint.push.ack.latency_ms quantile=p50", stats.ackLatency().quantileMillis(0.5));
      gauges.put("catchpoint.push.ack.latency_ms quantile=p99", stats.ackLatency().quantileMillis(0.99));
      for (org.opentsdbcatchpoint.pipeline.DataPoint p : selfReport.points(platform.clock.nowSeconds(), gauges)) {
        try {
          platform.writer.write(p).whenComplete((ok, error) -> {
            if (error != null) {
              stats.increment("catchpoint.stats.write_errors");
            }
          });
        } catch (org.opentsdbcatchpoint.pipeline.RejectedPointException e) {
          stats.increment("catchpoint.stats.write_errors");
        }
      }
      platform.writer.flush();
    } catch (RuntimeException e) {
      LOG.warn("writing the plugin's counters failed: {}", e.toString());
    }
  }

  public CompletableFuture<Response> handle(Request request) {
    return router.handle(request);
  }

  public Stats stats() {
    return stats;
  }

  public PluginSettings settings() {
    return settings;
  }

  public int catalogSize() {
    return catalog.size();
  }

  public CatalogRefresher catalog() {
    return refresher;
  }

  public PullService pull() {
    return pull;
  }

  /** The bound on derived metric names; seed it with the names the TSD already holds before the first write. */
  public MetricBudget metricBudget() {
    return metricBudget;
  }

  private Map<String, Object> catalogStatus() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nodes", catalog.size());
    List<Long> unknown = refresher.unknownNodes();
    m.put("unknown_nodes", unknown.size());
    m.put("unknown", unknown.subList(0, Math.min(20, unknown.size())));
    return m;
  }

  private Map<String, Object> metricsStatus() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("derived_names", metricBudget.derivedNames());
    m.put("max_derived", metricBudget.maxDerived());
    m.put("max_new_per_request", metricBudget.maxNewPerRequest());
    m.put("points_in_flight", stage.pointsInFlight());
    m.put("max_points_in_flight", stage.maxPointsInFlight());
    return m;
  }

  /**
   * Starts the catalog's refreshes and the REST pulls; call once the TSD is ready.
   *
   * @param cursors where the pull cursors live, or null for the settings' choice (pull.cursor_file, else memory)
   */
  public void startPulls(CursorStore cursors) throws IOException {
    if (leases != null) {
      leases.tick(); // before the catalog's first refresh: it asks whether this TSD fetches for all
      leaseTimer.scheduleWithFixedDelay(leases::tick, settings.pull.leaseRenewMillis, settings.pull.leaseRenewMillis,
          TimeUnit.MILLISECONDS);
    }
    refresher.start(background, settings.catalog.refreshSeconds * 1000);
    pull.start(this::toPoints, stage, refresher, cursors != null ? cursors : pull.defaultCursorStore(), background,
        platform.readOnly, gate, platform.cluster.importStore(), importThread, platform.host);
  }

  /** Stops the plugin's threads, letting queued writes finish for a bounded time. */
  public void shutdown() {
    try {
      pull.shutdown().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("shutdown: the pulls did not stop in time: {}", e.toString());
    }
    // The import stops after its window (pull.shutdown asked it to); one still in its window after that is
    // interrupted: its window is asked again when it resumes.
    importThread.shutdown();
    try {
      if (!importThread.awaitTermination(IMPORT_DRAIN_SECONDS, TimeUnit.SECONDS)) {
        importThread.shutdownNow();
      }
    } catch (InterruptedException e) {
      importThread.shutdownNow();
      Thread.currentThread().interrupt();
    }
    names.sync(); // what this TSD learnt since the last sync
    leaseTimer.shutdownNow();
    if (leases != null) {
      leases.releaseAll(); // the pulls have stopped: the other TSDs take the accounts at once
    }
    background.shutdownNow();
    selfReportThread.shutdownNow();
    writeExecutor.shutdown();
    timer.shutdown();
    try {
      if (!writeExecutor.awaitTermination(10, TimeUnit.SECONDS)) {
        List<Runnable> dropped = writeExecutor.shutdownNow();
        LOG.warn("shutdown: {} queued pushes were not written (their senders got no 200 and will retry)",
            dropped.size());
      }
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!forwarders.isEmpty()) {
      // After the writes: their last points are in the queues. Each forwarder logs what it left.
      forwarders.shutdown(Forwarders.SHUTDOWN_DRAIN_MILLIS);
    }
  }

  /** The plugin's version, from the jar. */
  public static String version() {
    try (InputStream in = CatchpointService.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "unknown");
      }
    } catch (IOException ignored) {
      // fall through
    }
    return "unknown";
  }
}

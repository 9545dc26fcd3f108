package org.opentsdbcatchpoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.opentsdbcatchpoint.bench.AddPointLoop;
import org.opentsdbcatchpoint.catalog.CatalogHolder;
import org.opentsdbcatchpoint.catalog.Node;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.catalog.NodeCatalogReader;
import org.opentsdbcatchpoint.catalog.StaticNodeCatalog;
import org.opentsdbcatchpoint.config.InvalidSettingsException;
import org.opentsdbcatchpoint.config.PluginSettings;
import org.opentsdbcatchpoint.mapping.RunMapper;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pipeline.MetricBudget;
import org.opentsdbcatchpoint.pipeline.WriteStage;
import org.opentsdbcatchpoint.pull.CursorStore;
import org.opentsdbcatchpoint.pull.PullClock;
import org.opentsdbcatchpoint.pull.PullEndpoint;
import org.opentsdbcatchpoint.pull.PullService;
import org.opentsdbcatchpoint.pull.UrlConnectionTransport;
import org.opentsdbcatchpoint.push.DecodeOptions;
import org.opentsdbcatchpoint.push.PushDecoder;
import org.opentsdbcatchpoint.push.PushReceiver;
import org.opentsdbcatchpoint.push.PushToken;
import org.opentsdbcatchpoint.sink.ForwardingWriter;
import org.opentsdbcatchpoint.sink.Forwarders;
import org.opentsdbcatchpoint.pipeline.Writer;
import org.opentsdbcatchpoint.stats.Stats;
import org.opentsdbcatchpoint.web.HealthEndpoint;
import org.opentsdbcatchpoint.web.Request;
import org.opentsdbcatchpoint.web.Response;
import org.opentsdbcatchpoint.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole plugin in plain Java: settings, node catalog, decoders, mapper, the threads it owns and
 * the HTTP routes. The OpenTSDB classes only hand it a {@link Writer} and forward requests to it.
 */
public final class CatchpointService {
  private static final Logger LOG = LoggerFactory.getLogger(CatchpointService.class);

  private final PluginSettings settings;
  private final Stats stats = new Stats();
  private final CatalogHolder catalog;
  private final ThreadPoolExecutor writeExecutor;
  private final ScheduledThreadPoolExecutor timer;
  private final Router router;
  private final Writer writer;
  private final MetricBudget metricBudget;
  private final WriteStage stage;
  private final Forwarders forwarders;
  private final BooleanSupplier readOnly;
  private final RunMapper mapper;
  private final PullService pull;

  /**
   * @param maxTags the TSD's {@code tsd.storage.max_tags}
   * @param readOnly true while the TSD must not be written
   */
  public CatchpointService(PluginSettings settings, int maxTags, Writer writer, BooleanSupplier readOnly) {
    this.settings = settings;
    // Forwarders: built and started here, never contacting a target before their first batch.
    forwarders = Forwarders.from(settings.forwarders, stats);
    this.writer = forwarders.isEmpty() ? writer : new ForwardingWriter(writer, forwarders.list());
    this.readOnly = readOnly;
    List<Node> staticNodes = settings.catalogFile != null ? loadCatalog(settings) : Collections.<Node>emptyList();
    catalog = new CatalogHolder(staticNodes.isEmpty() ? NodeCatalog.EMPTY : new StaticNodeCatalog(staticNodes));
    // REST pulls and the node catalog refresh: assembled now (the catalog cache is read), started by
    // startPulls() once the TSD is ready.
    pull = new PullService(settings, catalog, staticNodes, stats, new UrlConnectionTransport(), PullClock.SYSTEM);
    writeExecutor = new ThreadPoolExecutor(settings.writeThreads, settings.writeThreads, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<Runnable>(settings.writeQueue), daemonThreads("catchpoint-push-write"));
    writeExecutor.allowCoreThreadTimeOut(true);
    timer = new ScheduledThreadPoolExecutor(1, daemonThreads("catchpoint-timer"));
    timer.setRemoveOnCancelPolicy(true);
    metricBudget = new MetricBudget(Vocabulary::inTable, settings.maxNewMetricsPerRequest, settings.maxDerivedMetrics);
    stage = new WriteStage(this.writer, metricBudget, settings.maxPointsInFlight, timer, System::nanoTime);

    mapper = new RunMapper(catalog::current, settings.enrichmentTags, maxTags);
    PushDecoder decoder = new PushDecoder(
        new DecodeOptions(settings.traceroutePerHop, settings.hostCollections, settings.contentZones),
        settings.maxBodyBytes, settings.maxFields, settings.maxFutureSeconds);
    PushToken token = settings.pushToken == null || settings.pushToken.isEmpty()
        ? null : new PushToken(settings.pushToken);
    PushReceiver push = new PushReceiver(decoder, mapper, pull.catalog(), stage, token, readOnly, settings.ackTimeoutMillis,
        writeExecutor, System::nanoTime, System::currentTimeMillis, stats);
    HealthEndpoint health = new HealthEndpoint(version(), System::currentTimeMillis, settings.summary(), stats,
        this::catalogStatus);
    health.section("metrics", this::metricsStatus);
    router = new Router()
        .route("push", push)
        .route("health", health)
        .route("pull", new PullEndpoint(pull, settings.pullAdminToken));
    if (!forwarders.isEmpty()) {
      health.section("forwarders", forwarders::status);
      forwarders.start();
    }
    if (settings.benchEnabled) {
      LOG.warn("{} is true: /plugin/catchpoint/bench/addpoint writes whatever it is sent. Never enable it in "
          + "production.", PluginSettings.BENCH_ENABLE.fullName());
      router.route("bench", new AddPointLoop(stage, token, writeExecutor, System::nanoTime));
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

  public PullService pull() {
    return pull;
  }

  /** The bound on derived metric names; seed it with the names the TSD already holds before the first write. */
  public MetricBudget metricBudget() {
    return metricBudget;
  }

  private java.util.Map<String, Object> catalogStatus() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("nodes", catalog.size());
    List<Long> unknown = pull.catalog().unknownNodes();
    m.put("unknown_nodes", unknown.size());
    m.put("unknown", unknown.subList(0, Math.min(20, unknown.size())));
    return m;
  }

  private java.util.Map<String, Object> metricsStatus() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("derived_names", metricBudget.derivedNames());
    m.put("max_derived", metricBudget.maxDerived());
    m.put("max_new_per_request", metricBudget.maxNewPerRequest());
    m.put("points_in_flight", stage.pointsInFlight());
    m.put("max_points_in_flight", stage.maxPointsInFlight());
    return m;
  }

  /**
   * Starts the REST pulls and the catalog refresh; call once the TSD is ready.
   *
   * @param cursors where the pull cursors live, or null for the settings' choice (pull.cursor_file, else memory)
   */
  public void startPulls(CursorStore cursors) throws IOException {
    pull.start(mapper::map, stage, cursors != null ? cursors : pull.defaultCursorStore(), readOnly);
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

  private static List<Node> loadCatalog(PluginSettings settings) {
    try {
      List<Node> nodes = NodeCatalogReader.read(settings.catalogFile);
      LOG.info("node catalog: {} nodes from {}", nodes.size(), settings.catalogFile);
      return nodes;
    } catch (IOException | RuntimeException e) {
      throw new InvalidSettingsException(java.util.Collections.singletonList(
          PluginSettings.CATALOG_FILE.fullName() + " (" + settings.catalogFile + ") is not a Catchpoint node list: "
              + e.getMessage()));
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

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}

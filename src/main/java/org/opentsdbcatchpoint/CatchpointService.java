package org.opentsdbcatchpoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.opentsdbcatchpoint.bench.AddPointLoop;
import org.opentsdbcatchpoint.catalog.Node;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.catalog.NodeCatalogReader;
import org.opentsdbcatchpoint.catalog.StaticNodeCatalog;
import org.opentsdbcatchpoint.config.InvalidSettingsException;
import org.opentsdbcatchpoint.config.PluginSettings;
import org.opentsdbcatchpoint.mapping.RunMapper;
import org.opentsdbcatchpoint.push.DecodeOptions;
import org.opentsdbcatchpoint.push.PushDecoder;
import org.opentsdbcatchpoint.push.PushReceiver;
import org.opentsdbcatchpoint.push.PushToken;
import org.opentsdbcatchpoint.sink.Writer;
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
  private final AtomicReference<NodeCatalog> catalog = new AtomicReference<>(NodeCatalog.EMPTY);
  private final ThreadPoolExecutor writeExecutor;
  private final ScheduledThreadPoolExecutor timer;
  private final Router router;

  /**
   * @param maxTags the TSD's {@code tsd.storage.max_tags}
   * @param readOnly true while the TSD must not be written
   */
  public CatchpointService(PluginSettings settings, int maxTags, Writer writer, BooleanSupplier readOnly) {
    this.settings = settings;
    if (settings.catalogFile != null) {
      catalog.set(loadCatalog(settings));
    }
    writeExecutor = new ThreadPoolExecutor(settings.writeThreads, settings.writeThreads, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<Runnable>(settings.writeQueue), daemonThreads("catchpoint-push-write"));
    writeExecutor.allowCoreThreadTimeOut(true);
    timer = new ScheduledThreadPoolExecutor(1, daemonThreads("catchpoint-timer"));
    timer.setRemoveOnCancelPolicy(true);

    RunMapper mapper = new RunMapper(catalog::get, settings.enrichmentTags, maxTags);
    PushDecoder decoder = new PushDecoder(
        new DecodeOptions(settings.traceroutePerHop, settings.hostCollections, settings.contentZones),
        settings.maxBodyBytes, settings.maxFutureSeconds);
    PushToken token = settings.pushToken == null || settings.pushToken.isEmpty()
        ? null : new PushToken(settings.pushToken);
    PushReceiver push = new PushReceiver(decoder, mapper, writer, token, readOnly, settings.ackTimeoutMillis,
        writeExecutor, timer, System::nanoTime, System::currentTimeMillis, stats);
    router = new Router()
        .route("push", push)
        .route("health", new HealthEndpoint(version(), System::currentTimeMillis, settings.summary(), stats,
            () -> catalog.get().size()));
    if (settings.benchEnabled) {
      LOG.warn("{} is true: /plugin/catchpoint/bench/addpoint writes whatever it is sent. Never enable it in "
          + "production.", PluginSettings.BENCH_ENABLE.fullName());
      router.route("bench", new AddPointLoop(writer, token, writeExecutor, System::nanoTime));
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
    return catalog.get().size();
  }

  /** Stops the plugin's threads, letting queued writes finish for a bounded time. */
  public void shutdown() {
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
  }

  private static NodeCatalog loadCatalog(PluginSettings settings) {
    try {
      List<Node> nodes = NodeCatalogReader.read(settings.catalogFile);
      LOG.info("node catalog: {} nodes from {}", nodes.size(), settings.catalogFile);
      return new StaticNodeCatalog(nodes);
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

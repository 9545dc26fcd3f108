package org.opentsdbcatchpoint.tsd;

import com.stumbleupon.async.Deferred;
import java.io.IOException;
import net.opentsdb.core.TSDB;
import net.opentsdb.stats.StatsCollector;
import net.opentsdb.tools.StartupPlugin;
import net.opentsdb.utils.Config;
import org.opentsdbcatchpoint.CatchpointService;
import org.opentsdbcatchpoint.PluginSettings;
import org.opentsdbcatchpoint.pull.CursorStore;
import org.opentsdbcatchpoint.pull.InMemoryCursorStore;
import org.opentsdbcatchpoint.pull.PullSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs before the TSD exists: validates the whole configuration, so a bad value stops the TSD at
 * once with every problem named. Once the TSD is ready it joins the shared service and starts the
 * REST pulls, on the plugin's own threads.
 */
public final class CatchpointStartupPlugin extends StartupPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(CatchpointStartupPlugin.class);

  private volatile CatchpointService service;

  /** Empty: OpenTSDB instantiates plugins during discovery. */
  public CatchpointStartupPlugin() {}

  @Override
  public Config initialize(Config config) {
    PluginSettings settings;
    try {
      settings = PluginSettings.from(new TsdbSettings(config));
    } catch (RuntimeException e) {
      exitWhenMainGivesUp();
      throw e;
    }
    SharedService.adopt(settings);
    int masked = maskSecrets(config);
    LOG.info("opentsdb-catchpoint {}: configuration is valid ({} secret setting(s) masked in the TSD's config)",
        version(), masked);
    return config;
  }

  /**
   * OpenTSDB 2.4.1's TSDMain starts its Netty threads before it initializes the startup plugin, and when
   * the plugin refuses the configuration, main() throws without releasing them: the JVM stays up, serving
   * nothing, and looks alive to a supervisor. Only then (called from TSDMain.main, nowhere else): once
   * main has thrown, the process exits with status 1.
   */
  private static void exitWhenMainGivesUp() {
    Thread main = Thread.currentThread();
    boolean fromTsdMain = false;
    for (StackTraceElement frame : main.getStackTrace()) {
      fromTsdMain |= "net.opentsdb.tools.TSDMain".equals(frame.getClassName()) && "main".equals(frame.getMethodName());
    }
    if (!fromTsdMain) {
      return;
    }
    Thread exit = new Thread(() -> {
      try {
        main.join();
      } catch (InterruptedException e) {
        return;
      }
      LOG.error("opentsdb-catchpoint: the TSD did not start (invalid configuration, above): exiting with status 1");
      System.exit(1);
    }, "catchpoint-exit-on-refusal");
    exit.setDaemon(true);
    exit.start();
  }

  /**
   * The TSD serves its whole Config at {@code /api/config}, unmasked: once read, the plugin's secrets
   * (push token, pull credentials, forwarder passwords) are replaced there by {@link #MASK}.
   */
  static int maskSecrets(Config config) {
    int n = 0;
    for (String key : new java.util.ArrayList<>(config.getMap().keySet())) {
      if (PluginSettings.isSecretKey(key)) {
        config.overrideConfig(key, MASK);
        n++;
      }
    }
    return n;
  }

  static final String MASK = "********";

  @Override
  public void setReady(TSDB tsdb) {
    service = SharedService.acquire(tsdb);
    try {
      service.startPulls(cursorStore(tsdb, service.settings()));
    } catch (IOException | RuntimeException e) {
      LOG.error("catchpoint pull: could not start the REST pulls: {}", e.toString(), e);
    }
  }

  /**
   * Where pull cursors live: the file of pull.cursor_file when set (null here: the service opens it),
   * else the plugin's HBase table; memory (with an error in the log) when that table is missing.
   */
  private static CursorStore cursorStore(TSDB tsdb, PluginSettings settings) throws IOException {
    if (settings.pull.accounts.isEmpty() || settings.pull.cursorFile != null) {
      return null;
    }
    PluginTable table = new PluginTable(tsdb.getClient(), PluginTable.NAME, 10_000);
    try {
      table.check();
      LOG.info("catchpoint pull: cursors in the HBase table {}", PluginTable.NAME);
      return new HBaseCursorStore(table);
    } catch (IOException e) {
      LOG.error("catchpoint pull: {}; cursors are kept in memory only, so a restart pulls from one interval back. "
          + "Create the table once: echo \"create '{}', 'c'\" | hbase shell (or set {})", e.getMessage(),
          PluginTable.NAME, PullSettings.CURSOR_FILE.fullName());
      return new InMemoryCursorStore();
    }
  }

  /** Stops the pulls (their running windows may finish), then leaves the shared service; called back after. */
  @Override
  public Deferred<Object> shutdown() {
    final CatchpointService s = service;
    if (s == null) {
      return Deferred.fromResult(null);
    }
    final Deferred<Object> done = new Deferred<>();
    s.pull().shutdown().whenComplete((ignored, error) -> {
      SharedService.release(s);
      done.callback(null);
    });
    return done;
  }

  @Override
  public String version() {
    return CatchpointService.version();
  }

  @Override
  public String getType() {
    return "catchpoint";
  }

  @Override
  public void collectStats(StatsCollector collector) {
    // The HttpRpcPlugin reports the shared counters; reporting here too would double them.
  }
}

package org.opentsdbcatchpoint.tsd;

import net.opentsdb.core.Const;
import net.opentsdb.core.TSDB;
import org.opentsdbcatchpoint.CatchpointService;
import org.opentsdbcatchpoint.Cluster;
import org.opentsdbcatchpoint.Platform;
import org.opentsdbcatchpoint.PluginSettings;
import org.opentsdbcatchpoint.pull.UrlConnectionTransport;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one service both plugin classes share in a TSD, built on first use and shut down when the last
 * plugin releases it. The only mutable static of the plugin.
 */
final class SharedService {
  private static final Logger LOG = LoggerFactory.getLogger(SharedService.class);
  private static CatchpointService service;
  private static int users;
  /** Settings read by the startup plugin before it masked the secrets in the TSD's Config. */
  private static PluginSettings adopted;
  /** The Config this holder took the secrets out of itself, and what it read there before. */
  private static net.opentsdb.utils.Config maskedConfig;
  private static PluginSettings readBeforeMasking;

  private SharedService() {}

  static synchronized CatchpointService acquire(TSDB tsdb) {
    if (service == null) {
      PluginSettings settings = adopted != null ? adopted : readAndMask(tsdb.getConfig());
      StartupChecks.warn(tsdb.getConfig(), settings);
      PointStore store = new TsdbPointStore(tsdb);
      service = new CatchpointService(settings, new Platform(new TsdbWriter(store), store::readOnly,
          Const.MAX_NUM_TAGS(), SystemClock.INSTANCE, new UrlConnectionTransport(), new DaemonThreads(),
          hostName() + ":" + tsdb.getConfig().getString("tsd.network.port"))
          .reading(new TsdbSeriesSource(tsdb), new TsdbAnnotations(tsdb), cluster(tsdb)));
      ExistingMetrics.seed(service.metricBudget(), max -> tsdb.suggestMetrics(Vocabulary.PREFIX, max));
    }
    users++;
    return service;
  }

  /**
   * Names, leases and the shared catalog in the plugin's table when it exists; else this TSD keeps them
   * to itself, with an error saying how to create the table.
   */
  private static Cluster cluster(TSDB tsdb) {
    PluginTable table = new PluginTable(tsdb.getClient(), PluginTable.NAME, 10_000);
    try {
      table.check();
      return new Cluster(new HBaseNameStore(table), new HBaseLeaseStore(table), new HBaseCatalogShare(table),
          new HBaseImportStore(table), new HBaseAlertStore(table));
    } catch (java.io.IOException | RuntimeException e) {
      LOG.error("catchpoint: {}; test and node names and open alerts are kept in memory only, and this TSD pulls "
          + "alone (no leases, no shared catalog). Create the table once: echo \"create '{}', 'c'\" | hbase shell",
          e.getMessage(), PluginTable.NAME);
      return Cluster.NONE;
    }
  }

  /** The service now, or null (tests). */
  static synchronized CatchpointService current() {
    return service;
  }

  /**
   * Only the HTTP plugin is enabled (a push-only TSD): the startup plugin did not take the secrets out
   * of the TSD's Config, so they leave it here, once read. A Config masked here is not read again.
   */
  private static PluginSettings readAndMask(net.opentsdb.utils.Config config) {
    if (config != maskedConfig) {
      readBeforeMasking = PluginSettings.from(new TsdbSettings(config));
      CatchpointStartupPlugin.maskSecrets(config);
      maskedConfig = config;
    }
    return readBeforeMasking;
  }

  /** Keeps the settings read before the TSD existed, so the secrets can leave the TSD's Config. */
  static synchronized void adopt(PluginSettings settings) {
    adopted = settings;
  }

  /** This machine's name, for the host tag of the plugin's own counters. */
  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  static synchronized void release(CatchpointService s) {
    if (s == null || s != service) {
      return;
    }
    users--;
    if (users <= 0) {
      service.shutdown();
      service = null;
      users = 0;
      adopted = null;
    }
  }
}

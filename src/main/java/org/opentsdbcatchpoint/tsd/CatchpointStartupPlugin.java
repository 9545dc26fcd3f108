package org.opentsdbcatchpoint.tsd;

import com.stumbleupon.async.Deferred;
import net.opentsdb.core.TSDB;
import net.opentsdb.stats.StatsCollector;
import net.opentsdb.tools.StartupPlugin;
import net.opentsdb.utils.Config;
import org.opentsdbcatchpoint.CatchpointService;
import org.opentsdbcatchpoint.config.PluginSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs before the TSD exists: validates the whole configuration, so a bad value stops the TSD at
 * once with every problem named. Once the TSD is ready it joins the shared service (where REST pulls
 * will be scheduled).
 */
public final class CatchpointStartupPlugin extends StartupPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(CatchpointStartupPlugin.class);

  private volatile CatchpointService service;

  /** Empty: OpenTSDB instantiates plugins during discovery. */
  public CatchpointStartupPlugin() {}

  @Override
  public Config initialize(Config config) {
    PluginSettings.from(new TsdbSettings(config));
    LOG.info("opentsdb-catchpoint {}: configuration is valid", version());
    return config;
  }

  @Override
  public void setReady(TSDB tsdb) {
    service = SharedService.acquire(tsdb);
  }

  @Override
  public Deferred<Object> shutdown() {
    SharedService.release(service);
    return Deferred.fromResult(null);
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

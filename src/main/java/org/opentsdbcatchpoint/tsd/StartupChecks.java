package org.opentsdbcatchpoint.tsd;

import java.util.ArrayList;
import java.util.List;
import net.opentsdb.utils.Config;
import org.opentsdbcatchpoint.PluginSettings;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** TSD settings that silently break pushes: said once, loudly, at start. */
final class StartupChecks {
  private static final Logger LOG = LoggerFactory.getLogger("org.opentsdbcatchpoint");

  private StartupChecks() {}

  static void warn(Config config, PluginSettings settings) {
    if (!config.enable_chunked_requests()) {
      LOG.warn("tsd.http.request.enable_chunked is false: the TSD refuses Catchpoint posts over 8 KiB before the "
          + "plugin sees them. Set tsd.http.request.enable_chunked = true and tsd.http.request.max_chunk = {}",
          settings.push.maxBodyBytes + 65536);
    } else if (config.max_chunked_requests() < settings.push.maxBodyBytes) {
      LOG.warn("tsd.http.request.max_chunk ({}) is smaller than tsd.plugin.catchpoint.push.max_body_bytes ({}): "
          + "larger posts are cut off by the TSD. Set tsd.http.request.max_chunk = {}",
          config.max_chunked_requests(), settings.push.maxBodyBytes, settings.push.maxBodyBytes + 65536);
    }
    // INFO logs every request URL; WARN still logs the URL of a request the TSD refuses itself (a mistyped
    // push URL with its token). ERROR keeps only internal errors, which the plugin never lets reach the TSD.
    if (settings.push.token != null && (LoggerFactory.getLogger("net.opentsdb.tsd.AbstractHttpQuery").isWarnEnabled()
        || LoggerFactory.getLogger("net.opentsdb.tsd.HttpQuery").isWarnEnabled())) {
      LOG.warn("the TSD logs request URLs (loggers net.opentsdb.tsd.AbstractHttpQuery and net.opentsdb.tsd.HttpQuery: "
          + "every one at INFO, those it refuses itself at WARN), and a push URL carries the push token: set both "
          + "loggers to ERROR in the TSD's logback.xml to keep the token out of the log");
    }
    if (!config.auto_metric()) {
      LOG.warn("tsd.core.auto_create_metrics is false: points of metrics that do not exist yet are skipped "
          + "(reason unknown_metric). Set it to true, or create the metrics once: tsdb mkmetric {}",
          String.join(" ", knownMetrics()));
    }
  }

  /** The metric names the plugin writes for the fields it knows. */
  static List<String> knownMetrics() {
    List<String> names = new ArrayList<>();
    names.add(Vocabulary.RUN);
    for (String group : new String[] {Vocabulary.TIMING, Vocabulary.BYTES, Vocabulary.COUNT, Vocabulary.ERROR,
        Vocabulary.PING, Vocabulary.SCORE}) {
      for (String key : Vocabulary.knownKeys(group)) {
        names.add(Vocabulary.PREFIX + group + "." + key);
      }
    }
    names.add(Vocabulary.TRACEROUTE_HOP_COUNT);
    names.add(Vocabulary.TRACEROUTE_LAST_HOP_RTT);
    names.add(Vocabulary.TRACEROUTE_LAST_HOP_LOSS);
    return names;
  }
}

package org.opentsdbcatchpoint.bench.load;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.push.PushSettings;
import org.opentsdbcatchpoint.catalog.NodeCatalog;
import org.opentsdbcatchpoint.PluginSettings;
import org.opentsdbcatchpoint.config.Settings;
import org.opentsdbcatchpoint.mapping.RunMapper;
import org.opentsdbcatchpoint.pipeline.DataPoint;
import org.opentsdbcatchpoint.push.DecodeOptions;
import org.opentsdbcatchpoint.push.PushDecoder;
import org.opentsdbcatchpoint.push.PushException;

/**
 * The plugin's push decoder and run mapper with its default settings, built as {@code CatchpointService}
 * builds them: what a TSD with the benchmark's configuration does to a push body.
 */
public final class DefaultPipeline {
  /** tsd.storage.max_tags of a default TSD. */
  static final int MAX_TAGS = 8;

  private final PushDecoder decoder;
  private final RunMapper mapper;

  public DefaultPipeline(NodeCatalog catalog) {
    Map<String, String> conf = new HashMap<>();
    conf.put(PushSettings.ALLOW_ANONYMOUS.fullName(), "true");
    PluginSettings s = PluginSettings.from(Settings.of(conf));
    decoder = s.push.decoder();
    mapper = new RunMapper(() -> catalog, s.mapping.enrichmentTags, MAX_TAGS);
  }

  /** The datapoints of a JSON push body. */
  public List<DataPoint> map(byte[] body, long nowSeconds) throws PushException {
    return mapper.map(decoder.decode(body, "application/json", nowSeconds).run());
  }
}

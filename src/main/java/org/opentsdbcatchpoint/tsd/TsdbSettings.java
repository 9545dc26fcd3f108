package org.opentsdbcatchpoint.tsd;

import java.util.Set;
import net.opentsdb.utils.Config;
import org.opentsdbcatchpoint.config.Settings;

/** {@link Settings} over OpenTSDB's {@code Config}. */
final class TsdbSettings implements Settings {
  private final Config config;

  TsdbSettings(Config config) {
    this.config = config;
  }

  @Override
  public String get(String key) {
    return config.hasProperty(key) ? config.getString(key) : null;
  }

  @Override
  public Set<String> keys() {
    return config.getMap().keySet();
  }
}

package org.opentsdbcatchpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.catalog.CatalogSettings;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.Settings;
import org.opentsdbcatchpoint.config.SettingsReader;
import org.opentsdbcatchpoint.grafana.BridgeSettings;
import org.opentsdbcatchpoint.mapping.MappingSettings;
import org.opentsdbcatchpoint.pipeline.WriteSettings;
import org.opentsdbcatchpoint.pull.PullSettings;
import org.opentsdbcatchpoint.push.PushSettings;
import org.opentsdbcatchpoint.sink.ForwardSettings;
import org.opentsdbcatchpoint.stats.StatsSettings;

/**
 * Every setting of the plugin, read once from {@code opentsdb.conf} and validated as a whole: a bad
 * configuration stops the TSD with one message that names every bad key. Each feature owns its keys
 * (push, the write stage, mapping, the catalog, pulls, forwarders); {@link #KEYS} lists them all in
 * the order of the README's configuration table. Immutable.
 */
public final class PluginSettings {
  public static final List<Key> KEYS;

  static {
    List<Key> keys = new ArrayList<>();
    keys.addAll(PushSettings.KEYS);
    keys.addAll(WriteSettings.KEYS);
    keys.addAll(MappingSettings.KEYS);
    keys.addAll(CatalogSettings.KEYS);
    keys.addAll(PullSettings.KEYS);
    keys.addAll(ForwardSettings.KEYS);
    keys.addAll(StatsSettings.KEYS);
    keys.addAll(BridgeSettings.KEYS);
    KEYS = Collections.unmodifiableList(keys);
  }

  public final PushSettings push;
  public final WriteSettings write;
  public final MappingSettings mapping;
  public final CatalogSettings catalog;
  public final PullSettings pull;
  public final ForwardSettings forward;
  public final StatsSettings stats;
  public final BridgeSettings grafana;

  private PluginSettings(SettingsReader r) {
    push = new PushSettings(r);
    write = new WriteSettings(r);
    mapping = new MappingSettings(r);
    catalog = new CatalogSettings(r);
    pull = new PullSettings(r);
    forward = new ForwardSettings(r);
    stats = new StatsSettings(r);
    grafana = new BridgeSettings(r);
    r.reportUnread();
  }

  /** Reads and validates; throws {@link org.opentsdbcatchpoint.config.InvalidSettingsException} listing every problem. */
  public static PluginSettings from(Settings settings) {
    SettingsReader r = new SettingsReader(settings);
    PluginSettings s = new PluginSettings(r);
    r.check();
    return s;
  }

  /** True for a full key whose value is a secret, per-account and per-target keys included. */
  public static boolean isSecretKey(String fullKey) {
    for (Key k : KEYS) {
      if (k.secret && k.matches(fullKey)) {
        return true;
      }
    }
    return false;
  }

  /** Settings for display (health page, logs): secrets masked. */
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.putAll(push.summary());
    m.putAll(write.summary());
    m.putAll(mapping.summary());
    m.putAll(catalog.summary());
    m.putAll(pull.summary());
    m.putAll(forward.summary());
    m.putAll(stats.summary());
    m.putAll(grafana.summary());
    return m;
  }
}

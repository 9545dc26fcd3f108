package org.opentsdbcatchpoint.config;

import java.util.Map;
import java.util.Set;

/**
 * Raw configuration: one lookup by full key. In the TSD it wraps OpenTSDB's {@code Config}; in tests
 * it is a lambda over a map.
 */
public interface Settings {
  /** The value of a key, or null when the key is not set. */
  String get(String key);

  /** Every key that is set (to find unknown keys under the plugin's prefix). */
  Set<String> keys();

  static Settings of(Map<String, String> map) {
    return new Settings() {
      @Override
      public String get(String key) {
        return map.get(key);
      }

      @Override
      public Set<String> keys() {
        return map.keySet();
      }
    };
  }
}

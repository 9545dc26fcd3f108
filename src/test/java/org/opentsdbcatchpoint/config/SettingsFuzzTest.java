package org.opentsdbcatchpoint.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.Fixtures;
import org.opentsdbcatchpoint.PluginSettings;

/**
 * Any plugin configuration, read as the TSD reads it at its start ({@link PluginSettings#from}): the
 * input is {@code opentsdb.conf} lines {@code key = value} (a key without the plugin's prefix gets it).
 * The outcome is the settings, or one {@link InvalidSettingsException} that lists every problem, each
 * naming its key; never another exception (a NumberFormatException, an NPE of an unset value...). The
 * value of a key that names a file is replaced by one of a few paths of this project (the shared catalog,
 * a missing file, a directory), so the fuzzer never reads or writes files of its own choosing. Seeds:
 * the end-to-end tests' configuration and the examples of docs/configuration.md, in
 * {@code SettingsFuzzTestInputs/settings/}.
 */
class SettingsFuzzTest {
  private static final List<String> PATHS = Arrays.asList(Fixtures.path("rest-v1-nodes.json").toString(),
      "target/fuzz-settings/missing/file", "src", "target/fuzz-settings-cursor");

  @FuzzTest(maxDuration = "30s")
  void settings(byte[] conf) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : new String(conf, StandardCharsets.UTF_8).split("\n")) {
      int eq = line.indexOf('=');
      if (eq <= 0 || line.trim().startsWith("#")) {
        continue;
      }
      String key = line.substring(0, eq).trim();
      String value = line.substring(eq + 1).trim();
      if (!key.startsWith("tsd.")) {
        key = Key.PREFIX + key;
      }
      m.put(key, isPath(key) ? PATHS.get(Math.floorMod(value.hashCode(), PATHS.size())) : value);
    }
    PluginSettings s;
    try {
      s = PluginSettings.from(Settings.of(m));
    } catch (InvalidSettingsException e) {
      assertFalse(e.problems().isEmpty(), "an InvalidSettingsException lists its problems");
      for (String p : e.problems()) {
        assertTrue(p.startsWith(Key.PREFIX), () -> "a problem that names no key: " + p);
      }
      return;
    }
    assertNotNull(s.summary(), "valid settings have a summary");
    assertTrue(s.push.maxBodyBytes >= 1024, "push.max_body_bytes within its bounds");
  }

  private static boolean isPath(String fullKey) {
    for (Key k : PluginSettings.KEYS) {
      if ("path".equals(k.type) && k.matches(fullKey)) {
        return true;
      }
    }
    return false;
  }
}

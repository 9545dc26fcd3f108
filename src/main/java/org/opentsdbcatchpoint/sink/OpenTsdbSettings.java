package org.opentsdbcatchpoint.sink;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.SettingsReader;

/** Another OpenTSDB as a target (the relay): where its /api/put is, and whether to wait for its storage. */
public final class OpenTsdbSettings implements ForwardSettings.Kind {
  public static final String TYPE = "opentsdb";
  private static final String T = ForwardSettings.T;
  private static final String TARGET = ForwardSettings.TARGET;

  public static final Key SYNC = Key.of(T + "sync", "boolean", "true",
      "opentsdb: wait until the target's HBase stored each batch (/api/put?sync), so that a point it failed "
      + "to store is sent again; false: a batch counts as sent once the target took it.");

  public static final List<Key> KEYS = Collections.unmodifiableList(Arrays.asList(HttpTargetKeys.URL, SYNC));

  final String url;
  final boolean sync;

  OpenTsdbSettings(SettingsReader r, String target) {
    url = r.url(HttpTargetKeys.URL.forItem(TARGET, target),
        "for an opentsdb target, e.g. http://127.0.0.1:4242/api/put");
    sync = r.bool(SYNC.forItem(TARGET, target));
  }

  @Override
  public Transport transport(ForwardSettings.Target t) {
    try {
      return new OpenTsdbTransport(url, sync, t.timeoutMillis);
    } catch (IOException e) {
      throw new IllegalArgumentException(HttpTargetKeys.URL.forItem(TARGET, t.name).fullName() + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("url", url);
    m.put("sync", sync);
    return m;
  }
}

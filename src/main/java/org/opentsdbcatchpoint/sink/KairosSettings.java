package org.opentsdbcatchpoint.sink;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.SettingsReader;

/** A KairosDB target's own settings: where to post. */
public final class KairosSettings implements ForwardSettings.Kind {
  public static final String TYPE = "kairosdb";
  private static final String TARGET = ForwardSettings.TARGET;

  public static final List<Key> KEYS = Collections.singletonList(HttpTargetKeys.URL);

  final String url;

  KairosSettings(SettingsReader r, String target) {
    url = r.url(HttpTargetKeys.URL.forItem(TARGET, target),
        "for a kairosdb target, e.g. http://127.0.0.1:8080/api/v1/datapoints");
  }

  @Override
  public Transport transport(ForwardSettings.Target t) {
    try {
      return new KairosTransport(url, t.timeoutMillis);
    } catch (IOException e) {
      throw new IllegalArgumentException(HttpTargetKeys.URL.forItem(TARGET, t.name).fullName() + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("url", url);
    return m;
  }
}

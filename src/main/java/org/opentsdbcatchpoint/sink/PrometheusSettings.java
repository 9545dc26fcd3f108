package org.opentsdbcatchpoint.sink;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.SettingsReader;

/**
 * A Prometheus remote-write target's own settings: the write URL and, optionally, basic authentication
 * or a bearer token. The keys are the ones InfluxDB targets have too, documented once.
 */
public final class PrometheusSettings implements ForwardSettings.Kind {
  public static final String TYPE = "prometheus";
  private static final String TARGET = ForwardSettings.TARGET;

  public static final List<Key> KEYS = Collections.unmodifiableList(Arrays.asList(InfluxSettings.URL,
      InfluxSettings.USERNAME, InfluxSettings.PASSWORD, InfluxSettings.TOKEN));

  final String url;
  final String username;
  final String password;
  final String token;

  PrometheusSettings(SettingsReader r, String target) {
    url = r.url(InfluxSettings.URL.forItem(TARGET, target),
        "for a prometheus target: the write URL, e.g. http://127.0.0.1:9090/api/v1/write");
    username = r.string(InfluxSettings.USERNAME.forItem(TARGET, target));
    password = r.string(InfluxSettings.PASSWORD.forItem(TARGET, target));
    token = r.string(InfluxSettings.TOKEN.forItem(TARGET, target));
    if (password != null && username == null) {
      r.problem(InfluxSettings.PASSWORD.forItem(TARGET, target), "is set without "
          + InfluxSettings.USERNAME.forItem(TARGET, target).fullName());
    }
    if (token != null && username != null) {
      r.problem(InfluxSettings.TOKEN.forItem(TARGET, target), "and "
          + InfluxSettings.USERNAME.forItem(TARGET, target).fullName()
          + " are both set: a prometheus target takes basic authentication or a bearer token, not both");
    }
  }

  @Override
  public Transport transport(ForwardSettings.Target t) {
    try {
      return new PrometheusTransport(url, username, password, token, t.timeoutMillis);
    } catch (IOException e) {
      throw new IllegalArgumentException(InfluxSettings.URL.forItem(TARGET, t.name).fullName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("url", url);
    m.put("username", username == null ? "(none)" : username);
    m.put("password", ForwardSettings.mask(password));
    m.put("token", ForwardSettings.mask(token));
    return m;
  }
}

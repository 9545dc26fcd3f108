package org.opentsdbcatchpoint.sink;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.SettingsReader;

/** An InfluxDB target's own settings: the server, its API version and what that version needs. */
public final class InfluxSettings implements ForwardSettings.Kind {
  public static final String TYPE = "influx";
  private static final String T = ForwardSettings.T;
  private static final String TARGET = ForwardSettings.TARGET;

  /** Shared with the other HTTP kinds: one key, one row. */
  public static final Key URL = HttpTargetKeys.URL;
  public static final Key VERSION = Key.of(T + "version", "1|2", "1",
      "influx: API version: 1 (/write, database) or 2 (/api/v2/write, org and bucket).");
  public static final Key DATABASE = Key.of(T + "database", "string", null,
      "influx 1: the database. Required for version 1.");
  public static final Key RETENTION_POLICY = Key.of(T + "retention_policy", "string", null,
      "influx 1: the retention policy; unset: the database's default.");
  public static final Key USERNAME = Key.of(T + "username", "string", null,
      "influx 1, prometheus: user name (basic authentication), when authentication is on.");
  public static final Key PASSWORD = Key.secret(T + "password", "string",
      "influx 1, prometheus: password. Never logged or shown.");
  public static final Key ORG = Key.of(T + "org", "string", null,
      "influx 2: the organisation (name or id). Required for version 2.");
  public static final Key BUCKET = Key.of(T + "bucket", "string", null, "influx 2: the bucket. Required for version 2.");
  public static final Key TOKEN = Key.secret(T + "token", "string",
      "influx 2: the API token, required for version 2; prometheus: a bearer token (instead of username and "
      + "password). Never logged or shown.");

  public static final List<Key> KEYS = Collections.unmodifiableList(Arrays.asList(URL, VERSION, DATABASE, RETENTION_POLICY,
      USERNAME, PASSWORD, ORG, BUCKET, TOKEN));
  private static final List<Key> V1_ONLY = Arrays.asList(DATABASE, RETENTION_POLICY, USERNAME, PASSWORD);
  private static final List<Key> V2_ONLY = Arrays.asList(ORG, BUCKET, TOKEN);

  final String url;
  final int version;
  final String database;
  final String retentionPolicy;
  final String username;
  final String password;
  final String org;
  final String bucket;
  final String token;

  InfluxSettings(SettingsReader r, String target) {
    url = r.url(URL.forItem(TARGET, target), "for an influx target, e.g. http://127.0.0.1:8086");
    version = "2".equals(r.choice(VERSION.forItem(TARGET, target), "1", "2")) ? 2 : 1;
    database = r.string(DATABASE.forItem(TARGET, target));
    retentionPolicy = r.string(RETENTION_POLICY.forItem(TARGET, target));
    username = r.string(USERNAME.forItem(TARGET, target));
    password = r.string(PASSWORD.forItem(TARGET, target));
    org = r.string(ORG.forItem(TARGET, target));
    bucket = r.string(BUCKET.forItem(TARGET, target));
    token = r.string(TOKEN.forItem(TARGET, target));
    if (version == 1) {
      if (database == null) {
        r.problem(DATABASE.forItem(TARGET, target), "is required for an InfluxDB 1.x target");
      }
      refuse(r, target, V2_ONLY, "applies to version 2 only; this target is version 1 (set version = 2)");
      if (password != null && username == null) {
        r.problem(PASSWORD.forItem(TARGET, target), "is set without " + USERNAME.forItem(TARGET, target).fullName());
      }
    } else {
      for (Key k : V2_ONLY) {
        if (!r.isSet(k.forItem(TARGET, target))) {
          r.problem(k.forItem(TARGET, target), "is required for an InfluxDB 2.x target");
        }
      }
      refuse(r, target, V1_ONLY, "applies to version 1 only; this target is version 2 (use org, bucket and token)");
    }
  }

  private static void refuse(SettingsReader r, String target, List<Key> keys, String why) {
    for (Key k : keys) {
      if (r.isSet(k.forItem(TARGET, target))) {
        r.problem(k.forItem(TARGET, target), why);
      }
    }
  }

  @Override
  public Transport transport(ForwardSettings.Target t) {
    try {
      return version == 2 ? InfluxTransport.v2(url, org, bucket, token, t.timeoutMillis)
          : InfluxTransport.v1(url, database, retentionPolicy, username, password, t.timeoutMillis);
    } catch (IOException e) {
      throw new IllegalArgumentException(URL.forItem(TARGET, t.name).fullName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("url", url);
    m.put("version", version);
    if (version == 1) {
      m.put("database", database);
      m.put("retention_policy", retentionPolicy == null ? "(default)" : retentionPolicy);
      m.put("username", username == null ? "(none)" : username);
      m.put("password", ForwardSettings.mask(password));
    } else {
      m.put("org", org);
      m.put("bucket", bucket);
      m.put("token", ForwardSettings.mask(token));
    }
    return m;
  }
}

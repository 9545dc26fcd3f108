package org.opentsdbcatchpoint.config;

import java.net.MalformedURLException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opentsdbcatchpoint.config.PluginSettings.Key;
import org.opentsdbcatchpoint.sink.GraphiteNaming;

/**
 * One forwarding target: {@code tsd.plugin.catchpoint.forward = a,b} names them, and
 * {@code tsd.plugin.catchpoint.forward.<name>.*} sets each up. Immutable; read and validated as part of
 * {@link PluginSettings}, which reports every problem of every target at once.
 */
public final class ForwardTargetSettings {
  public static final String GRAPHITE = "graphite";
  public static final String INFLUX = "influx";

  /** The placeholder for a target's name in the documented per-target keys. */
  public static final String TARGET = "<name>";
  private static final String T = "forward." + TARGET + ".";

  public static final Key FORWARD = new Key("forward", "list", null, false,
      "Targets to copy every datapoint to, comma-separated names of your choice, each set up with the "
      + "forward.<name>.* keys. Unset: nothing is forwarded.");
  public static final Key TYPE = new Key(T + "type", "graphite|influx", null, false,
      "What the target is: graphite (carbon) or influx (InfluxDB). Required.");
  public static final Key HOSTS = new Key(T + "hosts", "list", null, false,
      "graphite: carbon receivers, host:port, comma-separated; each batch goes to one of them in turn. "
      + "Required. Port by default 2003 (plaintext) or 2004 (pickle).");
  public static final Key PROTOCOL = new Key(T + "protocol", "plaintext|pickle", "plaintext", false,
      "graphite: carbon's line protocol or its pickle protocol.");
  public static final Key NAMING = new Key(T + "naming", "tagged|template", "tagged", false,
      "graphite: tagged series (name;tag=value, Graphite 1.1+) or a dotted path from forward.<name>.template.");
  public static final Key TEMPLATE = new Key(T + "template", "string", "catchpoint.{test_id}.{node_id}.{metric}",
      false, "graphite with naming=template: the path; {metric} is the metric without catchpoint., {name} the "
      + "whole metric, any other {tag} that tag's value.");
  public static final Key REPLAY_WINDOW = new Key(T + "replay_window_ms", "integer", "5000", false,
      "graphite: points written on a connection in the last this many ms are sent again when it turns out "
      + "dead (carbon-cache loses what it has not yet written when it stops); 0 turns it off.");
  public static final Key URL = new Key(T + "url", "url", null, false,
      "influx: the server, e.g. http://influx:8086. Required.");
  public static final Key VERSION = new Key(T + "version", "1|2", "1", false,
      "influx: API version: 1 (/write, database) or 2 (/api/v2/write, org and bucket).");
  public static final Key DATABASE = new Key(T + "database", "string", null, false,
      "influx 1: the database. Required for version 1.");
  public static final Key RETENTION_POLICY = new Key(T + "retention_policy", "string", null, false,
      "influx 1: the retention policy; unset: the database's default.");
  public static final Key USERNAME = new Key(T + "username", "string", null, false,
      "influx 1: user name, when authentication is on.");
  public static final Key PASSWORD = new Key(T + "password", "string", null, true,
      "influx 1: password. Never logged or shown.");
  public static final Key ORG = new Key(T + "org", "string", null, false,
      "influx 2: the organisation (name or id). Required for version 2.");
  public static final Key BUCKET = new Key(T + "bucket", "string", null, false,
      "influx 2: the bucket. Required for version 2.");
  public static final Key TOKEN = new Key(T + "token", "string", null, true,
      "influx 2: the API token. Required for version 2. Never logged or shown.");
  public static final Key QUEUE_SIZE = new Key(T + "queue_size", "integer", "100000", false,
      "Points waiting for the sender; when full, points are dropped (see drop) and counted, never waited for.");
  public static final Key BATCH_SIZE = new Key(T + "batch_size", "integer", "1000", false,
      "Points per write.");
  public static final Key FLUSH_INTERVAL = new Key(T + "flush_interval_ms", "integer", "1000", false,
      "A batch that is not full is sent after this long (plus up to a tenth, so TSDs do not flush together).");
  public static final Key RETRY_BUFFER = new Key(T + "retry_buffer", "integer", "100000", false,
      "Points the sender keeps while the target fails (in order, retried with backoff); at least batch_size.");
  public static final Key DROP = new Key(T + "drop", "oldest|newest", "oldest", false,
      "When full: drop the oldest points (keep the latest) or the newest (keep the backlog).");
  public static final Key TIMEOUT = new Key(T + "timeout_ms", "integer", "5000", false,
      "Connect, write and answer timeout of one batch.");

  /** The per-target keys, in documentation order. */
  public static final List<Key> TARGET_KEYS = Collections.unmodifiableList(Arrays.asList(
      TYPE, HOSTS, PROTOCOL, NAMING, TEMPLATE, REPLAY_WINDOW, URL, VERSION, DATABASE, RETENTION_POLICY, USERNAME,
      PASSWORD, ORG, BUCKET, TOKEN, QUEUE_SIZE, BATCH_SIZE, FLUSH_INTERVAL, RETRY_BUFFER, DROP, TIMEOUT));

  /** Every forwarding key: {@link #FORWARD} and the per-target ones. */
  public static final List<Key> KEYS;

  static {
    List<Key> keys = new ArrayList<>();
    keys.add(FORWARD);
    keys.addAll(TARGET_KEYS);
    KEYS = Collections.unmodifiableList(keys);
  }

  private static final List<Key> GRAPHITE_ONLY = Arrays.asList(HOSTS, PROTOCOL, NAMING, TEMPLATE, REPLAY_WINDOW);
  private static final List<Key> INFLUX_ONLY = Arrays.asList(URL, VERSION, DATABASE, RETENTION_POLICY, USERNAME,
      PASSWORD, ORG, BUCKET, TOKEN);

  public final String name;
  /** {@link #GRAPHITE} or {@link #INFLUX}. */
  public final String type;
  /** graphite: {@code host:port}, the port filled in. */
  public final List<String> hosts;
  public final String protocol;
  public final boolean tagged;
  public final String template;
  public final long replayWindowMillis;
  public final String url;
  public final int version;
  public final String database;
  public final String retentionPolicy;
  public final String username;
  public final String password;
  public final String org;
  public final String bucket;
  public final String token;
  public final int queueSize;
  public final int batchSize;
  public final long flushIntervalMillis;
  public final int retryBuffer;
  public final boolean dropOldest;
  public final int timeoutMillis;

  private ForwardTargetSettings(Reader r, String name) {
    this.name = name;
    String t = r.choice(TYPE, null, GRAPHITE, INFLUX);
    if (t == null) {
      if (r.raw(TYPE) == null) {
        r.problem(TYPE, "is required: graphite or influx");
      }
      t = "?";
    }
    type = t;
    boolean graphite = GRAPHITE.equals(type);
    boolean influx = INFLUX.equals(type);
    for (Key k : graphite ? INFLUX_ONLY : influx ? GRAPHITE_ONLY : Collections.<Key>emptyList()) {
      if (r.raw(k) != null) {
        r.problem(k, "applies to " + (graphite ? INFLUX : GRAPHITE) + " targets only; this one is " + type);
      }
    }
    protocol = r.choice(PROTOCOL, PROTOCOL.defaultValue, "plaintext", "pickle");
    hosts = graphite ? r.hosts(HOSTS, "pickle".equals(protocol) ? 2004 : 2003) : Collections.<String>emptyList();
    tagged = "tagged".equals(r.choice(NAMING, NAMING.defaultValue, "tagged", "template"));
    String tpl = r.raw(TEMPLATE);
    template = tpl == null ? TEMPLATE.defaultValue : tpl;
    if (graphite && !tagged) {
      try {
        GraphiteNaming.template(template);
      } catch (IllegalArgumentException e) {
        r.problem(TEMPLATE, "is not usable: " + e.getMessage());
      }
    }
    replayWindowMillis = r.integer(REPLAY_WINDOW, 0, 600_000);
    url = influx ? r.url(URL) : null;
    version = "2".equals(r.choice(VERSION, VERSION.defaultValue, "1", "2")) ? 2 : 1;
    database = r.raw(DATABASE);
    retentionPolicy = r.raw(RETENTION_POLICY);
    username = r.raw(USERNAME);
    password = r.raw(PASSWORD);
    org = r.raw(ORG);
    bucket = r.raw(BUCKET);
    token = r.raw(TOKEN);
    if (influx && version == 1) {
      if (database == null) {
        r.problem(DATABASE, "is required for an InfluxDB 1.x target");
      }
      for (Key k : Arrays.asList(ORG, BUCKET, TOKEN)) {
        if (r.raw(k) != null) {
          r.problem(k, "applies to version 2 only; this target is version 1 (set version = 2)");
        }
      }
      if (password != null && username == null) {
        r.problem(PASSWORD, "is set without " + r.concrete(USERNAME).fullName());
      }
    } else if (influx) {
      for (Key k : Arrays.asList(ORG, BUCKET, TOKEN)) {
        if (r.raw(k) == null) {
          r.problem(k, "is required for an InfluxDB 2.x target");
        }
      }
      for (Key k : Arrays.asList(DATABASE, RETENTION_POLICY, USERNAME, PASSWORD)) {
        if (r.raw(k) != null) {
          r.problem(k, "applies to version 1 only; this target is version 2 (use org, bucket and token)");
        }
      }
    }
    queueSize = (int) r.integer(QUEUE_SIZE, 1, 10_000_000);
    batchSize = (int) r.integer(BATCH_SIZE, 1, 100_000);
    flushIntervalMillis = r.integer(FLUSH_INTERVAL, 10, 600_000);
    int retry = (int) r.integer(RETRY_BUFFER, 1, 10_000_000);
    if (retry < batchSize) {
      r.problem(RETRY_BUFFER, "must be at least batch_size (" + batchSize + "), not " + retry);
      retry = batchSize;
    }
    retryBuffer = retry;
    dropOldest = "oldest".equals(r.choice(DROP, DROP.defaultValue, "oldest", "newest"));
    timeoutMillis = (int) r.integer(TIMEOUT, 100, 120_000);
  }

  /** Settings for display: secrets masked. */
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    if (GRAPHITE.equals(type)) {
      m.put("hosts", String.join(",", hosts));
      m.put("protocol", protocol);
      m.put("naming", tagged ? "tagged" : "template");
      if (!tagged) {
        m.put("template", template);
      }
      m.put("replay_window_ms", replayWindowMillis);
    } else {
      m.put("url", url);
      m.put("version", version);
      if (version == 1) {
        m.put("database", database);
        m.put("retention_policy", retentionPolicy == null ? "(default)" : retentionPolicy);
        m.put("username", username == null ? "(none)" : username);
        m.put("password", mask(password));
      } else {
        m.put("org", org);
        m.put("bucket", bucket);
        m.put("token", mask(token));
      }
    }
    m.put("queue_size", queueSize);
    m.put("batch_size", batchSize);
    m.put("flush_interval_ms", flushIntervalMillis);
    m.put("retry_buffer", retryBuffer);
    m.put("drop", dropOldest ? "oldest" : "newest");
    m.put("timeout_ms", timeoutMillis);
    return m;
  }

  private static String mask(String secret) {
    return secret == null ? "(none)" : "****";
  }

  @Override
  public String toString() {
    return "forward target " + name + " " + summary();
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Reads {@code forward} and every named target, adding a problem (full key name first) for each bad
   * or unknown key under {@code tsd.plugin.catchpoint.forward}.
   */
  static List<ForwardTargetSettings> read(Settings settings, List<String> problems) {
    List<ForwardTargetSettings> out = new ArrayList<>();
    List<String> names = new ArrayList<>();
    String list = settings.get(FORWARD.fullName());
    if (list != null) {
      for (String part : list.split(",")) {
        String name = part.trim();
        if (name.isEmpty()) {
          continue;
        }
        if (!name.matches("[A-Za-z0-9_-]+")) {
          problems.add(FORWARD.fullName() + " has the target name \"" + name + "\": use letters, digits, - and _ only");
        } else if (names.contains(name)) {
          problems.add(FORWARD.fullName() + " names the target " + name + " twice");
        } else {
          names.add(name);
          out.add(new ForwardTargetSettings(new Reader(settings, name, problems), name));
        }
      }
    }
    String prefix = PluginSettings.PREFIX + "forward.";
    List<String> keys = new ArrayList<>(settings.keys());
    Collections.sort(keys);
    for (String key : keys) {
      if (!key.startsWith(prefix)) {
        continue;
      }
      String rest = key.substring(prefix.length());
      int dot = rest.indexOf('.');
      String target = dot < 0 ? rest : rest.substring(0, dot);
      String setting = dot < 0 ? "" : rest.substring(dot + 1);
      if (!names.contains(target)) {
        problems.add(key + " is set, but " + target + " is not in " + FORWARD.fullName());
      } else if (!isTargetKey(setting)) {
        problems.add(key + " is not a setting of this plugin (misspelt?)");
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Whether {@code key} (full name) belongs to the forwarders: {@link #read} has reported it if it is wrong. */
  static boolean isForwardKey(String key) {
    return key.startsWith(PluginSettings.PREFIX + "forward.");
  }

  private static boolean isTargetKey(String setting) {
    for (Key k : TARGET_KEYS) {
      if (k.name.equals(T + setting)) {
        return true;
      }
    }
    return false;
  }

  /** Typed reading of one target's keys; problems are collected, never thrown. */
  private static final class Reader {
    final Settings settings;
    final String target;
    final List<String> problems;

    Reader(Settings settings, String target, List<String> problems) {
      this.settings = settings;
      this.target = target;
      this.problems = problems;
    }

    Key concrete(Key k) {
      return new Key(k.name.replace(TARGET, target), k.type, k.defaultValue, k.secret, k.description);
    }

    /** The trimmed value, or null when unset or blank. */
    String raw(Key k) {
      String v = settings.get(concrete(k).fullName());
      if (v == null) {
        return null;
      }
      v = v.trim();
      return v.isEmpty() ? null : v;
    }

    void problem(Key k, String what) {
      problems.add(concrete(k).fullName() + " " + what);
    }

    /** One of the choices (case-insensitive), else the fallback. */
    String choice(Key k, String fallback, String... choices) {
      String v = raw(k);
      if (v == null) {
        return fallback;
      }
      for (String c : choices) {
        if (c.equalsIgnoreCase(v)) {
          return c;
        }
      }
      problem(k, "must be " + String.join(" or ", choices) + ", not \"" + v + "\"");
      return fallback;
    }

    long integer(Key k, long min, long max) {
      String v = raw(k);
      long fallback = Long.parseLong(k.defaultValue);
      if (v == null) {
        return fallback;
      }
      try {
        long n = Long.parseLong(v);
        if (n < min || n > max) {
          problem(k, "must be between " + min + " and " + max + ", not " + n);
          return fallback;
        }
        return n;
      } catch (NumberFormatException e) {
        problem(k, "must be a whole number, not \"" + v + "\"");
        return fallback;
      }
    }

    /** {@code host:port} list; a missing port is the protocol's default. */
    List<String> hosts(Key k, int defaultPort) {
      List<String> out = new ArrayList<>();
      String v = raw(k);
      if (v == null) {
        problem(k, "is required for a graphite target: host:port of carbon, comma-separated");
        return out;
      }
      boolean any = false;
      for (String part : v.split(",")) {
        String h = part.trim();
        if (h.isEmpty()) {
          continue;
        }
        any = true;
        String host = h;
        int port = defaultPort;
        int colon = h.lastIndexOf(':');
        if (h.startsWith("[") && h.contains("]")) {
          int end = h.indexOf(']');
          host = h.substring(1, end);
          if (h.length() > end + 1) {
            colon = h.charAt(end + 1) == ':' ? end + 1 : -2;
          } else {
            colon = -1;
          }
        } else if (colon >= 0 && h.indexOf(':') != colon) {
          colon = -1; // a bare IPv6 address
        } else if (colon >= 0) {
          host = h.substring(0, colon);
        }
        if (colon == -2) {
          problem(k, "has \"" + h + "\", which is not host:port");
          continue;
        }
        if (colon >= 0) {
          try {
            port = Integer.parseInt(h.substring(colon + 1));
          } catch (NumberFormatException e) {
            port = -1;
          }
        }
        if (host.isEmpty() || port < 1 || port > 65535 || !host.matches("[A-Za-z0-9._:%-]+")) {
          problem(k, "has \"" + h + "\", which is not host:port");
          continue;
        }
        out.add((host.contains(":") ? "[" + host + "]" : host) + ":" + port);
      }
      if (!any) {
        problem(k, "names no host");
      }
      return Collections.unmodifiableList(out);
    }

    String url(Key k) {
      String v = raw(k);
      if (v == null) {
        problem(k, "is required for an influx target, e.g. http://127.0.0.1:8086");
        return null;
      }
      try {
        URL u = new URL(v);
        String protocol = u.getProtocol().toLowerCase(Locale.ROOT);
        if ((!"http".equals(protocol) && !"https".equals(protocol)) || u.getHost().isEmpty() || u.getQuery() != null) {
          throw new MalformedURLException();
        }
        return v;
      } catch (MalformedURLException e) {
        problem(k, "must be an http or https URL without a query, not \"" + v + "\"");
        return null;
      }
    }
  }
}

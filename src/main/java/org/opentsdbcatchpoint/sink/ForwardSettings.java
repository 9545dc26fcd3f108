package org.opentsdbcatchpoint.sink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.SettingsReader;

/**
 * The forwarding targets: {@code tsd.plugin.catchpoint.forward = a,b} names them, and
 * {@code forward.<name>.*} sets each up: the keys every target has here, the keys of its kind in that
 * kind's settings class ({@link GraphiteSettings}, {@link InfluxSettings}, {@link PrometheusSettings},
 * {@link KairosSettings}, {@link OpenTsdbSettings}). Immutable.
 */
public final class ForwardSettings {
  /** The placeholder for a target's name in the documented per-target keys. */
  public static final String TARGET = "<name>";
  static final String T = "forward." + TARGET + ".";

  public static final Key FORWARD = Key.of("forward", "list", null,
      "Targets to copy every datapoint to, comma-separated names of your choice, each set up with the "
      + "forward.<name>.* keys. Unset: nothing is forwarded.");
  public static final Key TYPE = Key.of(T + "type", "graphite|influx|prometheus|kairosdb|opentsdb", null,
      "What the target is: graphite (carbon), influx (InfluxDB), prometheus (remote write), kairosdb (KairosDB) "
      + "or opentsdb (another OpenTSDB's /api/put). Required.");
  public static final Key QUEUE_SIZE = Key.of(T + "queue_size", "integer", "100000",
      "Points waiting for the sender; when full, points are dropped (see drop) and counted, never waited for.");
  public static final Key BATCH_SIZE = Key.of(T + "batch_size", "integer", "1000", "Points per write.");
  public static final Key FLUSH_INTERVAL = Key.of(T + "flush_interval_ms", "integer", "1000",
      "A batch that is not full is sent after this long (plus up to a tenth, so TSDs do not flush together).");
  public static final Key RETRY_BUFFER = Key.of(T + "retry_buffer", "integer", "100000",
      "Points the sender keeps while the target fails (in order, retried with backoff); at least batch_size.");
  public static final Key DROP = Key.of(T + "drop", "oldest|newest", "oldest",
      "When full: drop the oldest points (keep the latest) or the newest (keep the backlog).");
  public static final Key TIMEOUT = Key.of(T + "timeout_ms", "integer", "5000",
      "Connect, write and answer timeout of one batch.");
  public static final Key RATE_LIMIT = Key.of(T + "rate_limit", "integer", "0",
      "Points per second the target is sent at most (batches of at most one second's worth); the rest wait in "
      + "the target's queue, never in ingestion. 0: no limit.");

  /** Every forwarding key, in documentation order: the list, the type, each kind's keys, the common ones. */
  public static final List<Key> KEYS;

  static {
    List<Key> keys = new ArrayList<>(Arrays.asList(FORWARD, TYPE));
    addNew(keys, GraphiteSettings.KEYS);
    addNew(keys, InfluxSettings.KEYS);
    addNew(keys, PrometheusSettings.KEYS);
    addNew(keys, KairosSettings.KEYS);
    addNew(keys, OpenTsdbSettings.KEYS);
    keys.addAll(Arrays.asList(QUEUE_SIZE, BATCH_SIZE, FLUSH_INTERVAL, RETRY_BUFFER, DROP, TIMEOUT, RATE_LIMIT));
    KEYS = Collections.unmodifiableList(keys);
  }

  /** Kinds share keys ({@code url}, {@code username}, ...): each is documented once, where it first appears. */
  private static void addNew(List<Key> keys, List<Key> kind) {
    for (Key k : kind) {
      if (!keys.contains(k)) {
        keys.add(k);
      }
    }
  }

  /** The kinds of target and their own keys. */
  private static final Map<String, List<Key>> KINDS = new LinkedHashMap<>();

  static {
    KINDS.put(GraphiteSettings.TYPE, GraphiteSettings.KEYS);
    KINDS.put(InfluxSettings.TYPE, InfluxSettings.KEYS);
    KINDS.put(PrometheusSettings.TYPE, PrometheusSettings.KEYS);
    KINDS.put(KairosSettings.TYPE, KairosSettings.KEYS);
    KINDS.put(OpenTsdbSettings.TYPE, OpenTsdbSettings.KEYS);
  }

  /** In the order of {@code forward}; empty when nothing is forwarded. */
  public final List<Target> targets;

  public ForwardSettings(SettingsReader r) {
    List<String> names = r.names(FORWARD, "target");
    List<Target> read = new ArrayList<>();
    for (String name : names) {
      read.add(new Target(r, name));
    }
    targets = Collections.unmodifiableList(read);
    String prefix = Key.PREFIX + "forward.";
    for (String key : r.keysUnder(prefix)) {
      String target = key.substring(prefix.length()).split("\\.", 2)[0];
      if (!names.contains(target)) {
        r.handled(key);
        r.problem(key, "is set, but " + target + " is not in " + FORWARD.fullName());
      }
    }
  }

  /** What a target of one kind adds to the common settings: how to reach it. */
  interface Kind {
    Transport transport(Target target);

    Map<String, Object> summary();
  }

  /** One target. */
  public static final class Target {
    public final String name;
    /** {@link GraphiteSettings#TYPE}, {@link InfluxSettings#TYPE}, {@link KairosSettings#TYPE} or {@link OpenTsdbSettings#TYPE}. */
    public final String type;
    public final int queueSize;
    public final int batchSize;
    public final long flushIntervalMillis;
    public final int retryBuffer;
    public final boolean dropOldest;
    public final int timeoutMillis;
    /** Points per second at most; 0: no limit. */
    public final long rateLimit;
    final Kind kind;

    Target(SettingsReader r, String name) {
      this.name = name;
      Key typeKey = TYPE.forItem(TARGET, name);
      String t = r.choice(typeKey, KINDS.keySet().toArray(new String[0]));
      if (t == null && !r.isSet(typeKey)) {
        r.problem(typeKey, "is required: " + String.join(" or ", KINDS.keySet()));
      }
      type = t == null ? "?" : t;
      for (Map.Entry<String, List<Key>> other : KINDS.entrySet()) {
        if (t == null) { // its type is wrong already: say nothing more of the kinds' keys
          for (Key k : other.getValue()) {
            r.handled(k.forItem(TARGET, name).fullName());
          }
          continue;
        }
        if (other.getKey().equals(type)) {
          continue;
        }
        for (Key k : other.getValue()) {
          if (KINDS.get(type).contains(k)) {
            continue; // a key this kind shares with the other
          }
          Key concrete = k.forItem(TARGET, name);
          if (r.isSet(concrete)) {
            r.problem(concrete, "applies to " + other.getKey() + " targets only; this one is " + type);
          }
        }
      }
      queueSize = (int) r.integer(QUEUE_SIZE.forItem(TARGET, name), 1, 10_000_000);
      batchSize = (int) r.integer(BATCH_SIZE.forItem(TARGET, name), 1, 100_000);
      flushIntervalMillis = r.integer(FLUSH_INTERVAL.forItem(TARGET, name), 10, 600_000);
      Key retryKey = RETRY_BUFFER.forItem(TARGET, name);
      int retry = (int) r.integer(retryKey, 1, 10_000_000);
      if (retry < batchSize) {
        r.problem(retryKey, "must be at least batch_size (" + batchSize + "), not " + retry);
        retry = batchSize;
      }
      retryBuffer = retry;
      dropOldest = "oldest".equals(r.choice(DROP.forItem(TARGET, name), "oldest", "newest"));
      timeoutMillis = (int) r.integer(TIMEOUT.forItem(TARGET, name), 100, 120_000);
      rateLimit = r.integer(RATE_LIMIT.forItem(TARGET, name), 0, 10_000_000);
      kind = GraphiteSettings.TYPE.equals(type) ? new GraphiteSettings(r, name)
          : InfluxSettings.TYPE.equals(type) ? new InfluxSettings(r, name)
          : PrometheusSettings.TYPE.equals(type) ? new PrometheusSettings(r, name)
          : KairosSettings.TYPE.equals(type) ? new KairosSettings(r, name)
          : OpenTsdbSettings.TYPE.equals(type) ? new OpenTsdbSettings(r, name) : null;
    }

    /** The target's transport; never contacts it. */
    public Transport transport() {
      return kind.transport(this);
    }

    /** For display: secrets masked. */
    public Map<String, Object> summary() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", type);
      if (kind != null) {
        m.putAll(kind.summary());
      }
      m.put("queue_size", queueSize);
      m.put("batch_size", batchSize);
      m.put("flush_interval_ms", flushIntervalMillis);
      m.put("retry_buffer", retryBuffer);
      m.put("drop", dropOldest ? "oldest" : "newest");
      m.put("timeout_ms", timeoutMillis);
      m.put("rate_limit", rateLimit == 0 ? "off" : rateLimit + " points/s");
      return m;
    }

    @Override
    public String toString() {
      return "forward target " + name + " " + summary();
    }
  }

  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (Target t : targets) {
      names.add(t.name);
    }
    m.put(FORWARD.name, names.isEmpty() ? "(none)" : String.join(",", names));
    for (Target t : targets) {
      for (Map.Entry<String, Object> e : t.summary().entrySet()) {
        m.put("forward." + t.name + "." + e.getKey(), e.getValue());
      }
    }
    return m;
  }

  static String mask(String secret) {
    return secret == null ? "(none)" : "****";
  }
}

package org.opentsdbcatchpoint.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opentsdbcatchpoint.mapping.Vocabulary;

/**
 * The plugin's settings, read once from {@code opentsdb.conf} and validated as a whole: a bad
 * configuration stops the TSD with one message that names every bad key. Immutable.
 *
 * <p>{@link #KEYS} is the single list of keys, defaults and descriptions; the README's configuration
 * table follows it.
 */
public final class PluginSettings {
  public static final String PREFIX = "tsd.plugin.catchpoint.";

  /** A documented key: name (without prefix), type, default (null = none), description. */
  public static final class Key {
    public final String name;
    public final String type;
    public final String defaultValue;
    public final boolean secret;
    public final String description;

    Key(String name, String type, String defaultValue, boolean secret, String description) {
      this.name = name;
      this.type = type;
      this.defaultValue = defaultValue;
      this.secret = secret;
      this.description = description;
    }

    public String fullName() {
      return PREFIX + name;
    }
  }

  public static final Key PUSH_TOKEN = new Key("push.token", "string", null, true,
      "Secret that every push must carry (?token= or /push/SECRET). Required unless push.allow_anonymous=true.");
  public static final Key PUSH_ALLOW_ANONYMOUS = new Key("push.allow_anonymous", "boolean", "false", false,
      "Accept pushes without a token. Only for a TSD that nothing untrusted can reach.");
  public static final Key PUSH_MAX_BODY = new Key("push.max_body_bytes", "integer", "1048576", false,
      "Largest push body accepted, after gzip is undone; larger bodies get 413.");
  public static final Key PUSH_ACK_TIMEOUT = new Key("push.ack_timeout_ms", "integer", "10000", false,
      "How long a push waits for storage to acknowledge its points before answering 503 (Catchpoint waits 20 s).");
  public static final Key PUSH_MAX_FUTURE = new Key("push.max_future_seconds", "integer", "86400", false,
      "Run times further in the future than this are refused with 400 (a wrong clock or time zone).");
  public static final Key PUSH_WRITE_THREADS = new Key("push.write_threads", "integer", "4", false,
      "Threads that hand points to the TSD (new tag values cost a blocking lookup; kept off Netty's threads).");
  public static final Key PUSH_WRITE_QUEUE = new Key("push.write_queue", "integer", "1000", false,
      "Pushes waiting for a write thread; beyond this a push gets 503 and Catchpoint retries.");
  public static final Key TRACEROUTE_PER_HOP = new Key("push.traceroute.per_hop", "boolean", "false", false,
      "Also write catchpoint.traceroute.hop_rtt_avg and hop_loss_pct per hop (tag hop): one series per hop.");
  public static final Key HOST_COLLECTIONS = new Key("push.host_collections", "boolean", "false", false,
      "Write Summary.HostCollections as catchpoint.host.* tagged host (high cardinality).");
  public static final Key CONTENT_ZONES = new Key("push.content_zones", "boolean", "false", false,
      "Write Summary.ContentZones as catchpoint.zone.* tagged zone (high cardinality).");
  public static final Key CATALOG_FILE = new Key("catalog.file", "path", null, false,
      "Node catalog in the shape of Catchpoint's REST /nodes answer (v1 or v2), for the enrichment tags.");
  public static final Key ENRICHMENT = new Key("tags.enrichment", "list", String.join(",", Vocabulary.ENRICHMENT_TAGS),
      false, "Enrichment tags to write, highest priority first; the last ones are dropped when a point would "
      + "exceed tsd.storage.max_tags.");
  public static final Key BENCH_ENABLE = new Key("bench.enable", "boolean", "false", false,
      "Registers POST /plugin/catchpoint/bench/addpoint, which writes any points it is sent in a tight loop to "
      + "measure the TSD's limit (integration-tests/bench.sh). Never enable in production.");

  public static final List<Key> KEYS = Collections.unmodifiableList(Arrays.asList(
      PUSH_TOKEN, PUSH_ALLOW_ANONYMOUS, PUSH_MAX_BODY, PUSH_ACK_TIMEOUT, PUSH_MAX_FUTURE, PUSH_WRITE_THREADS,
      PUSH_WRITE_QUEUE, TRACEROUTE_PER_HOP, HOST_COLLECTIONS, CONTENT_ZONES, CATALOG_FILE, ENRICHMENT,
      BENCH_ENABLE));

  public final String pushToken;
  public final boolean allowAnonymous;
  public final int maxBodyBytes;
  public final long ackTimeoutMillis;
  public final long maxFutureSeconds;
  public final int writeThreads;
  public final int writeQueue;
  public final boolean traceroutePerHop;
  public final boolean hostCollections;
  public final boolean contentZones;
  public final Path catalogFile;
  public final List<String> enrichmentTags;
  public final boolean benchEnabled;

  private PluginSettings(Reader r) {
    pushToken = r.string(PUSH_TOKEN);
    allowAnonymous = r.bool(PUSH_ALLOW_ANONYMOUS);
    maxBodyBytes = (int) r.integer(PUSH_MAX_BODY, 1024, 64L * 1024 * 1024);
    ackTimeoutMillis = r.integer(PUSH_ACK_TIMEOUT, 100, 19_000);
    maxFutureSeconds = r.integer(PUSH_MAX_FUTURE, 0, 366L * 86400);
    writeThreads = (int) r.integer(PUSH_WRITE_THREADS, 1, 256);
    writeQueue = (int) r.integer(PUSH_WRITE_QUEUE, 1, 1_000_000);
    traceroutePerHop = r.bool(TRACEROUTE_PER_HOP);
    hostCollections = r.bool(HOST_COLLECTIONS);
    contentZones = r.bool(CONTENT_ZONES);
    catalogFile = r.readableFile(CATALOG_FILE);
    enrichmentTags = r.enrichment(ENRICHMENT);
    benchEnabled = r.bool(BENCH_ENABLE);
    if ((pushToken == null || pushToken.isEmpty()) && !allowAnonymous) {
      r.problem(PUSH_TOKEN, "is not set: set a secret, or set " + PUSH_ALLOW_ANONYMOUS.fullName()
          + "=true to accept pushes from anyone");
    }
    r.unknownKeys();
  }

  /** Reads and validates; throws {@link InvalidSettingsException} listing every problem. */
  public static PluginSettings from(Settings settings) {
    Reader r = new Reader(settings);
    PluginSettings s = new PluginSettings(r);
    if (!r.problems.isEmpty()) {
      throw new InvalidSettingsException(r.problems);
    }
    return s;
  }

  /** Settings for display (health page, logs): secrets masked. */
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(PUSH_TOKEN.name, pushToken == null || pushToken.isEmpty() ? "(none)" : "****");
    m.put(PUSH_ALLOW_ANONYMOUS.name, allowAnonymous);
    m.put(PUSH_MAX_BODY.name, maxBodyBytes);
    m.put(PUSH_ACK_TIMEOUT.name, ackTimeoutMillis);
    m.put(PUSH_MAX_FUTURE.name, maxFutureSeconds);
    m.put(PUSH_WRITE_THREADS.name, writeThreads);
    m.put(PUSH_WRITE_QUEUE.name, writeQueue);
    m.put(TRACEROUTE_PER_HOP.name, traceroutePerHop);
    m.put(HOST_COLLECTIONS.name, hostCollections);
    m.put(CONTENT_ZONES.name, contentZones);
    m.put(CATALOG_FILE.name, catalogFile == null ? "(none)" : catalogFile.toString());
    m.put(ENRICHMENT.name, String.join(",", enrichmentTags));
    m.put(BENCH_ENABLE.name, benchEnabled);
    return m;
  }

  /** Reads typed values and collects problems instead of stopping at the first. */
  private static final class Reader {
    final Settings settings;
    final List<String> problems = new ArrayList<>();

    Reader(Settings settings) {
      this.settings = settings;
    }

    String raw(Key k) {
      String v = settings.get(k.fullName());
      if (v == null) {
        return k.defaultValue;
      }
      v = v.trim();
      return v.isEmpty() ? k.defaultValue : v;
    }

    void problem(Key k, String what) {
      problems.add(k.fullName() + " " + what);
    }

    String string(Key k) {
      return raw(k);
    }

    boolean bool(Key k) {
      String v = raw(k);
      if ("true".equalsIgnoreCase(v)) {
        return true;
      }
      if (!"false".equalsIgnoreCase(v)) {
        problem(k, "must be true or false, not \"" + v + "\"");
      }
      return false;
    }

    long integer(Key k, long min, long max) {
      String v = raw(k);
      try {
        long n = Long.parseLong(v);
        if (n < min || n > max) {
          problem(k, "must be between " + min + " and " + max + ", not " + n);
          return Long.parseLong(k.defaultValue);
        }
        return n;
      } catch (NumberFormatException e) {
        problem(k, "must be a whole number, not \"" + v + "\"");
        return Long.parseLong(k.defaultValue);
      }
    }

    Path readableFile(Key k) {
      String v = raw(k);
      if (v == null) {
        return null;
      }
      Path p = Paths.get(v);
      if (!Files.isReadable(p) || Files.isDirectory(p)) {
        problem(k, "names a file that cannot be read: " + v);
        return null;
      }
      return p;
    }

    List<String> enrichment(Key k) {
      List<String> out = new ArrayList<>();
      for (String t : raw(k).split(",")) {
        String tag = t.trim().toLowerCase(Locale.ROOT);
        if (tag.isEmpty()) {
          continue;
        }
        if (!Vocabulary.ENRICHMENT_TAGS.contains(tag)) {
          problem(k, "has an unknown tag \"" + tag + "\"; known: " + String.join(",", Vocabulary.ENRICHMENT_TAGS));
        } else if (!out.contains(tag)) {
          out.add(tag);
        }
      }
      return Collections.unmodifiableList(out);
    }

    /** A misspelt key would silently keep its default: refuse keys under the prefix that nothing reads. */
    void unknownKeys() {
      List<String> known = new ArrayList<>();
      for (Key k : KEYS) {
        known.add(k.fullName());
      }
      List<String> sorted = new ArrayList<>(settings.keys());
      Collections.sort(sorted);
      for (String key : sorted) {
        if (key.startsWith(PREFIX) && !known.contains(key)) {
          problems.add(key + " is not a setting of this plugin (misspelt?)");
        }
      }
    }
  }
}

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
  public static final Key PUSH_MAX_FIELDS = new Key("push.max_fields", "integer", "5000", false,
      "Most fields (JSON name/value pairs, XML elements and attributes) a push body may have; more get 413 before "
      + "anything is decoded. A Catchpoint run has a few hundred at most.");
  public static final Key PUSH_ACK_TIMEOUT = new Key("push.ack_timeout_ms", "integer", "10000", false,
      "The deadline of a push, from its arrival: a push whose points storage has not all acknowledged by then is "
      + "answered 503 (Catchpoint waits 20 s).");
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
  public static final Key METRICS_MAX_NEW = new Key("metrics.max_new_per_request", "integer", "16", false,
      "Most new derived metric names (fields outside the naming table) one push or one pulled window may create; "
      + "the rest of its unknown fields are skipped (reason metric_budget).");
  public static final Key METRICS_MAX_DERIVED = new Key("metrics.max_derived", "integer", "500", false,
      "Most derived metric names the plugin creates in all, counted from what the TSD's UID table holds at start.");
  public static final Key WRITE_MAX_IN_FLIGHT = new Key("write.max_points_in_flight", "integer", "100000", false,
      "Datapoints handed to the TSD and not yet acknowledged by HBase, for pushes and pulls together; when HBase "
      + "stalls, requests beyond it wait for room within their deadline and then get 503.");
  public static final Key CATALOG_FILE = new Key("catalog.file", "path", null, false,
      "Node catalog in the shape of Catchpoint's REST /nodes answer (v1 or v2), for the enrichment tags.");
  public static final Key ENRICHMENT = new Key("tags.enrichment", "list", String.join(",", Vocabulary.ENRICHMENT_TAGS),
      false, "Enrichment tags to write, highest priority first; the last ones are dropped when a point would "
      + "exceed tsd.storage.max_tags.");
  public static final Key BENCH_ENABLE = new Key("bench.enable", "boolean", "false", false,
      "Registers POST /plugin/catchpoint/bench/addpoint, which writes any points it is sent in a tight loop to "
      + "measure the TSD's limit (integration-tests/bench.sh). Never enable in production.");

  // REST pulls. Per-account keys carry ACCOUNT in their documented name: pull.<account>.api is
  // pull.a.api for an account "a" of pull.accounts.
  /** The placeholder for an account name in the documented per-account keys. */
  public static final String ACCOUNT = "<account>";
  public static final Key PULL_ACCOUNTS = new Key("pull.accounts", "list", null, false,
      "Catchpoint accounts (or divisions) to pull from over REST, comma-separated names of your choice; each "
      + "is set up with the pull.<account>.* keys. None: nothing is pulled.");
  public static final Key PULL_CURSOR_FILE = new Key("pull.cursor_file", "path", null, false,
      "File where the pull cursors (per account and test: pulled up to when) survive a restart. Unset: kept in "
      + "memory only, so a restart pulls from one interval back.");
  public static final Key PULL_ADMIN_TOKEN = new Key("pull.admin_token", "string", null, true,
      "Secret that POST /plugin/catchpoint/pull/run must carry (?token= or header X-Catchpoint-Admin-Token). "
      + "Unset: pulling on demand is refused. Never logged or shown.");
  public static final Key PULL_API = new Key("pull." + ACCOUNT + ".api", "v1|v2", "v2", false,
      "Catchpoint REST API version of the account: v2 (API key) or v1 (client id and secret).");
  public static final Key PULL_CLIENT_ID = new Key("pull." + ACCOUNT + ".client_id", "string", null, false,
      "v1: the API consumer's key (client id). Required for v1.");
  public static final Key PULL_CLIENT_SECRET = new Key("pull." + ACCOUNT + ".client_secret", "string", null, true,
      "v1: the API consumer's secret. Required for v1. Never logged or shown.");
  public static final Key PULL_API_KEY = new Key("pull." + ACCOUNT + ".api_key", "string", null, true,
      "v2: the API key (bearer token). Required for v2. Never logged or shown.");
  public static final Key PULL_BASE_URL = new Key("pull." + ACCOUNT + ".base_url", "url", null, false,
      "Where the API is: default " + PullAccountSettings.V1_BASE_URL + " (v1) or " + PullAccountSettings.V2_BASE_URL
      + " (v2); point it at a local fake for tests.");
  /** The test type lists of the documented keys; any other type name of the test_type tag works too. */
  public static final List<String> PULL_TEST_LISTS = Collections.unmodifiableList(Arrays.asList(
      "web", "api", "transaction", "dns", "ping", "traceroute", "smtp", "websocket", PullAccountSettings.OTHER_TESTS));
  public static final Key PULL_INTERVAL = new Key("pull." + ACCOUNT + ".interval", "duration", "5m", false,
      "How often the account is pulled (give or take a tenth, so accounts and TSDs do not fire together).");
  public static final Key PULL_LAG = new Key("pull." + ACCOUNT + ".lag", "duration", "2m", false,
      "Runs newer than this are left for the next pull: Catchpoint's data arrives late.");
  public static final Key PULL_MAX_BACKFILL = new Key("pull." + ACCOUNT + ".max_backfill", "duration", "24h", false,
      "After an outage or a restart, at most this much is pulled again; an older gap is logged and counted.");
  public static final Key PULL_WINDOW = new Key("pull." + ACCOUNT + ".window", "duration", "1h", false,
      "Longest time window one request asks for; a backfill is cut into windows of this size.");
  public static final Key PULL_BATCH_SIZE = new Key("pull." + ACCOUNT + ".batch_size", "integer", "20", false,
      "Tests of one type asked for in one request (Catchpoint allows one type per request).");
  public static final Key PULL_BEARER = new Key("pull." + ACCOUNT + ".bearer", "base64|raw", "base64", false,
      "v1: send the access token base64-encoded (most accounts) or as it came.");
  public static final Key PULL_WINDOWED = new Key("pull." + ACCOUNT + ".windowed", "boolean", "false", false,
      "v1: ask for time windows (raw/ID?startTime&endTime, one test per request), which makes backfill possible; "
      + "false uses LastRaw, which serves only the last 15 minutes. v2 is always windowed.");
  public static final Key PULL_TIMEOUT = new Key("pull." + ACCOUNT + ".timeout", "duration", "30s", false,
      "Connect and read timeout of one request; a request that times out is retried with backoff.");
  public static final Key CATALOG_CACHE_FILE = new Key("catalog.cache_file", "path", null, false,
      "Where the last node catalog fetched from Catchpoint is kept, so a TSD that restarts while Catchpoint is "
      + "unreachable still enriches. Unset: not kept.");
  public static final Key CATALOG_REFRESH = new Key("catalog.refresh", "duration", "6h", false,
      "How often the node catalog is fetched from the pull accounts (v1 /nodes, v2 /nodes/all); 0 never.");

  /** Per-account keys, in documentation order; tests.<type> for the lists of PULL_TEST_LISTS. */
  public static final List<Key> PULL_ACCOUNT_KEYS;

  static {
    List<Key> keys = new ArrayList<>(Arrays.asList(PULL_API, PULL_CLIENT_ID, PULL_CLIENT_SECRET, PULL_API_KEY,
        PULL_BASE_URL));
    for (String type : PULL_TEST_LISTS) {
      keys.add(new Key("pull." + ACCOUNT + ".tests." + type, "list", null, false,
          PullAccountSettings.OTHER_TESTS.equals(type)
              ? "Test ids of any other type, pulled one per request (tagged test_type=unknown). Any test_type name "
                  + "works as a list too: tests.transaction_legacy, tests.ssl, ..."
              : "Ids of the account's " + type + " tests, comma-separated."));
    }
    keys.addAll(Arrays.asList(PULL_INTERVAL, PULL_LAG, PULL_MAX_BACKFILL, PULL_WINDOW, PULL_BATCH_SIZE, PULL_BEARER,
        PULL_WINDOWED, PULL_TIMEOUT));
    PULL_ACCOUNT_KEYS = Collections.unmodifiableList(keys);
  }

  public static final List<Key> KEYS;

  static {
    List<Key> keys = new ArrayList<>(Arrays.asList(
      PUSH_TOKEN, PUSH_ALLOW_ANONYMOUS, PUSH_MAX_BODY, PUSH_MAX_FIELDS, PUSH_ACK_TIMEOUT, PUSH_MAX_FUTURE,
      PUSH_WRITE_THREADS, PUSH_WRITE_QUEUE, TRACEROUTE_PER_HOP, HOST_COLLECTIONS, CONTENT_ZONES, METRICS_MAX_NEW,
      METRICS_MAX_DERIVED, WRITE_MAX_IN_FLIGHT, CATALOG_FILE, ENRICHMENT,
      BENCH_ENABLE));
    keys.addAll(Arrays.asList(PULL_ACCOUNTS, PULL_CURSOR_FILE, PULL_ADMIN_TOKEN));
    keys.addAll(PULL_ACCOUNT_KEYS);
    keys.addAll(Arrays.asList(CATALOG_CACHE_FILE, CATALOG_REFRESH));
    keys.addAll(ForwardTargetSettings.KEYS);
    KEYS = Collections.unmodifiableList(keys);
  }

  public final String pushToken;
  public final boolean allowAnonymous;
  public final int maxBodyBytes;
  public final int maxFields;
  public final long ackTimeoutMillis;
  public final long maxFutureSeconds;
  public final int writeThreads;
  public final int writeQueue;
  public final boolean traceroutePerHop;
  public final boolean hostCollections;
  public final boolean contentZones;
  public final int maxNewMetricsPerRequest;
  public final int maxDerivedMetrics;
  public final int maxPointsInFlight;
  public final Path catalogFile;
  public final List<String> enrichmentTags;
  public final boolean benchEnabled;
  /** The accounts to pull from, in the order of {@code pull.accounts}; empty when nothing is pulled. */
  public final List<PullAccountSettings> pullAccounts;
  public final Path pullCursorFile;
  public final String pullAdminToken;
  public final Path catalogCacheFile;
  public final long catalogRefreshSeconds;
  /** The forwarding targets, in the order of {@code forward}; empty when nothing is forwarded. */
  public final List<ForwardTargetSettings> forwarders;

  private PluginSettings(Reader r) {
    pushToken = r.string(PUSH_TOKEN);
    allowAnonymous = r.bool(PUSH_ALLOW_ANONYMOUS);
    maxBodyBytes = (int) r.integer(PUSH_MAX_BODY, 1024, 64L * 1024 * 1024);
    maxFields = (int) r.integer(PUSH_MAX_FIELDS, 10, 1_000_000);
    ackTimeoutMillis = r.integer(PUSH_ACK_TIMEOUT, 100, 19_000);
    maxFutureSeconds = r.integer(PUSH_MAX_FUTURE, 0, 366L * 86400);
    writeThreads = (int) r.integer(PUSH_WRITE_THREADS, 1, 256);
    writeQueue = (int) r.integer(PUSH_WRITE_QUEUE, 1, 1_000_000);
    traceroutePerHop = r.bool(TRACEROUTE_PER_HOP);
    hostCollections = r.bool(HOST_COLLECTIONS);
    contentZones = r.bool(CONTENT_ZONES);
    maxNewMetricsPerRequest = (int) r.integer(METRICS_MAX_NEW, 0, 10_000);
    maxDerivedMetrics = (int) r.integer(METRICS_MAX_DERIVED, 0, 30_000);
    maxPointsInFlight = (int) r.integer(WRITE_MAX_IN_FLIGHT, 1000, 10_000_000);
    catalogFile = r.readableFile(CATALOG_FILE);
    enrichmentTags = r.enrichment(ENRICHMENT);
    benchEnabled = r.bool(BENCH_ENABLE);
    pullAccounts = r.pullAccounts();
    pullCursorFile = r.writableFile(PULL_CURSOR_FILE);
    pullAdminToken = r.string(PULL_ADMIN_TOKEN);
    catalogCacheFile = r.writableFile(CATALOG_CACHE_FILE);
    catalogRefreshSeconds = r.duration(CATALOG_REFRESH, 0, 30L * 86400);
    if ((pushToken == null || pushToken.isEmpty()) && !allowAnonymous) {
      r.problem(PUSH_TOKEN, "is not set: set a secret, or set " + PUSH_ALLOW_ANONYMOUS.fullName()
          + "=true to accept pushes from anyone");
    }
    forwarders = ForwardTargetSettings.read(r.settings, r.problems);
    r.unknownKeys();
  }

  /**
   * True for a full key whose value is a secret, including per-account and per-target keys
   * ({@code tsd.plugin.catchpoint.pull.prod.api_key}).
   */
  public static boolean isSecretKey(String fullKey) {
    if (!fullKey.startsWith(PREFIX)) {
      return false;
    }
    for (Key k : KEYS) {
      if (k.secret && fullKey.matches(keyPattern(k.fullName()))) {
        return true;
      }
    }
    return false;
  }

  /** {@code pull.<account>.api_key} as a regex where the placeholder is one dot-free segment. */
  private static String keyPattern(String documented) {
    StringBuilder b = new StringBuilder();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<[^>]+>").matcher(documented);
    int last = 0;
    while (m.find()) {
      b.append(java.util.regex.Pattern.quote(documented.substring(last, m.start()))).append("[^.]+");
      last = m.end();
    }
    return b.append(java.util.regex.Pattern.quote(documented.substring(last))).toString();
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
    m.put(PUSH_MAX_FIELDS.name, maxFields);
    m.put(PUSH_ACK_TIMEOUT.name, ackTimeoutMillis);
    m.put(PUSH_MAX_FUTURE.name, maxFutureSeconds);
    m.put(PUSH_WRITE_THREADS.name, writeThreads);
    m.put(PUSH_WRITE_QUEUE.name, writeQueue);
    m.put(TRACEROUTE_PER_HOP.name, traceroutePerHop);
    m.put(HOST_COLLECTIONS.name, hostCollections);
    m.put(CONTENT_ZONES.name, contentZones);
    m.put(METRICS_MAX_NEW.name, maxNewMetricsPerRequest);
    m.put(METRICS_MAX_DERIVED.name, maxDerivedMetrics);
    m.put(WRITE_MAX_IN_FLIGHT.name, maxPointsInFlight);
    m.put(CATALOG_FILE.name, catalogFile == null ? "(none)" : catalogFile.toString());
    m.put(ENRICHMENT.name, String.join(",", enrichmentTags));
    m.put(BENCH_ENABLE.name, benchEnabled);
    List<String> names = new ArrayList<>();
    for (PullAccountSettings a : pullAccounts) {
      names.add(a.name);
    }
    m.put(PULL_ACCOUNTS.name, names.isEmpty() ? "(none)" : String.join(",", names));
    m.put(PULL_CURSOR_FILE.name, pullCursorFile == null ? "(none)" : pullCursorFile.toString());
    m.put(PULL_ADMIN_TOKEN.name, pullAdminToken == null || pullAdminToken.isEmpty() ? "(none)" : "****");
    for (PullAccountSettings a : pullAccounts) {
      for (Map.Entry<String, Object> e : a.summary().entrySet()) {
        m.put("pull." + a.name + "." + e.getKey(), e.getValue());
      }
    }
    m.put(CATALOG_CACHE_FILE.name, catalogCacheFile == null ? "(none)" : catalogCacheFile.toString());
    m.put(CATALOG_REFRESH.name, catalogRefreshSeconds + "s");
    List<String> targets = new ArrayList<>();
    for (ForwardTargetSettings f : forwarders) {
      targets.add(f.name);
    }
    m.put(ForwardTargetSettings.FORWARD.name, targets.isEmpty() ? "(none)" : String.join(",", targets));
    for (ForwardTargetSettings f : forwarders) {
      for (Map.Entry<String, Object> e : f.summary().entrySet()) {
        m.put("forward." + f.name + "." + e.getKey(), e.getValue());
      }
    }
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

    /** The concrete key of one account: {@code pull.<account>.api} becomes {@code pull.a.api}. */
    static Key forAccount(Key k, String account) {
      return new Key(k.name.replace(ACCOUNT, account), k.type, k.defaultValue, k.secret, k.description);
    }

    /** {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or plain seconds; null when it is none of these. */
    static Long parseDuration(String v) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})\\s*([smhd]?)")
          .matcher(v.trim().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        return null;
      }
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "m":
          return n * 60;
        case "h":
          return n * 3600;
        case "d":
          return n * 86400;
        default:
          return n;
      }
    }

    /** A duration in seconds. */
    long duration(Key k, long minSeconds, long maxSeconds) {
      String v = raw(k);
      Long fallback = k.defaultValue == null ? Long.valueOf(minSeconds) : parseDuration(k.defaultValue);
      Long n = parseDuration(v);
      if (n == null) {
        problem(k, "must be a duration such as 30s, 5m, 2h or 1d, not \"" + v + "\"");
        return fallback;
      }
      if (n < minSeconds || n > maxSeconds) {
        problem(k, "must be between " + minSeconds + "s and " + maxSeconds + "s, not " + v);
        return fallback;
      }
      return n;
    }

    /** A file the plugin may write: an existing writable file, or a new one in an existing writable directory. */
    Path writableFile(Key k) {
      String v = raw(k);
      if (v == null) {
        return null;
      }
      Path p = Paths.get(v);
      Path dir = p.toAbsolutePath().getParent();
      boolean ok = Files.exists(p) ? Files.isRegularFile(p) && Files.isWritable(p)
          : dir != null && Files.isDirectory(dir) && Files.isWritable(dir);
      if (!ok) {
        problem(k, "names a file that cannot be written: " + v);
        return null;
      }
      return p;
    }

    /** Positive whole numbers, comma-separated. */
    List<Long> ids(Key k) {
      List<Long> out = new ArrayList<>();
      String v = raw(k);
      if (v == null) {
        return out;
      }
      for (String part : v.split(",")) {
        String id = part.trim();
        if (id.isEmpty()) {
          continue;
        }
        try {
          long n = Long.parseLong(id);
          if (n <= 0) {
            throw new NumberFormatException();
          }
          if (!out.contains(n)) {
            out.add(n);
          }
        } catch (NumberFormatException e) {
          problem(k, "must list test ids (positive whole numbers), not \"" + id + "\"");
        }
      }
      return out;
    }

    /** Account names of pull.accounts that were read (their keys are known keys). */
    final List<String> accounts = new ArrayList<>();

    List<PullAccountSettings> pullAccounts() {
      List<PullAccountSettings> out = new ArrayList<>();
      String v = raw(PULL_ACCOUNTS);
      if (v == null) {
        return Collections.unmodifiableList(out);
      }
      for (String part : v.split(",")) {
        String name = part.trim();
        if (name.isEmpty()) {
          continue;
        }
        if (!name.matches("[A-Za-z0-9_-]+")) {
          problem(PULL_ACCOUNTS, "has the account name \"" + name + "\": use letters, digits, - and _ only");
        } else if (accounts.contains(name)) {
          problem(PULL_ACCOUNTS, "names the account " + name + " twice");
        } else {
          accounts.add(name);
          out.add(account(name));
        }
      }
      return Collections.unmodifiableList(out);
    }

    private PullAccountSettings account(String name) {
      Key apiKey = forAccount(PULL_API, name);
      String api = raw(apiKey).toLowerCase(Locale.ROOT);
      if (!PullAccountSettings.V1.equals(api) && !PullAccountSettings.V2.equals(api)) {
        problem(apiKey, "must be v1 or v2, not \"" + api + "\"");
        api = PullAccountSettings.V2;
      }
      boolean v1 = PullAccountSettings.V1.equals(api);
      PullAccountSettings.Builder b = PullAccountSettings.builder(name, api);
      Key clientId = forAccount(PULL_CLIENT_ID, name);
      Key clientSecret = forAccount(PULL_CLIENT_SECRET, name);
      Key key = forAccount(PULL_API_KEY, name);
      b.v1Credentials(raw(clientId), raw(clientSecret)).apiKey(raw(key));
      if (v1) {
        for (Key required : Arrays.asList(clientId, clientSecret)) {
          if (raw(required) == null) {
            problem(required, "is required for a v1 account");
          }
        }
      } else if (raw(key) == null) {
        problem(key, "is required for a v2 account");
      }

      Key baseUrl = forAccount(PULL_BASE_URL, name);
      String url = raw(baseUrl);
      if (url != null) {
        try {
          java.net.URL u = new java.net.URL(url);
          if (!"http".equals(u.getProtocol()) && !"https".equals(u.getProtocol())) {
            throw new java.net.MalformedURLException();
          }
          b.baseUrl(url);
        } catch (java.net.MalformedURLException e) {
          problem(baseUrl, "must be an http or https URL, not \"" + url + "\"");
        }
      }

      List<String> types = new ArrayList<>(PULL_TEST_LISTS);
      String testsPrefix = PREFIX + "pull." + name + ".tests.";
      List<String> set = new ArrayList<>(settings.keys());
      Collections.sort(set);
      for (String k : set) {
        if (k.startsWith(testsPrefix)) {
          String type = k.substring(testsPrefix.length());
          if (types.contains(type)) {
            continue;
          }
          if (org.opentsdbcatchpoint.pipeline.TestType.idOf(type) == null || !type.equals(type.toLowerCase(Locale.ROOT))) {
            problems.add(k + " names no test type; use one of the test_type names (web, api, transaction, dns, "
                + "ping, traceroute, smtp, websocket, transaction_legacy, ...) or other");
          } else {
            types.add(type);
          }
        }
      }
      Map<Long, String> seen = new LinkedHashMap<>();
      for (String type : types) {
        Key list = new Key("pull." + name + ".tests." + type, "list", null, false, "");
        List<Long> ids = ids(list);
        for (Long id : ids) {
          String before = seen.put(id, type);
          if (before != null) {
            problem(list, "lists test " + id + ", already listed as " + before + ": a test has one type");
          }
        }
        if (!ids.isEmpty()) {
          b.tests(type, ids);
        }
      }
      if (seen.isEmpty()) {
        problems.add(PREFIX + "pull." + name + ".tests.* lists no test: set pull." + name
            + ".tests.web (or .api, .dns, .ping, ...) to the ids of the tests to pull");
      }

      Key intervalKey = forAccount(PULL_INTERVAL, name);
      long interval = duration(intervalKey, 30, 86400);
      long lag = duration(forAccount(PULL_LAG, name), 0, 86400);
      Key backfillKey = forAccount(PULL_MAX_BACKFILL, name);
      long backfill = duration(backfillKey, 60, 90L * 86400);
      if (backfill < interval) {
        problem(backfillKey, "must be at least the interval (" + interval + "s)");
      }
      b.interval(interval).lag(lag).maxBackfill(backfill)
          .window(duration(forAccount(PULL_WINDOW, name), 60, 86400))
          .batchSize((int) integer(forAccount(PULL_BATCH_SIZE, name), 1, 100))
          .timeoutMillis((int) (1000 * duration(forAccount(PULL_TIMEOUT, name), 1, 600)));
      Key bearerKey = forAccount(PULL_BEARER, name);
      String bearer = raw(bearerKey).toLowerCase(Locale.ROOT);
      if (!"base64".equals(bearer) && !"raw".equals(bearer)) {
        problem(bearerKey, "must be base64 or raw, not \"" + bearer + "\"");
      }
      b.rawBearer("raw".equals(bearer));
      boolean windowed = bool(forAccount(PULL_WINDOWED, name));
      b.windowed(windowed);
      if (v1 && !windowed && interval + lag > 13 * 60) {
        problem(intervalKey, "plus lag must stay under 13 minutes for a v1 account without windowed=true: "
            + "LastRaw serves only the last 15 minutes");
      }
      return b.build();
    }

    /** Whether a key is one of a configured account's keys. */
    private boolean isAccountKey(String key) {
      for (String account : accounts) {
        String prefix = PREFIX + "pull." + account + ".";
        if (!key.startsWith(prefix)) {
          continue;
        }
        String rest = key.substring(prefix.length());
        if (rest.startsWith("tests.")) {
          // Unknown types were reported while reading the account.
          return true;
        }
        for (Key k : PULL_ACCOUNT_KEYS) {
          if (k.name.equals("pull." + ACCOUNT + "." + rest)) {
            return true;
          }
        }
      }
      return false;
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
        if (key.startsWith(PREFIX) && !known.contains(key) && !isAccountKey(key)
            && !ForwardTargetSettings.isForwardKey(key)) {
          String account = key.startsWith(PREFIX + "pull.") ? key.substring((PREFIX + "pull.").length()) : "";
          account = account.contains(".") ? account.substring(0, account.indexOf('.')) : null;
          if (account != null && !accounts.contains(account) && !account.isEmpty()) {
            problems.add(key + " is set, but " + account + " is not in " + PULL_ACCOUNTS.fullName());
          } else {
            problems.add(key + " is not a setting of this plugin (misspelt?)");
          }
        }
      }
    }
  }
}

package org.opentsdbcatchpoint.pull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.SettingsReader;
import org.opentsdbcatchpoint.pipeline.TestType;

/**
 * One Catchpoint account (or division) to pull from: {@code tsd.plugin.catchpoint.pull.<account>.*}.
 * Immutable; read and validated by {@link #read}, or built in tests by {@link #builder(String, String)}.
 */
public final class PullAccountSettings {
  /** The placeholder for an account name in the documented per-account keys. */
  public static final String ACCOUNT = "<account>";
  private static final String A = "pull." + ACCOUNT + ".";

  public static final Key API = Key.of(A + "api", "v1|v2", "v2",
      "Catchpoint REST API version of the account: v2 (API key) or v1 (client id and secret).");
  public static final Key CLIENT_ID = Key.of(A + "client_id", "string", null,
      "v1: the API consumer's key (client id). Required for v1.");
  public static final Key CLIENT_SECRET = Key.secret(A + "client_secret", "string",
      "v1: the API consumer's secret. Required for v1. Never logged or shown.");
  public static final Key API_KEY = Key.secret(A + "api_key", "string",
      "v2: the API key (bearer token). Required for v2. Never logged or shown.");
  public static final Key BASE_URL = Key.of(A + "base_url", "url", null,
      "Where the API is: default " + "https://io.catchpoint.com/ui/api" + " (v1) or "
      + "https://io.catchpoint.com/api/v2" + " (v2); point it at a local fake for tests.");
  public static final Key INTERVAL = Key.of(A + "interval", "duration", "5m",
      "How often the account is pulled (give or take a tenth, so accounts and TSDs do not fire together).");
  public static final Key LAG = Key.of(A + "lag", "duration", "2m",
      "Runs newer than this are left for the next pull: Catchpoint's data arrives late.");
  public static final Key MAX_BACKFILL = Key.of(A + "max_backfill", "duration", "24h",
      "After an outage or a restart, at most this much is pulled again; an older gap is logged and counted.");
  public static final Key WINDOW = Key.of(A + "window", "duration", "1h",
      "Longest time window one request asks for; a backfill is cut into windows of this size.");
  public static final Key BATCH_SIZE = Key.of(A + "batch_size", "integer", "20",
      "Tests of one type asked for in one request (Catchpoint allows one type per request).");
  public static final Key BEARER = Key.of(A + "bearer", "base64|raw", "base64",
      "v1: send the access token base64-encoded (most accounts) or as it came.");
  public static final Key WINDOWED = Key.of(A + "windowed", "boolean", "false",
      "v1: ask for time windows (raw/ID?startTime&endTime, one test per request), which makes backfill possible; "
      + "false uses LastRaw, which serves only the last 15 minutes. v2 is always windowed.");
  public static final Key IMPORT_RATE = Key.of(A + "import_rate", "integer", "10",
      "Most requests a minute that an import (POST /plugin/catchpoint/pull/import) of the account sends; the live "
      + "pulls' requests come first and are not counted. Catchpoint's published v2 limit is about 20 a minute.");
  public static final Key IMPORT_WINDOW = Key.of(A + "import_window", "duration", "6h",
      "Longest time window one request of an import asks for (at least pull.<account>.window); a v2 answer with "
      + "more records is fetched again in halves.");
  public static final Key TIMEOUT = Key.of(A + "timeout", "duration", "30s",
      "Connect and read timeout of one request; a request that times out is retried with backoff.");
  public static final Key ANSWER_DEADLINE = Key.of(A + "answer_deadline", "duration", "10m",
      "Longest time one answer may take, from the request to its last byte (a very slow or endless answer is cut "
      + "after this, or at the first read after it, at most timeout later); a cut answer fails its window, which "
      + "is pulled again at the next interval.");
  public static final Key MAX_ANSWER_BYTES = Key.of(A + "max_answer_bytes", "integer", "1073741824",
      "Largest answer body read (at least 1048576); a larger or endless answer is cut there and fails its window, "
      + "which is pulled again at the next interval.");

  /** The test type lists of the documented keys; any other type name of the test_type tag works too. */
  public static final List<String> TEST_LISTS = Collections.unmodifiableList(Arrays.asList(
      "web", "api", "transaction", "dns", "ping", "traceroute", "smtp", "websocket", "other"));

  /** Per-account keys, in documentation order; {@code tests.<type>} for the lists of {@link #TEST_LISTS}. */
  public static final List<Key> KEYS;

  static {
    List<Key> keys = new ArrayList<>(Arrays.asList(API, CLIENT_ID, CLIENT_SECRET, API_KEY, BASE_URL));
    for (String type : TEST_LISTS) {
      keys.add(testsKey(type));
    }
    keys.addAll(Arrays.asList(INTERVAL, LAG, MAX_BACKFILL, WINDOW, BATCH_SIZE, BEARER, WINDOWED, TIMEOUT,
        ANSWER_DEADLINE, MAX_ANSWER_BYTES, IMPORT_RATE, IMPORT_WINDOW));
    KEYS = Collections.unmodifiableList(keys);
  }

  private static Key testsKey(String type) {
    return Key.of(A + "tests." + type, "list", null, "other".equals(type)
        ? "Test ids of any other type, pulled one per request (tagged test_type=unknown). Any test_type name "
            + "works as a list too: tests.transaction_legacy, tests.ssl, ..."
        : "Ids of the account's " + type + " tests, comma-separated.");
  }
  public static final String V1 = "v1";
  public static final String V2 = "v2";
  public static final String V1_BASE_URL = "https://io.catchpoint.com/ui/api";
  public static final String V2_BASE_URL = "https://io.catchpoint.com/api/v2";
  /** The list of tests whose type is not known: pulled one test per call, tagged {@code test_type=unknown}. */
  public static final String OTHER_TESTS = "other";


  public final String name;
  /** {@link #V1} or {@link #V2}. */
  public final String api;
  public final String clientId;
  public final String clientSecret;
  public final String apiKey;
  /** Without a trailing slash. */
  public final String baseUrl;
  /** Test ids by test type name ({@code web}, {@code ping}, ... or {@link #OTHER_TESTS}), in configuration order. */
  public final Map<String, List<Long>> tests;
  public final long intervalSeconds;
  public final long lagSeconds;
  public final long maxBackfillSeconds;
  public final int batchSize;
  /** v1: send the token as it came instead of base64-encoding it. */
  public final boolean rawBearer;
  /** v1: pull per-test time windows ({@code raw/ID?startTime&endTime}) instead of LastRaw. */
  public final boolean windowed;
  /** Longest window one request asks for (backfill is cut into windows of this size). */
  public final long windowSeconds;
  public final int timeoutMillis;
  /** Longest time of one answer, request to last byte. */
  public final long answerDeadlineMillis;
  /** Largest answer body read. */
  public final long maxAnswerBytes;
  /** Most import requests a minute. */
  public final int importRequestsPerMinute;
  /** Longest window one import request asks for. */
  public final long importWindowSeconds;

  private PullAccountSettings(Builder b) {
    name = b.name;
    api = b.api;
    clientId = b.clientId;
    clientSecret = b.clientSecret;
    apiKey = b.apiKey;
    String url = b.baseUrl != null ? b.baseUrl : (V2.equals(b.api) ? V2_BASE_URL : V1_BASE_URL);
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    baseUrl = url;
    Map<String, List<Long>> t = new LinkedHashMap<>();
    for (Map.Entry<String, List<Long>> e : b.tests.entrySet()) {
      t.put(e.getKey(), Collections.unmodifiableList(new ArrayList<>(e.getValue())));
    }
    tests = Collections.unmodifiableMap(t);
    intervalSeconds = b.intervalSeconds;
    lagSeconds = b.lagSeconds;
    maxBackfillSeconds = b.maxBackfillSeconds;
    batchSize = b.batchSize;
    rawBearer = b.rawBearer;
    windowed = b.windowed || V2.equals(b.api);
    windowSeconds = b.windowSeconds;
    timeoutMillis = b.timeoutMillis;
    answerDeadlineMillis = b.answerDeadlineMillis;
    maxAnswerBytes = b.maxAnswerBytes;
    importRequestsPerMinute = b.importRequestsPerMinute;
    importWindowSeconds = Math.max(b.importWindowSeconds, b.windowSeconds);
  }

  /** Reads and validates the keys of one account; problems go to the reader. */
  static PullAccountSettings read(SettingsReader r, String name) {
    Key apiKey = API.forItem(ACCOUNT, name);
    String api = r.choice(apiKey, V1, V2);
    boolean v1 = V1.equals(api);
    Builder b = builder(name, api);
    Key clientId = CLIENT_ID.forItem(ACCOUNT, name);
    Key clientSecret = CLIENT_SECRET.forItem(ACCOUNT, name);
    Key key = API_KEY.forItem(ACCOUNT, name);
    b.v1Credentials(r.string(clientId), r.string(clientSecret)).apiKey(r.string(key));
    if (v1) {
      for (Key required : Arrays.asList(clientId, clientSecret)) {
        if (!r.isSet(required)) {
          r.problem(required, "is required for a v1 account");
        }
      }
    } else if (!r.isSet(key)) {
      r.problem(key, "is required for a v2 account");
    }
    b.baseUrl(r.url(BASE_URL.forItem(ACCOUNT, name), null));
    readTests(r, name, b);

    Key intervalKey = INTERVAL.forItem(ACCOUNT, name);
    long interval = r.seconds(intervalKey, 30, 86400);
    long lag = r.seconds(LAG.forItem(ACCOUNT, name), 0, 86400);
    Key backfillKey = MAX_BACKFILL.forItem(ACCOUNT, name);
    long backfill = r.seconds(backfillKey, 60, 90L * 86400);
    if (backfill < interval) {
      r.problem(backfillKey, "must be at least the interval (" + interval + "s)");
    }
    b.interval(interval).lag(lag).maxBackfill(backfill)
        .window(r.seconds(WINDOW.forItem(ACCOUNT, name), 60, 86400))
        .batchSize((int) r.integer(BATCH_SIZE.forItem(ACCOUNT, name), 1, 100))
        .timeoutMillis((int) (1000 * r.seconds(TIMEOUT.forItem(ACCOUNT, name), 1, 600)))
        .answerDeadlineMillis(1000 * r.seconds(ANSWER_DEADLINE.forItem(ACCOUNT, name), 1, 86400))
        .maxAnswerBytes(r.integer(MAX_ANSWER_BYTES.forItem(ACCOUNT, name), 1L << 20, 1L << 40))
        .importRate((int) r.integer(IMPORT_RATE.forItem(ACCOUNT, name), 1, 6000))
        .importWindow(r.seconds(IMPORT_WINDOW.forItem(ACCOUNT, name), 60, 7L * 86400));
    b.rawBearer("raw".equals(r.choice(BEARER.forItem(ACCOUNT, name), "base64", "raw")));
    boolean windowed = r.bool(WINDOWED.forItem(ACCOUNT, name));
    b.windowed(windowed);
    if (v1 && !windowed && interval + lag > 13 * 60) {
      r.problem(intervalKey, "plus lag must stay under 13 minutes for a v1 account without windowed=true: "
          + "LastRaw serves only the last 15 minutes");
    }
    return b.build();
  }

  /** The {@code tests.<type>} lists: the documented ones, and any other {@code test_type} name set. */
  private static void readTests(SettingsReader r, String name, Builder b) {
    List<String> types = new ArrayList<>(TEST_LISTS);
    String testsPrefix = Key.PREFIX + "pull." + name + ".tests.";
    for (String k : r.keysUnder(testsPrefix)) {
      String type = k.substring(testsPrefix.length());
      if (types.contains(type)) {
        continue;
      }
      if (TestType.idOf(type) == null || !type.equals(type.toLowerCase(Locale.ROOT))) {
        r.handled(k);
        r.problem(k, "names no test type; use one of the test_type names (web, api, transaction, dns, "
            + "ping, traceroute, smtp, websocket, transaction_legacy, ...) or other");
      } else {
        types.add(type);
      }
    }
    Map<Long, String> seen = new LinkedHashMap<>();
    for (String type : types) {
      Key list = testsKey(type).forItem(ACCOUNT, name);
      List<Long> ids = r.ids(list, "test ids");
      for (Long id : ids) {
        String before = seen.put(id, type);
        if (before != null) {
          r.problem(list, "lists test " + id + ", already listed as " + before + ": a test has one type");
        }
      }
      if (!ids.isEmpty()) {
        b.tests(type, ids);
      }
    }
    if (seen.isEmpty()) {
      r.problem(Key.PREFIX + "pull." + name + ".tests.*", "lists no test: set pull." + name
          + ".tests.web (or .api, .dns, .ping, ...) to the ids of the tests to pull");
    }
  }

  public boolean isV2() {
    return V2.equals(api);
  }

  /** Every configured test id, in configuration order. */
  public List<Long> allTests() {
    List<Long> all = new ArrayList<>();
    for (List<Long> ids : tests.values()) {
      all.addAll(ids);
    }
    return all;
  }

  public static Builder builder(String name, String api) {
    return new Builder(name, api);
  }

  /** Secrets masked. */
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("api", api);
    m.put("base_url", baseUrl);
    if (isV2()) {
      m.put("api_key", mask(apiKey));
    } else {
      m.put("client_id", clientId);
      m.put("client_secret", mask(clientSecret));
      m.put("bearer", rawBearer ? "raw" : "base64");
      m.put("windowed", windowed);
    }
    for (Map.Entry<String, List<Long>> e : tests.entrySet()) {
      m.put("tests." + e.getKey(), e.getValue().toString());
    }
    m.put("interval", intervalSeconds + "s");
    m.put("lag", lagSeconds + "s");
    m.put("max_backfill", maxBackfillSeconds + "s");
    m.put("window", windowSeconds + "s");
    m.put("batch_size", batchSize);
    m.put("timeout", timeoutMillis + "ms");
    m.put("answer_deadline", answerDeadlineMillis / 1000 + "s");
    m.put("max_answer_bytes", maxAnswerBytes);
    m.put("import_rate", importRequestsPerMinute);
    m.put("import_window", importWindowSeconds + "s");
    return m;
  }

  static String mask(String secret) {
    return secret == null || secret.isEmpty() ? "(none)" : "****";
  }

  @Override
  public String toString() {
    return "pull account " + name + " " + summary();
  }

  /** Builds an account; defaults as documented in {@link #KEYS}. */
  public static final class Builder {
    private final String name;
    private final String api;
    private String clientId;
    private String clientSecret;
    private String apiKey;
    private String baseUrl;
    private final Map<String, List<Long>> tests = new LinkedHashMap<>();
    private long intervalSeconds = 300;
    private long lagSeconds = 120;
    private long maxBackfillSeconds = 86400;
    private int batchSize = 20;
    private boolean rawBearer;
    private boolean windowed;
    private long windowSeconds = 3600;
    private int timeoutMillis = 30_000;
    private long answerDeadlineMillis = 600_000;
    private long maxAnswerBytes = 1L << 30;
    private int importRequestsPerMinute = 10;
    private long importWindowSeconds = 6 * 3600;

    private Builder(String name, String api) {
      this.name = Objects.requireNonNull(name, "name");
      this.api = Objects.requireNonNull(api, "api");
    }

    public Builder v1Credentials(String clientId, String clientSecret) {
      this.clientId = clientId;
      this.clientSecret = clientSecret;
      return this;
    }

    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    public Builder baseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    public Builder tests(String type, List<Long> ids) {
      tests.put(type, ids);
      return this;
    }

    public Builder interval(long seconds) {
      intervalSeconds = seconds;
      return this;
    }

    public Builder lag(long seconds) {
      lagSeconds = seconds;
      return this;
    }

    public Builder maxBackfill(long seconds) {
      maxBackfillSeconds = seconds;
      return this;
    }

    public Builder batchSize(int n) {
      batchSize = n;
      return this;
    }

    public Builder rawBearer(boolean raw) {
      rawBearer = raw;
      return this;
    }

    public Builder windowed(boolean w) {
      windowed = w;
      return this;
    }

    public Builder window(long seconds) {
      windowSeconds = seconds;
      return this;
    }

    public Builder timeoutMillis(int millis) {
      timeoutMillis = millis;
      return this;
    }

    public Builder answerDeadlineMillis(long millis) {
      answerDeadlineMillis = millis;
      return this;
    }

    public Builder maxAnswerBytes(long bytes) {
      maxAnswerBytes = bytes;
      return this;
    }

    public Builder importRate(int requestsPerMinute) {
      importRequestsPerMinute = requestsPerMinute;
      return this;
    }

    public Builder importWindow(long seconds) {
      importWindowSeconds = seconds;
      return this;
    }

    public PullAccountSettings build() {
      return new PullAccountSettings(this);
    }
  }
}

package org.opentsdbcatchpoint.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Catchpoint account (or division) to pull from: {@code tsd.plugin.catchpoint.pull.<name>.*}.
 * Immutable; built by {@link PluginSettings} (validated) or, in tests, by {@link #builder(String, String)}.
 */
public final class PullAccountSettings {
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
    return m;
  }

  static String mask(String secret) {
    return secret == null || secret.isEmpty() ? "(none)" : "****";
  }

  @Override
  public String toString() {
    return "pull account " + name + " " + summary();
  }

  /** Builds an account; defaults as documented in {@link PluginSettings#KEYS}. */
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

    public PullAccountSettings build() {
      return new PullAccountSettings(this);
    }
  }
}

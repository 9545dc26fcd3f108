package org.opentsdbcatchpoint.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentsdbcatchpoint.PluginSettings;
import org.opentsdbcatchpoint.config.InvalidSettingsException;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.Settings;

/** The pull.* keys: accounts of both API versions, validated with every problem at once, secrets masked. */
class PullSettingsTest {
  private static final String P = Key.PREFIX;
  private static final String CLIENT_SECRET = "v1-Client-Secret-77";
  private static final String API_KEY = "v2-Api-Key-31337";

  @TempDir
  Path tmp;

  private static Map<String, String> base(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put(P + "push.token", "push-secret-0123456789");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(P + kv[i], kv[i + 1]);
    }
    return m;
  }

  private static List<String> problems(Map<String, String> m) {
    return assertThrows(InvalidSettingsException.class, () -> PluginSettings.from(Settings.of(m))).problems();
  }

  private static boolean has(List<String> problems, String key, String text) {
    return problems.stream().anyMatch(p -> p.startsWith(P + key + " ") && p.contains(text));
  }

  @Test
  void noAccountsNoPulls() {
    PluginSettings s = PluginSettings.from(Settings.of(base()));
    assertTrue(s.pull.accounts.isEmpty());
    assertNull(s.pull.cursorFile);
    assertNull(s.catalog.cacheFile);
    assertEquals(6 * 3600, s.catalog.refreshSeconds);
    assertEquals("(none)", s.summary().get("pull.accounts"));
  }

  @Test
  void twoAccountsOfDifferentVersions() {
    PluginSettings s = PluginSettings.from(Settings.of(base(
        "pull.accounts", " legacy , main ",
        "pull.legacy.api", "V1",
        "pull.legacy.client_id", "client-1",
        "pull.legacy.client_secret", CLIENT_SECRET,
        "pull.legacy.bearer", "raw",
        "pull.legacy.tests.web", "100001, 100006",
        "pull.legacy.tests.traceroute", "100003",
        "pull.legacy.tests.transaction_legacy", "42",
        "pull.legacy.interval", "3m",
        "pull.main.api_key", API_KEY,
        "pull.main.base_url", "http://127.0.0.1:8080/api/v2/",
        "pull.main.tests.api", "7",
        "pull.main.tests.other", "8,9",
        "pull.main.interval", "10m",
        "pull.main.lag", "0",
        "pull.main.max_backfill", "2d",
        "pull.main.window", "30m",
        "pull.main.batch_size", "5",
        "pull.main.timeout", "5s",
        "catalog.refresh", "1h")));
    assertEquals(2, s.pull.accounts.size());
    PullAccountSettings legacy = s.pull.accounts.get(0);
    assertEquals("legacy", legacy.name);
    assertEquals("v1", legacy.api);
    assertEquals("client-1", legacy.clientId);
    assertEquals(CLIENT_SECRET, legacy.clientSecret);
    assertTrue(legacy.rawBearer);
    assertFalse(legacy.windowed);
    assertEquals(PullAccountSettings.V1_BASE_URL, legacy.baseUrl);
    assertEquals(Arrays.asList(100001L, 100006L), legacy.tests.get("web"));
    assertEquals(Collections.singletonList(100003L), legacy.tests.get("traceroute"));
    assertEquals(Collections.singletonList(42L), legacy.tests.get("transaction_legacy"));
    assertEquals(180, legacy.intervalSeconds);
    assertEquals(120, legacy.lagSeconds);
    assertEquals(86400, legacy.maxBackfillSeconds);
    assertEquals(3600, legacy.windowSeconds);
    assertEquals(20, legacy.batchSize);
    assertEquals(30_000, legacy.timeoutMillis);

    PullAccountSettings main = s.pull.accounts.get(1);
    assertEquals("v2", main.api);
    assertEquals(API_KEY, main.apiKey);
    assertEquals("http://127.0.0.1:8080/api/v2", main.baseUrl);
    assertTrue(main.windowed, "v2 is always windowed");
    assertEquals(Collections.singletonList(7L), main.tests.get("api"));
    assertEquals(Arrays.asList(8L, 9L), main.tests.get("other"));
    assertEquals(600, main.intervalSeconds);
    assertEquals(0, main.lagSeconds);
    assertEquals(2 * 86400, main.maxBackfillSeconds);
    assertEquals(1800, main.windowSeconds);
    assertEquals(5, main.batchSize);
    assertEquals(5000, main.timeoutMillis);
    assertEquals(3600, s.catalog.refreshSeconds);
  }

  @Test
  void secretsAreMaskedInTheSummary() {
    PluginSettings s = PluginSettings.from(Settings.of(base(
        "pull.accounts", "a,b",
        "pull.a.api", "v1", "pull.a.client_id", "id", "pull.a.client_secret", CLIENT_SECRET, "pull.a.tests.web", "1",
        "pull.b.api_key", API_KEY, "pull.b.tests.dns", "2", "pull.admin_token", "Admin-Secret-5")));
    assertEquals("Admin-Secret-5", s.pull.adminToken);
    Map<String, Object> summary = s.summary();
    String all = summary.toString() + s.pull.accounts;
    assertFalse(all.contains(CLIENT_SECRET), all);
    assertFalse(all.contains(API_KEY), all);
    assertFalse(all.contains("Admin-Secret-5"), all);
    assertEquals("****", summary.get("pull.admin_token"));
    assertEquals("****", summary.get("pull.a.client_secret"));
    assertEquals("****", summary.get("pull.b.api_key"));
    assertEquals("id", summary.get("pull.a.client_id"));
    assertEquals("a,b", summary.get("pull.accounts"));
    assertEquals("[2]", summary.get("pull.b.tests.dns"));
    assertEquals("300s", summary.get("pull.b.interval"));
  }

  @Test
  void everyProblemOfEveryAccountIsReportedAtOnce() {
    List<String> problems = problems(base(
        "pull.accounts", "a,b,c,bad name",
        "pull.a.api", "v1",
        "pull.a.tests.web", "1,x,-3",
        "pull.a.tests.dns", "1",
        "pull.a.tests.nonsense", "5",
        "pull.a.bearer", "hex",
        "pull.a.interval", "10m",
        "pull.a.lag", "5m",
        "pull.b.api", "v3",
        "pull.b.base_url", "ftp://example.com",
        "pull.b.interval", "soon",
        "pull.b.max_backfill", "1m",
        "pull.b.batch_size", "0",
        "pull.b.intervall", "5m",
        "pull.c.api", "v2",
        "pull.z.api_key", "k"));
    assertTrue(has(problems, "pull.accounts", "bad name"), problems.toString());
    assertTrue(has(problems, "pull.a.client_id", "required for a v1 account"), problems.toString());
    assertTrue(has(problems, "pull.a.client_secret", "required for a v1 account"), problems.toString());
    assertTrue(has(problems, "pull.a.tests.web", "\"x\""), problems.toString());
    assertTrue(has(problems, "pull.a.tests.web", "\"-3\""), problems.toString());
    assertTrue(has(problems, "pull.a.tests.dns", "already listed as web"), problems.toString());
    assertTrue(has(problems, "pull.a.tests.nonsense", "names no test type"), problems.toString());
    assertTrue(has(problems, "pull.a.bearer", "base64 or raw"), problems.toString());
    assertTrue(has(problems, "pull.a.interval", "LastRaw"), problems.toString());
    assertTrue(has(problems, "pull.b.api", "v1 or v2"), problems.toString());
    assertTrue(has(problems, "pull.b.api_key", "required for a v2 account"), problems.toString());
    assertTrue(has(problems, "pull.b.base_url", "http or https"), problems.toString());
    assertTrue(has(problems, "pull.b.interval", "duration"), problems.toString());
    assertTrue(has(problems, "pull.b.max_backfill", "at least the interval"), problems.toString());
    assertTrue(has(problems, "pull.b.batch_size", "between 1 and 100"), problems.toString());
    assertTrue(has(problems, "pull.b.tests.*", "lists no test"), problems.toString());
    assertTrue(has(problems, "pull.b.intervall", "not a setting"), problems.toString());
    assertTrue(has(problems, "pull.c.api_key", "required"), problems.toString());
    assertTrue(has(problems, "pull.c.tests.*", "lists no test"), problems.toString());
    assertTrue(has(problems, "pull.z.api_key", "z is not in " + P + "pull.accounts"), problems.toString());
    assertEquals(20, problems.size(), String.join("\n", problems));
  }

  @Test
  void writableFilesForCursorsAndTheCatalogCache() {
    Path cursors = tmp.resolve("cursors.properties");
    Path cache = tmp.resolve("nodes-cache.json");
    PluginSettings s = PluginSettings.from(Settings.of(base(
        "pull.cursor_file", cursors.toString(), "catalog.cache_file", cache.toString())));
    assertEquals(cursors, s.pull.cursorFile);
    assertEquals(cache, s.catalog.cacheFile);
    List<String> problems = problems(base("pull.cursor_file", tmp.resolve("no/such/dir/c").toString(),
        "catalog.cache_file", tmp.toString(), "catalog.refresh", "-1"));
    assertTrue(has(problems, "pull.cursor_file", "cannot be written"), problems.toString());
    assertTrue(has(problems, "catalog.cache_file", "cannot be written"), problems.toString());
    assertTrue(has(problems, "catalog.refresh", "duration"), problems.toString());
  }

  @Test
  void everyPerAccountKeyIsDocumentedWithTheAccountPlaceholder() {
    int perAccount = 0;
    for (Key k : PluginSettings.KEYS) {
      if (k.name.contains(PullAccountSettings.ACCOUNT)) {
        assertTrue(k.name.startsWith("pull." + PullAccountSettings.ACCOUNT + "."), k.name);
        perAccount++;
      }
    }
    assertEquals(PullAccountSettings.KEYS.size(), perAccount);
    for (String type : PullAccountSettings.TEST_LISTS) {
      assertTrue(PluginSettings.KEYS.stream().anyMatch(k -> k.name.equals("pull.<account>.tests." + type)), type);
    }
  }
}

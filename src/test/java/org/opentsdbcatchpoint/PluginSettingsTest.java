package org.opentsdbcatchpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentsdbcatchpoint.config.InvalidSettingsException;
import org.opentsdbcatchpoint.config.Key;
import org.opentsdbcatchpoint.config.Settings;
import org.opentsdbcatchpoint.mapping.Vocabulary;
import org.opentsdbcatchpoint.pull.PullAccountSettings;
import org.opentsdbcatchpoint.pull.PullSettings;
import org.opentsdbcatchpoint.push.PushSettings;
import org.opentsdbcatchpoint.sink.ForwardSettings;
import org.opentsdbcatchpoint.sink.InfluxSettings;

class PluginSettingsTest {
  private static final String P = Key.PREFIX;
  private static final String SECRET = "Very-Secret-Push-Token-42";

  @TempDir
  Path tmp;

  @Test
  void defaults() {
    PluginSettings s = PluginSettings.from(Settings.of(map(P + "push.token", SECRET)));
    assertEquals(SECRET, s.push.token);
    assertFalse(s.push.allowAnonymous);
    assertEquals(1_048_576, s.push.maxBodyBytes);
    assertEquals(10_000, s.push.ackTimeoutMillis);
    assertEquals(86_400, s.push.maxFutureSeconds);
    assertEquals(4, s.push.writeThreads);
    assertEquals(1000, s.push.writeQueue);
    assertFalse(s.push.decodeOptions.traceroutePerHop);
    assertFalse(s.push.decodeOptions.hostCollections);
    assertFalse(s.push.decodeOptions.contentZones);
    assertNull(s.catalog.file);
    assertEquals(Vocabulary.ENRICHMENT_TAGS, s.mapping.enrichmentTags);
  }

  @Test
  void everyKeyIsReadAndOthersUnderOtherPrefixesAreIgnored() throws IOException {
    Path catalog = Files.write(tmp.resolve("nodes.json"), "{\"items\":[]}".getBytes(StandardCharsets.UTF_8));
    Map<String, String> m = map(
        P + "push.token", "  " + SECRET + "  ",
        P + "push.allow_anonymous", "TRUE",
        P + "push.max_body_bytes", "2048",
        P + "push.ack_timeout_ms", "5000",
        P + "push.max_future_seconds", "0",
        P + "push.write_threads", "2",
        P + "push.write_queue", "10",
        P + "push.traceroute.per_hop", "true",
        P + "push.host_collections", "False",
        P + "push.content_zones", "true",
        P + "catalog.file", catalog.toString(),
        P + "tags.enrichment", " Country, asn ,,country,city",
        "tsd.plugin.other.thing", "x",
        "tsd.core.auto_create_metrics", "true");
    PluginSettings s = PluginSettings.from(Settings.of(m));
    assertEquals(SECRET, s.push.token, "values are trimmed");
    assertTrue(s.push.allowAnonymous);
    assertEquals(2048, s.push.maxBodyBytes);
    assertEquals(5000, s.push.ackTimeoutMillis);
    assertEquals(0, s.push.maxFutureSeconds);
    assertEquals(2, s.push.writeThreads);
    assertEquals(10, s.push.writeQueue);
    assertTrue(s.push.decodeOptions.traceroutePerHop);
    assertFalse(s.push.decodeOptions.hostCollections);
    assertTrue(s.push.decodeOptions.contentZones);
    assertEquals(catalog, s.catalog.file);
    assertEquals(Arrays.asList("country", "asn", "city"), s.mapping.enrichmentTags,
        "lower-cased, de-duplicated, in the given priority order");
  }

  @Test
  void emptyValuesMeanTheDefault() {
    PluginSettings s = PluginSettings.from(Settings.of(map(
        P + "push.token", SECRET, P + "push.write_threads", "  ", P + "push.allow_anonymous", "")));
    assertEquals(4, s.push.writeThreads);
    assertFalse(s.push.allowAnonymous);
  }

  @Test
  void everyProblemIsReportedInOneException() {
    Map<String, String> m = map(
        P + "push.token", SECRET,
        P + "push.allow_anonymous", "yes",
        P + "push.write_threads", "four",
        P + "push.ack_timeout_ms", "50",
        P + "push.max_body_bytes", "999999999999",
        P + "catalog.file", tmp.resolve("no-such-file.json").toString(),
        P + "tags.enrichment", "asn,planet",
        P + "push.tokn", "oops");

    InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
        () -> PluginSettings.from(Settings.of(m)));

    List<String> problems = e.problems();
    assertEquals(7, problems.size(), String.join("\n", problems));
    String[] badKeys = {"push.allow_anonymous", "push.write_threads", "push.ack_timeout_ms", "push.max_body_bytes",
        "catalog.file", "tags.enrichment", "push.tokn"};
    for (String key : badKeys) {
      assertTrue(problems.stream().anyMatch(p -> p.startsWith(P + key + " ")),
          "no problem names " + key + ": " + problems);
      assertTrue(e.getMessage().contains(P + key), "the message names " + key + ": " + e.getMessage());
    }
    assertTrue(has(problems, "push.allow_anonymous", "\"yes\""), problems.toString());
    assertTrue(has(problems, "push.write_threads", "\"four\""), problems.toString());
    assertTrue(has(problems, "push.ack_timeout_ms", "between 100 and 19000"), problems.toString());
    assertTrue(has(problems, "tags.enrichment", "\"planet\""), problems.toString());
    assertTrue(e.getMessage().contains("7 problems"), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), "the message leaks the token");
  }

  @Test
  void aPreviousPushTokenIsForARotationAndNeverShown() {
    PluginSettings s = PluginSettings.from(Settings.of(map(P + "push.token", SECRET, P + "push.previous_token",
        "old-" + SECRET)));
    assertEquals("old-" + SECRET, s.push.previousToken);
    assertEquals("****", s.summary().get("push.previous_token"));
    assertFalse(s.summary().toString().contains(SECRET), s.summary().toString());
    assertEquals(null, PluginSettings.from(Settings.of(map(P + "push.token", SECRET))).push.previousToken);

    InvalidSettingsException same = assertThrows(InvalidSettingsException.class, () -> PluginSettings.from(
        Settings.of(map(P + "push.token", SECRET, P + "push.previous_token", SECRET))));
    assertTrue(same.getMessage().contains(P + "push.previous_token is the same as " + P + "push.token"),
        same.getMessage());
    assertFalse(same.getMessage().contains(SECRET), "the message leaks the token");
    InvalidSettingsException alone = assertThrows(InvalidSettingsException.class, () -> PluginSettings.from(
        Settings.of(map(P + "push.allow_anonymous", "true", P + "push.previous_token", SECRET))));
    assertTrue(alone.getMessage().contains(P + "push.previous_token is set without " + P + "push.token"),
        alone.getMessage());
  }

  @Test
  void directoryIsNotAReadableCatalogFile() {
    InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> PluginSettings.from(
        Settings.of(map(P + "push.token", SECRET, P + "catalog.file", tmp.toString()))));
    assertEquals(1, e.problems().size());
    assertTrue(e.problems().get(0).startsWith(P + "catalog.file"));
  }

  @Test
  void boundsAreInclusive() {
    PluginSettings low = PluginSettings.from(Settings.of(map(P + "push.token", SECRET,
        P + "push.ack_timeout_ms", "100", P + "push.write_threads", "1", P + "push.max_body_bytes", "1024")));
    assertEquals(100, low.push.ackTimeoutMillis);
    assertEquals(1, low.push.writeThreads);
    assertEquals(1024, low.push.maxBodyBytes);
    PluginSettings high = PluginSettings.from(Settings.of(map(P + "push.token", SECRET,
        P + "push.ack_timeout_ms", "19000", P + "push.write_threads", "256")));
    assertEquals(19_000, high.push.ackTimeoutMillis);
    assertEquals(256, high.push.writeThreads);

    InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> PluginSettings.from(
        Settings.of(map(P + "push.token", SECRET, P + "push.ack_timeout_ms", "19001",
            P + "push.write_threads", "0"))));
    assertEquals(2, e.problems().size(), e.problems().toString());
  }

  @Test
  void missingTokenWithoutAnonymousIsAnError() {
    InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
        () -> PluginSettings.from(Settings.of(new HashMap<>())));
    assertEquals(1, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().get(0).startsWith(P + "push.token"), e.problems().toString());
    assertTrue(e.problems().get(0).contains(P + "push.allow_anonymous"), "says how to allow anonymous pushes");

    InvalidSettingsException blank = assertThrows(InvalidSettingsException.class,
        () -> PluginSettings.from(Settings.of(map(P + "push.token", "   "))));
    assertTrue(blank.problems().get(0).startsWith(P + "push.token"));
  }

  @Test
  void anonymousWithoutTokenIsAllowedWhenSaidExplicitly() {
    PluginSettings s = PluginSettings.from(Settings.of(map(P + "push.allow_anonymous", "true")));
    assertNull(s.push.token);
    assertTrue(s.push.allowAnonymous);
    assertEquals("(none)", s.summary().get("push.token"));
  }

  @Test
  void summaryMasksTheToken() throws IOException {
    Path catalog = Files.write(tmp.resolve("nodes.json"), "{\"items\":[]}".getBytes(StandardCharsets.UTF_8));
    PluginSettings s = PluginSettings.from(Settings.of(map(P + "push.token", SECRET,
        P + "catalog.file", catalog.toString())));
    Map<String, Object> summary = s.summary();
    assertFalse(summary.toString().contains(SECRET), summary.toString());
    assertEquals("****", summary.get("push.token"));
    assertEquals(catalog.toString(), summary.get("catalog.file"));
    assertEquals(false, summary.get("push.allow_anonymous"));
    assertEquals(10_000L, summary.get("push.ack_timeout_ms"));
    assertEquals(String.join(",", Vocabulary.ENRICHMENT_TAGS), summary.get("tags.enrichment"));
    // Per-account keys (named with <account>) appear once per configured account: none here; the
    // same for per-target forwarding keys (named with <name>).
    int plain = 0;
    for (Key k : PluginSettings.KEYS) {
      if (!k.name.contains(PullAccountSettings.ACCOUNT) && !k.name.contains(ForwardSettings.TARGET)) {
        assertTrue(summary.containsKey(k.name), "summary shows " + k.name);
        plain++;
      }
    }
    assertEquals(plain, summary.size());
  }

  @Test
  void keysAreDocumentedAndOnlyTokensPasswordsAndCredentialsAreSecret() {
    for (Key k : PluginSettings.KEYS) {
      assertTrue(k.fullName().startsWith(P));
      assertFalse(k.description.isEmpty(), k.name);
      assertEquals(k == PushSettings.TOKEN || k == PushSettings.PREVIOUS_TOKEN || k == PullAccountSettings.CLIENT_SECRET
          || k == PullAccountSettings.API_KEY || k == PullSettings.ADMIN_TOKEN
          || k == InfluxSettings.PASSWORD || k == InfluxSettings.TOKEN, k.secret, k.name);
    }
  }

  private static boolean has(List<String> problems, String key, String text) {
    return problems.stream().anyMatch(p -> p.startsWith(P + key + " ") && p.contains(text));
  }

  private static Map<String, String> map(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}

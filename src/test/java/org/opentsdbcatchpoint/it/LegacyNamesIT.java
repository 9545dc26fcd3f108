package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The old Python REST script's names kept alive: two extra TSDs on the stack's HBase, one with
 * {@code naming = both} and one with {@code naming = legacy}, each pulling a test of its own from the
 * fake Catchpoint and taking a push; read back under the old names (and, for both, the new ones)
 * exactly as the fake served them.
 */
@Order(96)
class LegacyNamesIT {
  static final long BOTH_TEST = 900801;
  static final long LEGACY_TEST = 900802;
  static final String OLD_DNS = "catchpoint.testdata.DNS.ms";
  static final String OLD_CONNECTIONS = "catchpoint.testdata.numOfConnections";
  static String both;
  static String legacy;
  static Path bothConf;
  static Path legacyConf;

  static Path conf(String naming, String account, long test) throws Exception {
    Path p = Files.createTempFile("legacy-" + naming, ".conf");
    Files.writeString(p, String.join("\n",
        "tsd.plugin.catchpoint.naming = " + naming,
        "tsd.plugin.catchpoint.pull.accounts = " + account,
        "tsd.plugin.catchpoint.pull.admin_token = " + Pulls.ADMIN_TOKEN,
        "tsd.plugin.catchpoint.pull." + account + ".api_key = " + Pulls.API_KEY,
        "tsd.plugin.catchpoint.pull." + account + ".base_url = " + Pulls.FAKE + "/api/v2",
        "tsd.plugin.catchpoint.pull." + account + ".tests.web = " + test,
        "tsd.plugin.catchpoint.pull." + account + ".interval = 30s",
        "tsd.plugin.catchpoint.pull." + account + ".lag = 5s",
        "tsd.plugin.catchpoint.pull." + account + ".window = 1m", ""));
    return p;
  }

  @AfterAll
  static void stop() throws Exception {
    Tsd.extraTsdStop("lgboth");
    Tsd.extraTsdStop("lgold");
    Files.deleteIfExists(bothConf);
    Files.deleteIfExists(legacyConf);
  }

  static long cursor(String tsd, String account, long test) throws Exception {
    JsonNode status = Tsd.get(tsd, "/plugin/catchpoint/pull/status").json;
    JsonNode c = Pulls.testStatus(status, account, test).path("cursor");
    return c.isTextual() ? Instant.parse(c.asText()).getEpochSecond() : Long.MIN_VALUE;
  }

  @Test
  void aPulledWindowAndAPushReadBackUnderTheOldNames() throws Exception {
    bothConf = conf("both", "lgb", BOTH_TEST);
    legacyConf = conf("legacy", "lgl", LEGACY_TEST);
    both = Tsd.extraTsd("lgboth", Tsd.freePort(), bothConf);
    legacy = Tsd.extraTsd("lgold", Tsd.freePort(), legacyConf);
    long started = Pulls.now();
    Pulls.await("a window of each test past the start", () -> {
      try {
        return Math.min(cursor(both, "lgb", BOTH_TEST), cursor(legacy, "lgl", LEGACY_TEST));
      } catch (Exception e) {
        throw new java.io.IOException(e);
      }
    }, c -> c >= started + 30, Duration.ofSeconds(120));
    long to = Math.min(cursor(both, "lgb", BOTH_TEST), cursor(legacy, "lgl", LEGACY_TEST));

    // Pulled, both: each value under each name, exactly the fake's.
    Pulls.assertExactly(BOTH_TEST, "DNS (ms)", OLD_DNS, started, to);
    Pulls.assertExactly(BOTH_TEST, "# Connections", OLD_CONNECTIONS, started, to);
    Pulls.assertExactly(BOTH_TEST, "DNS (ms)", "catchpoint.timing.dns", started, to);
    // Pulled, legacy: the old names only.
    Pulls.assertExactly(LEGACY_TEST, "DNS (ms)", OLD_DNS, started, to);
    Pulls.assertExactly(LEGACY_TEST, "% Downtime", "catchpoint.testdata.percentDowntime", started, to);
    assertEquals(0, Tsd.query("catchpoint.timing.dns", Map.of("test_id", Long.toString(LEGACY_TEST)), started, to)
        .size(), "legacy writes no new name for a value that has an old one");

    // Pushed: the web fixture under each TSD's names.
    for (String[] c : new String[][] {{both, "780001"}, {legacy, "780002"}}) {
      ObjectNode run = (ObjectNode) Tsd.JSON.readTree(Tsd.fixtureBytes("push-web-default.json"));
      run.put("TestId", Long.parseLong(c[1]));
      Tsd.Answer a = Tsd.push(c[0], Tsd.JSON.writeValueAsBytes(run));
      assertEquals(200, a.status, a::toString);
      Tsd.Series old = Tsd.only(OLD_DNS, Map.of("TestId", c[1]), 1705320000L, 1705323600L);
      assertEquals(Map.of("NodeId", "540", "TestId", c[1]), old.tags);
      assertEquals(Map.of(1705320873L, 12.0), old.dps);
      Tsd.Series count = Tsd.only(OLD_CONNECTIONS, Map.of("TestId", c[1]), 1705320000L, 1705323600L);
      assertEquals(Map.of(1705320873L, 14.0), count.dps);
    }
    assertEquals(Map.of(1705320873L, 12.0), Tsd.only("catchpoint.timing.dns", Map.of("test_id", "780001"),
        1705320000L, 1705323600L).dps, "both: the new name too");
    assertEquals(0, Tsd.query("catchpoint.timing.dns", Map.of("test_id", "780002"), 1705320000L, 1705323600L).size());
    assertTrue(Tsd.only("catchpoint.timing.first_paint_time", Map.of("test_id", "780002"), 1705320000L,
        1705323600L).dps.containsKey(1705320873L), "legacy keeps a value with no old name under its new name");
  }
}

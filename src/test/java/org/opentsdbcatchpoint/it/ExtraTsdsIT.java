package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several TSDs on the stack's one HBase (tsd.sh tsd-start): two extra TSDs, push-only (no pull
 * accounts, so they never pull the main TSD's), each on its own port. A run pushed to one is read
 * back through the other and through the main TSD; a frozen TSD (SIGSTOP) answers nothing until it
 * runs again. Its own test id (730004), so no other test's series is touched.
 */
@Order(8)
class ExtraTsdsIT {
  static final long TEST_ID = 730004;
  static final String METRIC = "catchpoint.ping.round_trip_time_avg";
  static final Map<String, String> FILTER = Map.of("test_id", Long.toString(TEST_ID));

  @Test
  void extraTsdsShareTheHBaseAndCanBeFrozenAndStopped(@TempDir Path tmp) throws Exception {
    Path pushOnly = tmp.resolve("push-only.conf");
    // Blank: no accounts (SettingsReader reads a blank value as unset, so nothing is pulled).
    Files.writeString(pushOnly, "tsd.plugin.catchpoint.pull.accounts =\n");
    String b = Tsd.extraTsd("b", Tsd.freePort(), pushOnly);
    String c = Tsd.extraTsd("c", Tsd.freePort(), pushOnly);
    for (String tsd : List.of(b, c)) {
      Tsd.Answer health = Tsd.get(tsd, "/plugin/catchpoint/health");
      assertEquals(200, health.status, health::toString);
      assertEquals("(none)", health.json.path("config").path("pull.accounts").asText(), health::toString);
    }

    ObjectNode run = (ObjectNode) Tsd.JSON.readTree(Tsd.fixtureBytes("push-ping.json"));
    run.put("TestId", TEST_ID);
    Tsd.Answer pushed = Tsd.push(b, Tsd.JSON.writeValueAsBytes(run));
    assertEquals(200, pushed.status, pushed::toString);
    for (String reader : List.of(c, Tsd.URL)) {
      Tsd.Series s = Tsd.only(reader, METRIC, FILTER, 1705320000L, 1705323600L);
      assertEquals(Map.of(1705320422L, 17.6), s.dps, () -> "read through " + reader + ": " + s);
    }

    Tsd.extraTsdSignal("c", "STOP");
    try {
      assertEquals("paused", state("c"));
      long asked = System.nanoTime();
      assertThrows(HttpTimeoutException.class, () -> Tsd.send(Tsd.request(c, "/plugin/catchpoint/health")
          .timeout(Duration.ofSeconds(2)).GET().build()), "a frozen TSD answers nothing within 2 s");
      long waitedMs = (System.nanoTime() - asked) / 1_000_000;
      // The client's own timeout, not a refused or reset connection: it waited the 2 s out.
      assertTrue(waitedMs >= 1900, () -> "the request to the frozen TSD ended after " + waitedMs + " ms");
    } finally {
      Tsd.extraTsdSignal("c", "CONT");
    }
    Pulls.await("c answers its health again after SIGCONT", () -> healthStatus(c), s -> s == 200,
        Duration.ofSeconds(30));

    Tsd.extraTsdStop("b");
    Tsd.extraTsdStop("c");
    assertEquals("stopped", state("b"));
    assertEquals("stopped", state("c"));
  }

  /** After a failure, none of them is left running (tsd.sh stop would stop them too, but later). */
  @AfterEach
  void stopWhatStillRuns() throws Exception {
    for (String line : Tsd.extraTsdList()) {
      String[] f = line.trim().split("\\s+");
      if (!f[f.length - 1].equals("stopped")) {
        Tsd.extraTsdStop(f[0]);
      }
    }
  }

  /** The health status code of a TSD, 0 when it does not answer within 2 s. */
  private static long healthStatus(String baseUrl) throws InterruptedException {
    try {
      return Tsd.send(Tsd.request(baseUrl, "/plugin/catchpoint/health").timeout(Duration.ofSeconds(2)).GET()
          .build()).status;
    } catch (IOException e) {
      return 0;
    }
  }

  /** The STATE column of tsd-list for an extra TSD. */
  private static String state(String name) throws Exception {
    List<String> lines = Tsd.extraTsdList();
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 4 && f[0].equals(name)) {
        return f[3];
      }
    }
    throw new AssertionError("tsd-list has no line for " + name + ": " + lines);
  }
}

package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The TSD killed (SIGKILL) in the middle of a backfill and started again: the cursors live in the HBase
 * table catchpoint-plugin, so the new TSD goes on from the last window storage acknowledged, and no run
 * is missing. The backfill is made by the fake's v1 API down for longer than a window (1 min), and kept
 * going long enough to be interrupted by slow answers. Cursors kept in memory would make the new TSD
 * start one interval back instead: its first request shows it, and the runs between are missing.
 */
@Order(13)
class PullRestartIT {
  private static final long OUTAGE_SECONDS = 90;
  private static final long SLOW_MILLIS = 8000;

  @AfterEach
  void fakeUpAgain() throws Exception {
    Pulls.fake("POST", "/__fake/reset");
  }

  @Test
  void aTsdKilledMidBackfillGoesOnFromItsStoredCursor() throws Exception {
    Pulls.pullNow(Pulls.V1);
    long before = Math.min(Pulls.cursor(Pulls.V1, Pulls.V1_WEB), Pulls.cursor(Pulls.V1, Pulls.V1_PING));

    long downAt = Pulls.now();
    Pulls.fake("POST", "/__fake/down?seconds=" + OUTAGE_SECONDS + "&api=v1");
    Pulls.fake("POST", "/__fake/slow?ms=" + SLOW_MILLIS + "&api=v1");
    Thread.sleep(Math.max(0, downAt + OUTAGE_SECONDS - Pulls.now()) * 1000);
    // Back. The backfill of the web test starts at once, not an interval later: a pull is asked for
    // whenever none runs (a pull that was failing may still be retrying the ping test's windows).
    // Then its first window is stored (its cursor saved) and the next one is being fetched.
    long first = Pulls.await("the first window of the backfill", () -> {
      JsonNode t = Pulls.testStatus(Pulls.status(), Pulls.V1, Pulls.V1_WEB);
      if (!t.path("running").asBoolean()) {
        Tsd.Answer asked = Pulls.run(Pulls.V1, "&token=" + Pulls.ADMIN_TOKEN);
        assertEquals(202, asked.status, asked::toString);
      }
      return t.path("cursor").isTextual() ? Instant.parse(t.path("cursor").asText()).getEpochSecond() : 0;
    }, c -> c > before, Duration.ofSeconds(120));
    long killedAt = Pulls.now();
    assertTrue(first + 10 < killedAt - Pulls.LAG_SECONDS, "no backfill left to interrupt: cursor "
        + Instant.ofEpochSecond(first) + ", now " + Instant.ofEpochSecond(killedAt));
    kill9Tsd();
    // Every raw request from now on is the new TSD's.
    long lastSerial = Pulls.lastRawSerial();
    Pulls.fake("POST", "/__fake/slow?ms=0&api=v1");
    Tsd.stack("restart-tsd");
    // Not waiting for the first scheduled pull (up to an interval after the start).
    Pulls.await("the restarted TSD taking a pull on demand",
        () -> Pulls.run(Pulls.V1, "&token=" + Pulls.ADMIN_TOKEN).status, s -> s == 202, Duration.ofSeconds(30));

    // Caught up to the kill.
    Pulls.awaitCursors(Pulls.V1, killedAt - Pulls.LAG_SECONDS, Duration.ofSeconds(120), Pulls.V1_WEB,
        Pulls.V1_PING);

    // The new TSD's first window of the web test starts at the cursor the killed one stored.
    String firstAfter = null;
    for (String r : Pulls.fakeRecent()) {
      if (Pulls.serial(r) > lastSerial && r.contains("/raw/" + Pulls.V1_WEB + "?")) {
        firstAfter = r;
        break;
      }
    }
    assertTrue(firstAfter != null && firstAfter.contains("startTime=" + iso(first)),
        "the first pull after the restart should start at the stored cursor " + iso(first) + ": " + firstAfter);

    long after = Math.min(Pulls.cursor(Pulls.V1, Pulls.V1_WEB), Pulls.cursor(Pulls.V1, Pulls.V1_PING));
    Pulls.assertExactly(Pulls.V1_WEB, "DNS (ms)", "catchpoint.timing.dns", before, after);
    Pulls.assertExactly(Pulls.V1_WEB, "# Connections", "catchpoint.count.connections", before, after);
    Pulls.assertExactly(Pulls.V1_PING, "Ping Round Trip (ms)", "catchpoint.ping.round_trip_time_avg", before, after);
  }

  private static String iso(long seconds) {
    // As the v1 client sends it, URL-encoded.
    return Instant.ofEpochSecond(seconds).toString().replace(":", "%3A");
  }

  /** SIGKILL: no shutdown hook, no draining; whatever was not acknowledged is lost with it. */
  static void kill9Tsd() throws Exception {
    Path pidFile = Paths.get(System.getProperty("it.stack.dir"), "tsd.pid");
    long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    ProcessHandle tsd = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no TSD with pid " + pid));
    assertTrue(tsd.info().commandLine().orElse("").contains("TSDMain"), "pid " + pid + " is not the TSD");
    assertTrue(tsd.destroyForcibly(), "could not kill the TSD");
    tsd.onExit().get();
  }
}

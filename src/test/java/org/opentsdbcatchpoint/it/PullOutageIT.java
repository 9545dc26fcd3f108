package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Catchpoint (the fake's v2 API) down for three pull intervals, then back: the account's own schedule
 * backfills from its cursor, so every run of the outage is stored, once, and every query succeeds.
 */
@Order(11)
class PullOutageIT {
  /** Three intervals of opentsdb-extra.conf (30 s). */
  private static final long OUTAGE_SECONDS = 90;

  @AfterEach
  void fakeUpAgain() throws Exception {
    Pulls.fake("POST", "/__fake/reset");
  }

  @Test
  void threeIntervalsWithoutCatchpointLeaveNoGap() throws Exception {
    Pulls.pullNow(Pulls.V2);
    long before = Math.min(Pulls.cursor(Pulls.V2, Pulls.V2_WEB), Pulls.cursor(Pulls.V2, Pulls.V2_TRACEROUTE));
    long refused = Pulls.fakeCount("answered_503");

    long downAt = Pulls.now();
    Pulls.fake("POST", "/__fake/down?seconds=" + OUTAGE_SECONDS + "&api=v2");
    // The plugin sees the outage: its pulls fail (after their retries) and the cursors stay.
    Pulls.await("a failed pull of " + Pulls.V2 + " in the status", () -> {
      JsonNode t = Pulls.testStatus(Pulls.status(), Pulls.V2, Pulls.V2_WEB);
      return t.path("last_error").asText("").contains("503") ? 1 : 0;
    }, n -> n == 1, Duration.ofSeconds(OUTAGE_SECONDS));
    assertTrue(Pulls.cursor(Pulls.V2, Pulls.V2_WEB) < downAt, "the cursor moved while Catchpoint was down");
    long up = downAt + OUTAGE_SECONDS;
    Thread.sleep(Math.max(0, up - Pulls.now()) * 1000);
    assertTrue(Pulls.fakeCount("answered_503") > refused, "the fake refused nothing");

    // Back: the next scheduled pulls (no pull on demand) catch up.
    Pulls.awaitCursors(Pulls.V2, up + 10, Duration.ofSeconds(150), Pulls.V2_WEB, Pulls.V2_TRACEROUTE);
    long after = Math.min(Pulls.cursor(Pulls.V2, Pulls.V2_WEB), Pulls.cursor(Pulls.V2, Pulls.V2_TRACEROUTE));
    JsonNode t = Pulls.testStatus(Pulls.status(), Pulls.V2, Pulls.V2_WEB);
    assertTrue(t.path("last_error").isNull(), t::toString);

    // Every run from before the outage to after it, once, with its value (the queries succeed: no duplicate).
    Pulls.assertExactly(Pulls.V2_WEB, "DNS (ms)", "catchpoint.timing.dns", before, after);
    Pulls.assertExactly(Pulls.V2_WEB, "Document Complete (ms)", "catchpoint.timing.document_complete", before, after);
    Pulls.assertExactly(Pulls.V2_TRACEROUTE, "Ping Round Trip (ms)", "catchpoint.traceroute.last_hop_rtt_avg",
        Map.of(), r -> r.hop == 3, before, after);
  }
}

package org.opentsdbcatchpoint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * What the pulls stored since the TSD started, compared with the fake's runs: every column mapped by
 * its name, nulls skipped, every run once at its second, and the enrichment tags of every node, one
 * of which only the live catalog (the fake's node lists) knows. After PullOutageIT, so that the TSD
 * has been pulling for minutes (v2's range includes the outage and its backfill).
 */
@Order(12)
class PullStoredIT {
  /** From the TSD's start: every run since has been pulled once the cursor passed it. */
  private static long pulledFrom;

  /**
   * Waits until the TSD has been up for 65 s (a run of every node; at once after the tests before),
   * then pulls every account once more so the cursors are fresh.
   */
  private static void pulledForAMinute() throws Exception {
    if (pulledFrom != 0) {
      return;
    }
    long start = Pulls.tsdStartSeconds();
    long wait = start + 65 + Pulls.LAG_SECONDS - Pulls.now();
    if (wait > 0) {
      Thread.sleep(wait * 1000);
    }
    for (String account : List.of(Pulls.V1, Pulls.V2)) {
      Pulls.pullNow(account);
    }
    pulledFrom = start;
  }

  private static Map<String, String> tags(long test, String type, long node, String... enrichment) {
    Map<String, String> m = new TreeMap<>();
    m.put("test_id", Long.toString(test));
    m.put("node_id", Long.toString(node));
    m.put("test_type", type);
    for (int i = 0; i < enrichment.length; i += 2) {
      m.put(enrichment[i], enrichment[i + 1]);
    }
    return m;
  }

  /** The 5 enrichment tags that fit max_tags 8, as push writes them (PushFixturesIT). */
  private static Map<String, String> enriched(long test, String type, long node) {
    if (node == 540) {
      return tags(test, type, node, "asn", "AS16509", "city", "Frankfurt", "country", "Germany", "isp", "Amazon",
          "region", "Hesse");
    }
    if (node == 312) {
      return tags(test, type, node, "asn", "AS1221", "city", "Sydney", "country", "Australia", "isp", "Telstra",
          "region", "New_South_Wales");
    }
    if (node == Pulls.LIVE_ONLY_NODE) {
      return tags(test, type, node, "asn", "AS6677", "city", "Reykjavik", "country", "Iceland", "isp", "Siminn",
          "region", "Capital_Region");
    }
    return null;
  }

  @Test
  void pulledRunsAreStoredWithTheirValuesAndTheLiveCatalogsTags() throws Exception {
    pulledForAMinute();
    for (Object[] c : new Object[][] {{Pulls.V1, Pulls.V1_WEB}, {Pulls.V2, Pulls.V2_WEB}}) {
      String account = (String) c[0];
      long test = (Long) c[1];
      long to = Pulls.cursor(account, test);
      // Every column of the web runs: names mapped by name, nulls skipped, every run once.
      Pulls.assertExactly(test, "DNS (ms)", "catchpoint.timing.dns", pulledFrom, to);
      Pulls.assertExactly(test, "SSL (ms)", "catchpoint.timing.ssl", pulledFrom, to);
      Pulls.assertExactly(test, "Response (ms)", "catchpoint.timing.response", pulledFrom, to);
      Pulls.assertExactly(test, "# Connections", "catchpoint.count.connections", pulledFrom, to);
      Pulls.assertExactly(test, "% Downtime", "catchpoint.rate.downtime_pct", pulledFrom, to);
      Pulls.assertExactly(test, "Document Complete (ms)", "catchpoint.timing.document_complete", pulledFrom, to);

      Map<Long, Map<String, String>> tagsByNode = new TreeMap<>();
      for (Tsd.Series s : Tsd.query("catchpoint.timing.dns", Map.of("test_id", Long.toString(test)), pulledFrom,
          to)) {
        tagsByNode.put(Long.parseLong(s.tags.get("node_id")), s.tags);
      }
      for (long node : Pulls.NODES) {
        Map<String, String> got = tagsByNode.get(node);
        assertNotNull(got, () -> account + ": no series of node " + node + ": " + tagsByNode);
        Map<String, String> expected = enriched(test, "web", node);
        if (expected != null) {
          assertEquals(expected, got, account + ", node " + node);
        } else {
          assertEquals(8, got.size(), () -> account + ", node " + node + " is not enriched: " + got);
        }
      }
    }
  }

  @Test
  void pingAndTracerouteColumnsAreMappedByName() throws Exception {
    pulledForAMinute();
    long to = Pulls.cursor(Pulls.V1, Pulls.V1_PING);
    Pulls.assertExactly(Pulls.V1_PING, "Ping Round Trip (ms)", "catchpoint.ping.round_trip_time_avg", pulledFrom, to);
    Pulls.assertExactly(Pulls.V1_PING, "% Ping Packet Loss", "catchpoint.ping.packet_loss_pct", pulledFrom, to);
    assertEquals(enriched(Pulls.V1_PING, "ping", 540),
        Tsd.only("catchpoint.ping.packet_loss_pct", Map.of("test_id", Long.toString(Pulls.V1_PING), "node_id", "540"),
            pulledFrom, to).tags);

    // v2 traceroute: one row per hop (dimension HopNumber), gathered into one run.
    long test = Pulls.V2_TRACEROUTE;
    to = Pulls.cursor(Pulls.V2, test);
    Pulls.assertExactly(test, "Ping Round Trip (ms)", "catchpoint.traceroute.hop_rtt_avg", Map.of("hop", "2"),
        r -> r.hop == 2, pulledFrom, to);
    Pulls.assertExactly(test, "Ping Round Trip (ms)", "catchpoint.traceroute.last_hop_rtt_avg", Map.of(),
        r -> r.hop == 3, pulledFrom, to);
    Pulls.assertExactly(test, "% Ping Packet Loss", "catchpoint.traceroute.last_hop_loss_pct", Map.of(),
        r -> r.hop == 3, pulledFrom, to);
    for (Map<Long, Double> dps : Pulls.stored("catchpoint.traceroute.hop_count", test, Map.of(), pulledFrom, to)
        .values()) {
      assertFalse(dps.isEmpty());
      dps.values().forEach(v -> assertEquals(3.0, v));
    }
  }

}

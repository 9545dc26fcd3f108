package org.opentsdbcatchpoint.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.stats.Stats;

/** The counters in Stats and the health page's view of one forwarder. */
class ForwardStatsTest {
  private final Stats stats = new Stats();
  private final ForwardStats forward = new ForwardStats("t", stats, () -> 1_700_000_000_000L);

  @Test
  void everyCounterExistsFromTheStartTaggedWithTheTarget() {
    List<String> names = new ArrayList<>();
    for (Stats.Entry e : stats.snapshot()) {
      assertEquals("target", e.tagKey);
      assertEquals("t", e.tagValue);
      assertEquals(0, e.value);
      names.add(e.name);
    }
    assertTrue(names.containsAll(Arrays.asList("catchpoint.forward.queued", "catchpoint.forward.sent",
        "catchpoint.forward.retried", "catchpoint.forward.replayed", "catchpoint.forward.rate_limited_ms",
        "catchpoint.forward.dropped.queue_full",
        "catchpoint.forward.dropped.shutdown", "catchpoint.forward.errors.connection_lost",
        "catchpoint.forward.errors.internal")), names.toString());
    assertEquals(5 + Forwarder.DROP_REASONS.size() + Failure.values().length, names.size(), "no gauge yet");
  }

  @Test
  void theStatusHasTheHealthPagesKeysInOrder() {
    forward.queued();
    forward.queued();
    forward.sent(1);
    forward.dropped(Forwarder.INVALID, 1);
    forward.retried(5);
    forward.replayed(3);
    forward.failed(Failure.CONNECT, "Connection refused");
    ForwardStats.gauges(stats, "t", () -> 7, () -> 9, new FakeTransport());
    forward.heldBack(2_500_000);
    Map<String, Object> s = forward.status("graphite", new FakeTransport(), 7, 9, 500);
    assertEquals(Arrays.asList("type", "destination", "connected", "queue_depth", "retry_buffer_depth", "queued",
        "sent", "retried", "replayed", "rate_limit", "rate_limited_ms", "dropped", "errors", "last_error", "first_rejection"),
        new ArrayList<>(s.keySet()));
    assertEquals("graphite", s.get("type"));
    assertEquals("fake", s.get("destination"));
    assertEquals(false, s.get("connected"));
    assertEquals(7, s.get("queue_depth"));
    assertEquals(9, s.get("retry_buffer_depth"));
    assertEquals(2L, s.get("queued"));
    assertEquals(1L, s.get("sent"));
    assertEquals(5L, s.get("retried"));
    assertEquals(3L, s.get("replayed"));
    assertEquals("500 points/s", s.get("rate_limit"));
    assertEquals(2L, s.get("rate_limited_ms"));
    Map<String, Object> dropped = new LinkedHashMap<>();
    for (String reason : Forwarder.DROP_REASONS) {
      dropped.put(reason, reason.equals(Forwarder.INVALID) ? 1L : 0L);
    }
    assertEquals(dropped, s.get("dropped"));
    assertEquals(Collections.singletonMap("connect", 1L), s.get("errors"), "only the kinds that happened");
    assertEquals("2023-11-14T22:13:20Z connect: Connection refused", s.get("last_error"));
    assertEquals("(none)", s.get("first_rejection"));
    assertEquals(7, gauge("queue_depth"));
    assertEquals(9, gauge("retry_buffer_depth"));
    assertEquals(0, gauge("connected"));
  }

  /** Time held back is counted in whole milliseconds, the fractions carried over, never lost. */
  @Test
  void timeHeldBackIsCountedInMillisecondsWithoutLosingFractions() {
    for (int i = 0; i < 10; i++) {
      forward.heldBack(300_000); // 0.3 ms each
    }
    assertEquals(3, stats.get("catchpoint.forward.rate_limited_ms", "target", "t"));
    forward.heldBack(1_999_999_999L);
    assertEquals(2002, stats.get("catchpoint.forward.rate_limited_ms", "target", "t"));
    assertEquals("off", forward.status("influx", new FakeTransport(), 0, 0, 0).get("rate_limit"));
  }

  private long gauge(String name) {
    for (Stats.Entry e : stats.snapshot()) {
      if (e.name.equals("catchpoint.forward." + name)) {
        return e.value;
      }
    }
    throw new AssertionError("no gauge " + name);
  }

  @Test
  void theFirstRejectionIsKeptWhileTheLastErrorMovesOn() {
    assertNull(forward.firstRejection());
    forward.failed(Failure.TIMEOUT, "timed out");
    assertNull(forward.firstRejection(), "only a rejection is a rejection");
    forward.failed(Failure.REJECTED, "HTTP 400: field type conflict");
    forward.failed(Failure.REJECTED, "HTTP 404: database not found");
    assertTrue(forward.firstRejection().endsWith("rejected: HTTP 400: field type conflict"));
    assertTrue(forward.lastError().endsWith("rejected: HTTP 404: database not found"));
    assertEquals(2, stats.get("catchpoint.forward.errors.rejected", "target", "t"));
    assertEquals(1, stats.get("catchpoint.forward.errors.timeout", "target", "t"));
  }
}
